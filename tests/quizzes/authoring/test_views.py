"""Question-bank and test-editor pages: every route for each role, the editor, import with a signed payload, CLI."""

from __future__ import annotations

import base64
import io
import re
import zlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.auth.models import Role
from lms.db import utcnow
from lms.quizzes.authoring import banks, quiz_editor
from lms.quizzes.authoring.test_definition import DrawRule, TestDefinition
from lms.quizzes.models import Question, QuestionBank, Quiz
from lms.quizzes.questions import Option, QuestionData, QuestionType
from tests.conftest import fetch_csrf, login
from tests.factories import load_fixture_content, make_body, make_user

GIFT_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "gift"
HIDDEN = re.compile(r'name="(payload|token)" value="([^"]*)"')


@pytest.fixture
def world(db_session, app):
    body = make_body(db_session)
    course = load_fixture_content(db_session)
    users = {role: make_user(db_session, role, body=body, username=f"nh-{role}") for role in Role}
    other_body = make_body(db_session)
    users["other_organiser"] = make_user(db_session, Role.ORGANISER, body=other_body, username="nh-btc-khac")
    users["other_trainer"] = make_user(db_session, Role.TRAINER, body=other_body, username="nh-gv-khac")
    with app.test_request_context():
        bank = banks.create_bank(db_session, course, slug="bo-sung", title="Bổ sung", body_id=body.id)
        row = banks.add_question(db_session, bank, QuestionData(
            key="bs-001", type=QuestionType.SINGLE, stem="Câu web?", module="hoc-phan-mot",
            options=[Option("Có", 100.0), Option("Không")]), now=utcnow())
        web_quiz = quiz_editor.save_test(db_session, course, users[Role.ORGANISER], TestDefinition(
            slug="kiem-tra-rieng", title="Kiểm tra riêng", title_en="Own test", time_limit_minutes=15,
            pass_mark_percent=50, max_attempts=1, draw=[DrawRule(count=1, module="hoc-phan-mot")]), now=utcnow())
    content_bank = db_session.scalar(select(QuestionBank).where(QuestionBank.from_content,
                                                                QuestionBank.course_id == course.id))
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    db_session.commit()
    return {"users": users, "bank": bank.id, "question": row.id, "content_bank": content_bank.id,
            "content_question": content_bank.questions[0].id, "quiz": quiz.id, "web_quiz": web_quiz.id}


STAFF = {"admin", "organiser", "trainer"}
OTHER_BODY = {"other_organiser", "other_trainer"}
ROLES = ["anonymous", "admin", "organiser", "trainer", "trainee", *sorted(OTHER_BODY)]
# Routes on the body's own web bank or test: staff of another body get 404, as if it did not exist.
OWNED = ("{bank}", "{question}", "{web_quiz}")
ROUTES = [
    ("GET", "/courses/khoa-mau/banks"),
    ("GET", "/banks/new?course=khoa-mau"),
    ("POST", "/banks/new?course=khoa-mau"),
    ("GET", "/banks/{bank}"),
    ("GET", "/banks/{content_bank}"),
    ("GET", "/banks/{bank}/questions/new"),
    ("POST", "/banks/{bank}/questions/new"),
    ("GET", "/banks/{bank}/questions/{question}/edit"),
    ("POST", "/banks/{bank}/questions/{question}/edit"),
    ("GET", "/banks/{content_bank}/questions/{content_question}/edit"),
    ("POST", "/banks/{bank}/questions/{question}/retire"),
    ("POST", "/banks/{bank}/questions/{question}/restore"),
    ("GET", "/banks/{bank}/import"),
    ("POST", "/banks/{bank}/import"),
    ("GET", "/banks/{bank}/export.gift"),
    ("GET", "/banks/{content_bank}/export.gift"),
    ("GET", "/banks/{bank}/export.xlsx"),
    ("GET", "/banks/template.xlsx"),
    ("GET", "/courses/khoa-mau/tests/new"),
    ("POST", "/courses/khoa-mau/tests/new"),
    ("GET", "/courses/khoa-mau/tests/{quiz}/edit"),
    ("GET", "/courses/khoa-mau/tests/{web_quiz}/edit"),
    ("POST", "/courses/khoa-mau/tests/{web_quiz}/edit"),
]


def _url(template: str, world: dict) -> str:
    return template.format(**{k: v for k, v in world.items() if isinstance(v, int)})


def _login(client, world, role: str) -> None:
    login(client, world["users"][role].username)


def test_another_body_sees_neither_the_bank_nor_the_test_in_lists(client, world):
    _login(client, world, "other_organiser")
    page = client.get("/courses/khoa-mau/banks").get_data(as_text=True)
    assert "Bổ sung" not in page and "Kiểm tra riêng" not in page and f"/banks/{world['content_bank']}" in page
    client.post("/logout", data={"csrf_token": fetch_csrf(client)})
    _login(client, world, "organiser")
    page = client.get("/courses/khoa-mau/banks").get_data(as_text=True)
    assert "Bổ sung" in page and "Kiểm tra riêng" in page


def test_a_bank_made_by_another_body_is_theirs(client, world, db_session):
    _login(client, world, "other_trainer")
    response = client.post("/banks/new?course=khoa-mau", data={"csrf_token": fetch_csrf(client),
                                                               "title": "Của đơn vị khác", "slug": "cua-khac"})
    assert response.status_code == 302
    made = db_session.scalar(select(QuestionBank).where(QuestionBank.slug == "cua-khac"))
    assert made.organising_body_id == world["users"]["other_trainer"].organising_body_id
    client.post("/logout", data={"csrf_token": fetch_csrf(client)})
    _login(client, world, "organiser")
    assert client.get(f"/banks/{made.id}").status_code == 404
    assert client.get(f"/banks/{made.id}/export.gift").status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template"), ROUTES, ids=[f"{m} {t}" for m, t in ROUTES])
def test_route_access(client, world, role, method, template):
    if role != "anonymous":
        _login(client, world, role)
    url = _url(template, world)
    response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": fetch_csrf(client)})
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in OTHER_BODY and any(part in template for part in OWNED):
        assert response.status_code == 404
    elif role in STAFF | OTHER_BODY:
        assert response.status_code in (200, 302, 400, 422), response.get_data(as_text=True)[:300]
    else:
        assert response.status_code == 403


def _post(client, url: str, data: dict | None = None, **kwargs):
    return client.post(url, data={"csrf_token": fetch_csrf(client), **(data or {})}, **kwargs)


def _switch_to_english(client) -> None:
    _post(client, "/language/en", {"next": "/"})


def test_outline_links_to_banks_for_staff_only(client, world):
    assert "/courses/khoa-mau/banks" not in client.get("/courses/khoa-mau").get_data(as_text=True)
    _login(client, world, "trainee")
    assert "/courses/khoa-mau/banks" not in client.get("/courses/khoa-mau").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": fetch_csrf(client)})
    _login(client, world, "trainer")
    assert "/courses/khoa-mau/banks" in client.get("/courses/khoa-mau").get_data(as_text=True)


def test_create_bank_then_list(client, world, db_session):
    _login(client, world, "organiser")
    response = _post(client, "/banks/new?course=khoa-mau", {"title": "Ngân hàng mới", "slug": "moi"})
    assert response.status_code == 302
    assert "Ngân hàng mới" in client.get("/courses/khoa-mau/banks").get_data(as_text=True)
    again = _post(client, "/banks/new?course=khoa-mau", {"title": "Lại", "slug": "moi"})
    assert again.status_code == 422


def test_question_editor_preview_then_save(client, world, db_session):
    _login(client, world, "trainer")
    page = client.get(f"/banks/{world['bank']}/questions/new?type=matching").get_data(as_text=True)
    assert "type: matching" in page and "pairs:" in page
    text = ("key: bs-002\ntype: matching\nmodule: hoc-phan-hai\nstem: Ghép **đúng**\npairs:\n"
            "  - {left: Kế hoạch, right: P}\n  - {left: Thực hiện, right: D}\n  - {left: Kiểm tra, right: C}\n"
            "distractors: [X]\nexplanation: PDCA\n")
    url = f"/banks/{world['bank']}/questions/new"
    preview = _post(client, url, {"text": text, "action": "preview"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<strong>đúng</strong>" in html and "Kế hoạch → P" in html
    assert db_session.scalar(select(func.count()).select_from(Question).where(Question.key == "bs-002")) == 0
    assert _post(client, url, {"text": text, "action": "save"}).status_code == 302
    row = db_session.scalar(select(Question).where(Question.key == "bs-002"))
    assert row.type == "matching" and row.data["distractors"] == ["X"]


def test_question_editor_shows_problems_with_lines(client, world):
    _login(client, world, "admin")
    _switch_to_english(client)
    text = "key: bs-009\ntype: true_false\nstem: Câu?\nanswer: maybe\n"
    response = _post(client, f"/banks/{world['bank']}/questions/new", {"text": text, "action": "save"})
    assert response.status_code == 422 and "line 4:" in response.get_data(as_text=True)


def test_edit_bumps_the_version_and_content_questions_stay_read_only(client, world, db_session):
    _login(client, world, "trainer")
    url = f"/banks/{world['bank']}/questions/{world['question']}/edit"
    text = client.get(url).get_data(as_text=True)
    assert "key: bs-001" in text
    yaml_text = ("key: bs-001\ntype: single\nmodule: hoc-phan-mot\nstem: Câu web đã sửa?\noptions:\n"
                 "  - {text: Có, correct: true}\n  - {text: Không}\n")
    assert _post(client, url, {"text": yaml_text, "action": "save"}).status_code == 302
    assert db_session.get(Question, world["question"]).version == 2
    content_url = f"/banks/{world['content_bank']}/questions/{world['content_question']}/edit"
    assert "readonly" in client.get(content_url).get_data(as_text=True)
    assert _post(client, content_url, {"text": yaml_text, "action": "save"}).status_code == 400


def test_retire_and_restore(client, world, db_session):
    _login(client, world, "organiser")
    _post(client, f"/banks/{world['bank']}/questions/{world['question']}/retire")
    assert db_session.get(Question, world["question"]).active is False
    _post(client, f"/banks/{world['bank']}/questions/{world['question']}/restore")
    assert db_session.get(Question, world["question"]).active is True


def _upload(client, world, content: bytes, name: str, **fields):
    data = {"csrf_token": fetch_csrf(client), "action": "preview", "file": (io.BytesIO(content), name), **fields}
    return client.post(f"/banks/{world['bank']}/import", data=data, content_type="multipart/form-data")


def test_import_preview_lists_problems_by_line_and_cannot_be_confirmed(client, world, db_session):
    _login(client, world, "trainer")
    _switch_to_english(client)
    response = _upload(client, world, (GIFT_DIR / "features.gift.txt").read_bytes(), "features.gift.txt")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "line 2: câu hỏi tự luận (essay)" in html and "line 24: the same question text as at line 16" in html
    assert 'value="confirm"' not in html


def test_import_preview_in_vietnamese_says_dong(client, world):
    _login(client, world, "trainer")
    html = _upload(client, world, b"::a:: Essay {}\n", "a.gift").get_data(as_text=True)
    assert "dòng 1: câu hỏi tự luận (essay)" in html


def test_import_confirm_commits_the_signed_file(client, world, db_session):
    _login(client, world, "trainer")
    content = "Câu Aiken một?\nA. Có\nB. Không\nANSWER: A\n\nCâu Aiken hai?\nA. Có\nB. Không\nANSWER: B\n".encode()
    preview = _upload(client, world, content, "aiken.txt", module="hoc-phan-hai")
    assert preview.status_code == 200
    fields = dict(HIDDEN.findall(preview.get_data(as_text=True)))
    confirm = _post(client, f"/banks/{world['bank']}/import",
                    {"action": "confirm", "module": "hoc-phan-hai", **fields})
    assert confirm.status_code == 302
    rows = db_session.scalars(select(Question).where(Question.bank_id == world["bank"], Question.stem.like("Câu Aiken%")))
    assert sorted((q.stem, q.module) for q in rows) == [("Câu Aiken hai?", "hoc-phan-hai"),
                                                         ("Câu Aiken một?", "hoc-phan-hai")]


def test_tampered_payload_is_refused(client, world, db_session):
    _login(client, world, "trainer")
    preview = _upload(client, world, "Câu một?\nA. Có\nB. Không\nANSWER: A\n".encode(), "a.txt")
    fields = dict(HIDDEN.findall(preview.get_data(as_text=True)))
    forged = base64.b64encode(zlib.compress("Câu giả?\nA. Có\nB. Không\nANSWER: B\n".encode())).decode()
    for data in ({**fields, "payload": forged}, {**fields, "token": fields["token"][:-2] + "xx"},
                 {"payload": fields["payload"], "token": ""}):
        response = _post(client, f"/banks/{world['bank']}/import", {"action": "confirm", **data})
        assert response.status_code == 400
    _post(client, "/banks/new?course=khoa-mau", {"title": "Khác", "slug": "khac"})
    other_bank = db_session.scalar(select(QuestionBank.id).where(QuestionBank.slug == "khac"))
    assert _post(client, f"/banks/{other_bank}/import", {"action": "confirm", **fields}).status_code == 400
    assert _post(client, f"/banks/{world['bank']}/import", {"action": "confirm", **fields}).status_code == 302
    count = db_session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == world["bank"]))
    assert count == 2  # the web question and the one confirmed with the untouched payload


def test_exports_and_template_download(client, world):
    _login(client, world, "organiser")
    gift = client.get(f"/banks/{world['content_bank']}/export.gift")
    assert gift.status_code == 200 and "attachment" in gift.headers["Content-Disposition"]
    xlsx = client.get(f"/banks/{world['bank']}/export.xlsx")
    assert xlsx.data[:2] == b"PK" and "spreadsheetml" in xlsx.headers["Content-Type"]
    assert client.get("/banks/template.xlsx").data[:2] == b"PK"


def test_test_editor_creates_and_validates(client, world, db_session):
    _login(client, world, "trainer")
    form = {"title": "Kiểm tra web", "title_en": "", "slug": "kiem-tra-web", "time_limit_minutes": "20",
            "pass_mark_percent": "0", "max_attempts": "0", "attempt_policy": "last", "navigation": "sequential",
            "shuffle_questions": "y", "review_after_submit": ["score"], "review_after_close": ["score", "passed"],
            "rules-0-module": "hoc-phan-mot", "rules-0-difficulty": "", "rules-0-tags": "", "rules-0-count": "50"}
    too_many = _post(client, "/courses/khoa-mau/tests/new", form)
    assert too_many.status_code == 422 and "cần 50 câu" in too_many.get_data(as_text=True)
    assert _post(client, "/courses/khoa-mau/tests/new", {**form, "rules-0-count": "3"}).status_code == 302
    quiz = db_session.scalar(select(Quiz).where(Quiz.slug == "kiem-tra-web"))
    assert (quiz.navigation, quiz.attempt_policy, quiz.max_attempts, quiz.pass_mark_percent) == ("sequential", "last", 0, 0)
    assert quiz.review_after_submit == ["score"] and quiz.shuffle_options is False
    edit = client.get(f"/courses/khoa-mau/tests/{quiz.id}/edit").get_data(as_text=True)
    assert 'value="3"' in edit and "kiem-tra-web" in edit
    content_quiz = world["quiz"]
    assert _post(client, f"/courses/khoa-mau/tests/{content_quiz}/edit", form).status_code == 400


def test_cli_import(app, db_session, world, tmp_path):
    runner = app.test_cli_runner()
    broken = tmp_path / "broken.gift"
    broken.write_bytes((GIFT_DIR / "features.gift.txt").read_bytes())
    result = runner.invoke(args=["lms", "quizzes", "import", str(broken), "--bank", "khoa-mau/bo-sung"])
    assert result.exit_code == 1 and "line 2: câu hỏi tự luận (essay)" in result.output
    good = tmp_path / "good.txt"
    good.write_text("Câu CLI một?\nA. Có\nB. Không\nANSWER: A\n", encoding="utf-8")
    missing = runner.invoke(args=["lms", "quizzes", "import", str(good), "--bank", "khoa-mau/moi"])
    assert missing.exit_code == 1 and "--create" in missing.output
    result = runner.invoke(args=["lms", "quizzes", "import", str(good), "--bank", "khoa-mau/moi", "--create",
                                 "--format", "aiken"])
    assert result.exit_code == 0 and "imported 1 questions" in result.output
    bank = db_session.scalar(select(QuestionBank).where(QuestionBank.slug == "moi"))
    assert [q.stem for q in bank.questions] == ["Câu CLI một?"]
