"""Staff pages of tests: opening and closing windows, results, review, overrides, regrade, statistics, exports."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.auth.models import Role
from lms.db import utcnow
from lms.quizzes.authoring.serialize import question_from_dict
from lms.quizzes.models import Attempt, AttemptState, Question, QuizOpening
from lms.quizzes.presentation import PresentedQuestion
from lms.quizzes.results.exports import EXPORT_HEADERS
from lms.quizzes.taking.attempts import (
    AnswerSave,
    ClientInfo,
    current_opening,
    save_answers,
    start_attempt,
    submit_attempt,
)
from lms.quizzes.taking.grading import correct_answer_public
from tests.conftest import fetch_csrf, login, post_form
from tests.factories import make_body, make_class, make_unit, make_user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CLIENT = ClientInfo(address="203.0.113.7", user_agent="Mozilla/5.0 (Android 14) Chrome/130")


@dataclass
class Staff:
    ids: dict
    usernames: dict


@pytest.fixture
def staff(db_session, exam):
    other_body = make_body(db_session)
    users = {
        "admin": make_user(db_session, Role.ADMIN, username="qt.staff"),
        "organiser": exam.organiser,
        "other_organiser": make_user(db_session, Role.ORGANISER, body=other_body, username="btc.khac"),
        "trainer": exam.trainer,
        "other_trainer": make_user(db_session, Role.TRAINER, body=exam.training_class.organising_body,
                                   username="gv.khac"),
        "trainee": exam.trainee,
    }
    db_session.commit()
    return Staff(ids={"class": exam.training_class.id, "quiz": exam.quiz.id, "opening": exam.opening.id,
                      "trainee": exam.trainee.id},
                 usernames={role: user.username for role, user in users.items()})


def take(app, session, exam, user, *, wrong: tuple[str, ...] = (), submit: bool = True) -> Attempt:
    """Start an attempt and answer every question right, except the keys in `wrong` (single choice: option 2)."""
    with app.test_request_context():
        attempt = start_attempt(session, user, exam.quiz, now=utcnow(), client=CLIENT, grace_seconds=10)
        saves = [AnswerSave(item.position, _answer(item, item.question_key in wrong), seq=index)
                 for index, item in enumerate(attempt.questions, start=1)]
        save_answers(session, attempt, saves, now=utcnow(), grace_seconds=10, client=CLIENT, contact_seconds=60)
        if submit:
            submit_attempt(session, attempt, now=utcnow(), client=CLIENT, grace_seconds=10)
    session.commit()
    return attempt


def _answer(item, wrong: bool) -> dict:
    presented = PresentedQuestion.from_storage_dict(item.presentation)
    if wrong:
        return {"choice": presented.id_for("choices", 1)}
    right = correct_answer_public(question_from_dict(item.snapshot), presented)
    if "texts" in right:
        return {"text": right["texts"][0]}
    if "ranges" in right:
        return {"text": f"{right['ranges'][0]['min']:g}"}
    return right


# --------------------------------------------------------------------------- who may use which route

STAFF_OF_CLASS = {"admin", "organiser", "trainer"}
MANAGERS = {"admin", "organiser"}
ROLES = ["anonymous", "admin", "organiser", "other_organiser", "trainer", "other_trainer", "trainee"]
ROUTES = [
    ("GET", "/classes/{class}/tests", STAFF_OF_CLASS, None),
    ("POST", "/classes/{class}/tests/{quiz}/open", STAFF_OF_CLASS, {"mode": "now", "minutes": "30"}),
    ("POST", "/openings/{opening}/close", STAFF_OF_CLASS, None),
    ("GET", "/quizzes/{quiz}/attempts", STAFF_OF_CLASS, None),
    ("POST", "/quizzes/{quiz}/overrides", STAFF_OF_CLASS,
     {"user_id": "{trainee}", "extra_minutes": "5", "extra_attempts": "1", "reason": "Mất kết nối"}),
    ("GET", "/attempts/{attempt}/review", STAFF_OF_CLASS, None),
    ("GET", "/quizzes/{quiz}/regrade", STAFF_OF_CLASS, None),
    ("POST", "/quizzes/{quiz}/regrade", MANAGERS, None),
    ("GET", "/quizzes/{quiz}/statistics", STAFF_OF_CLASS, None),
    ("GET", "/quizzes/{quiz}/export.csv", STAFF_OF_CLASS, None),
    ("GET", "/quizzes/{quiz}/export.xlsx", STAFF_OF_CLASS, None),
    ("POST", "/quizzes/{quiz}/release-keys", MANAGERS, {"understood": "yes"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "allowed", "data"), ROUTES, ids=[f"{m} {t}" for m, t, _a, _d in ROUTES])
def test_route_access(app, client, db_session, exam, staff, role, method, template, allowed, data):
    attempt = take(app, db_session, exam, exam.trainee)
    ids = {**staff.ids, "attempt": attempt.id}
    if role != "anonymous":
        login(client, staff.usernames[role])
    path = template.format(**ids)
    if method == "GET":
        response = client.get(path)
    else:
        form = {key: value.format(**ids) for key, value in (data or {}).items()}
        response = client.post(path, data={"csrf_token": fetch_csrf(client), **form})
    if role in allowed:
        assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
        if response.status_code == 302:
            assert "/login" not in response.headers["Location"]
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in ("other_organiser", "other_trainer"):
        # Staff outside the class do not learn that it, its test results or its attempts exist.
        assert response.status_code in (403, 404)
    else:
        assert response.status_code == 403


def test_every_staff_route_is_in_the_matrix(app):
    adapter = app.url_map.bind("localhost")
    sample = {"class": 1, "quiz": 1, "opening": 1, "attempt": 1, "trainee": 1}
    covered = {adapter.match(template.format(**sample), method=method)[0] for method, template, _a, _d in ROUTES}
    staff_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("quizzes_staff.")}
    assert staff_endpoints == covered


def test_class_page_links_to_its_tests(client, exam):
    login(client, exam.trainer.username)
    html = client.get(f"/classes/{exam.training_class.id}").get_data(as_text=True)
    assert f"/classes/{exam.training_class.id}/tests" in html


# --------------------------------------------------------------------------- opening and closing


def test_close_then_open_now_for_n_minutes(client, db_session, exam):
    login(client, exam.trainer.username)
    response = post_form(client, f"/openings/{exam.opening.id}/close")
    assert response.status_code == 302
    now = utcnow()
    assert current_opening(db_session, exam.trainee, exam.quiz, now) is None
    response = post_form(client, f"/classes/{exam.training_class.id}/tests/{exam.quiz.id}/open",
                         {"mode": "now", "minutes": "25"})
    assert response.status_code == 302
    opening = current_opening(db_session, exam.trainee, exam.quiz, utcnow())
    assert opening is not None and opening.id != exam.opening.id and opening.opened_by_id == exam.trainer.id
    assert timedelta(minutes=24) < opening.closes_at - now <= timedelta(minutes=25, seconds=5)
    page = client.get(f"/classes/{exam.training_class.id}/tests").get_data(as_text=True)
    assert page.count('badge badge-ok">') >= 2  # the test and its new window are shown as open


def test_schedule_a_window_in_vietnam_time(client, db_session, exam):
    login(client, exam.organiser.username)
    day = (utcnow().astimezone(VN) + timedelta(days=1)).date()
    response = post_form(client, f"/classes/{exam.training_class.id}/tests/{exam.quiz.id}/open",
                         {"mode": "window", "day": day.strftime("%d/%m/%Y"), "starts": "08:00", "ends": "09:30"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    opening = db_session.scalars(select(QuizOpening).where(QuizOpening.class_id == exam.training_class.id)
                                 .order_by(QuizOpening.id.desc())).first()
    assert opening.opens_at.astimezone(VN).strftime("%d/%m/%Y %H:%M") == f"{day:%d/%m/%Y} 08:00"
    assert opening.closes_at - opening.opens_at == timedelta(minutes=90)
    assert current_opening(db_session, exam.trainee, exam.quiz, opening.opens_at + timedelta(minutes=1)).id == opening.id
    assert current_opening(db_session, exam.trainee, exam.quiz, opening.closes_at + timedelta(minutes=1)) is None
    page = client.get(f"/classes/{exam.training_class.id}/tests").get_data(as_text=True)
    assert f"08:00 {day:%d/%m/%Y}" in page and f"09:30 {day:%d/%m/%Y}" in page


@pytest.mark.parametrize("data", [
    {"mode": "window", "day": "01/01/2020", "starts": "08:00", "ends": "09:00"},  # already over
    {"mode": "window", "day": "01/01/2099", "starts": "09:00", "ends": "08:00"},  # ends before it starts
    {"mode": "window", "day": "2099-01-01", "starts": "08:00", "ends": "09:00"},  # not dd/mm/yyyy
    {"mode": "window", "day": "01/01/2099", "starts": "8h", "ends": "09:00"},
    {"mode": "now", "minutes": "0"},
])
def test_bad_windows_are_refused(client, db_session, exam, data):
    login(client, exam.trainer.username)
    before = db_session.scalars(select(QuizOpening.id)).all()
    response = post_form(client, f"/classes/{exam.training_class.id}/tests/{exam.quiz.id}/open", data)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert db_session.scalars(select(QuizOpening.id)).all() == before


def test_closing_ends_an_attempt_in_progress(app, client, db_session, exam):
    attempt = take(app, db_session, exam, exam.trainee, submit=False)
    login(client, exam.trainer.username)
    post_form(client, f"/openings/{exam.opening.id}/close")
    db_session.refresh(attempt)
    assert attempt.deadline_at <= utcnow()
    page = client.get(f"/classes/{exam.training_class.id}/tests").get_data(as_text=True)
    assert "Close now" not in page and "Đóng ngay" not in page


def test_live_counts_on_the_class_page(app, client, db_session, exam):
    take(app, db_session, exam, exam.trainee)
    take(app, db_session, exam, exam.other_trainee, submit=False)
    login(client, exam.trainer.username)
    html = client.get(f"/classes/{exam.training_class.id}/tests").get_data(as_text=True)
    assert "<strong>2</strong>/2" in html  # both started
    counts = html.split('class="live-counts"')[1].split("</ul>")[0]
    assert counts.count("<strong>1</strong>") == 2  # one in progress, one submitted


# --------------------------------------------------------------------------- results, review, sweep


def test_results_sorted_by_given_name_and_only_visible_classes(app, client, db_session, exam):
    body = exam.training_class.organising_body
    third = make_user(db_session, Role.TRAINEE, body=body, username="thi.sinh3", full_name="Trần Văn Ánh")
    other_trainer = make_user(db_session, Role.TRAINER, body=body, username="gv.lop2")
    outsider = make_user(db_session, Role.TRAINEE, body=body, username="thi.sinh4", full_name="Phạm Văn Anh")
    second = make_class(db_session, body=body, course=exam.training_class.course, trainers=[other_trainer],
                        trainees=[outsider])
    db_session.add(QuizOpening(quiz_id=exam.quiz.id, class_id=second.id, opens_at=exam.opening.opens_at,
                               closes_at=exam.opening.closes_at))
    from lms.classes.models import Enrolment

    db_session.add(Enrolment(class_id=exam.training_class.id, user_id=third.id))
    db_session.commit()
    for user in (exam.other_trainee, third, exam.trainee, outsider):
        take(app, db_session, exam, user, wrong=("km-001",) if user is third else ())
    login(client, exam.trainer.username)
    html = client.get(f"/quizzes/{exam.quiz.id}/attempts").get_data(as_text=True)
    positions = [html.index(name) for name in ("Nguyễn Văn An", "Trần Văn Ánh", "Lê Thị Bình")]
    assert positions == sorted(positions)
    assert "Phạm Văn Anh" not in html  # another trainer's class
    assert "7/8" in html and "8/8" in html
    client.post("/logout", data={"csrf_token": fetch_csrf(client)})
    login(client, exam.organiser.username)
    html = client.get(f"/quizzes/{exam.quiz.id}/attempts?class_id={second.id}").get_data(as_text=True)
    assert "Phạm Văn Anh" in html and "Nguyễn Văn An" not in html


def test_class_filter_outside_my_classes_is_not_found(client, db_session, exam):
    body = exam.training_class.organising_body
    second = make_class(db_session, body=body, course=exam.training_class.course)
    db_session.commit()
    login(client, exam.trainer.username)
    assert client.get(f"/quizzes/{exam.quiz.id}/attempts?class_id={second.id}").status_code == 404


def test_review_shows_every_answer_and_the_log(app, client, db_session, exam):
    attempt = take(app, db_session, exam, exam.trainee, wrong=("km-001",))
    login(client, exam.trainer.username)
    html = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    for item in attempt.questions:
        assert PresentedQuestion.from_storage_dict(item.presentation).stem in html
    assert "Người dân và tổ chức" in html and "choice-correct" in html and "choice-chosen" in html
    assert "PDCA" in html  # the short answer given and expected
    assert "203.0.113.7" in html and "Chrome/130" in html
    started = attempt.started_at.astimezone(VN).strftime("%d/%m/%Y %H:%M:%S")
    assert started in html


def test_open_overdue_attempts_are_closed_when_the_results_load(app, client, db_session, exam):
    attempt = take(app, db_session, exam, exam.trainee, submit=False)
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db_session.commit()
    login(client, exam.trainer.username)
    assert client.get(f"/quizzes/{exam.quiz.id}/attempts").status_code == 200
    db_session.refresh(attempt)
    assert attempt.state == AttemptState.CLOSED and attempt.score == attempt.max_score


def test_a_busy_database_does_not_break_the_page(client, exam, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from lms.quizzes.results import reports

    def busy(*args, **kwargs):
        raise OperationalError("UPDATE attempts", {}, Exception("database is locked"))

    monkeypatch.setattr(reports, "sweep_quiz", busy)
    login(client, exam.trainer.username)
    assert client.get(f"/quizzes/{exam.quiz.id}/attempts").status_code == 200


# --------------------------------------------------------------------------- override


def test_override_extends_an_attempt_in_progress(app, client, db_session, exam):
    attempt = take(app, db_session, exam, exam.trainee, submit=False)
    before = attempt.deadline_at
    login(client, exam.trainer.username)
    response = post_form(client, f"/quizzes/{exam.quiz.id}/overrides",
                         {"user_id": str(exam.trainee.id), "extra_minutes": "15", "extra_attempts": "1",
                          "reason": "Mất kết nối mạng"})
    assert response.status_code == 302
    db_session.refresh(attempt)
    assert attempt.deadline_at - before == timedelta(minutes=15)
    assert "Mất kết nối mạng" in client.get(f"/quizzes/{exam.quiz.id}/attempts").get_data(as_text=True)


def test_override_refuses_a_trainee_outside_my_classes(client, db_session, exam):
    stranger = make_user(db_session, Role.TRAINEE, body=exam.training_class.organising_body, username="la.mat")
    db_session.commit()
    login(client, exam.trainer.username)
    response = post_form(client, f"/quizzes/{exam.quiz.id}/overrides",
                         {"user_id": str(stranger.id), "extra_minutes": "15", "extra_attempts": "0"})
    assert response.status_code == 400  # not among the choices


# --------------------------------------------------------------------------- regrade


def _fix_key(db_session, quiz, key: str) -> None:
    """Make option 2 of a single-choice question the right one (the key was wrong)."""
    question = db_session.scalar(select(Question).where(Question.key == key))
    options = [dict(option, weight=100.0 if index == 1 else 0.0) for index, option in enumerate(question.data["options"])]
    question.data = {**question.data, "options": options}
    db_session.commit()


def test_regrade_preview_changes_nothing_and_apply_changes_scores(app, client, db_session, exam):
    attempt = take(app, db_session, exam, exam.trainee, wrong=("km-001",))
    assert attempt.score == 7
    _fix_key(db_session, exam.quiz, "km-001")
    login(client, exam.organiser.username)
    preview = client.get(f"/quizzes/{exam.quiz.id}/regrade").get_data(as_text=True)
    assert "Nguyễn Văn An" in preview and 'changed">8' in preview
    db_session.expire_all()
    stored = db_session.get(Attempt, attempt.id)
    assert stored.score == 7 and all(q.score is not None for q in stored.questions)
    response = post_form(client, f"/quizzes/{exam.quiz.id}/regrade")
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Attempt, attempt.id).score == 8


def test_trainer_sees_the_preview_without_the_apply_button(app, client, db_session, exam):
    take(app, db_session, exam, exam.trainee, wrong=("km-001",))
    _fix_key(db_session, exam.quiz, "km-001")
    login(client, exam.trainer.username)
    html = client.get(f"/quizzes/{exam.quiz.id}/regrade").get_data(as_text=True)
    assert "Nguyễn Văn An" in html and f"/quizzes/{exam.quiz.id}/regrade\" class=\"actions\"" not in html


def test_regrade_by_an_organiser_leaves_other_bodies_alone(app, client, db_session, exam):
    other_body = make_body(db_session)
    outsider = make_user(db_session, Role.TRAINEE, body=other_body, username="ngoai.so", full_name="Đỗ Thị Lan")
    other_class = make_class(db_session, body=other_body, course=exam.training_class.course, trainees=[outsider])
    db_session.add(QuizOpening(quiz_id=exam.quiz.id, class_id=other_class.id, opens_at=exam.opening.opens_at,
                               closes_at=exam.opening.closes_at))
    db_session.commit()
    mine = take(app, db_session, exam, exam.trainee, wrong=("km-001",))
    theirs = take(app, db_session, exam, outsider, wrong=("km-001",))
    _fix_key(db_session, exam.quiz, "km-001")
    login(client, exam.organiser.username)
    assert "Đỗ Thị Lan" not in client.get(f"/quizzes/{exam.quiz.id}/regrade").get_data(as_text=True)
    post_form(client, f"/quizzes/{exam.quiz.id}/regrade")
    db_session.expire_all()
    assert db_session.get(Attempt, mine.id).score == 8 and db_session.get(Attempt, theirs.id).score == 7


# --------------------------------------------------------------------------- statistics


def test_statistics_warn_with_few_attempts(app, client, db_session, exam):
    take(app, db_session, exam, exam.trainee)
    take(app, db_session, exam, exam.other_trainee, wrong=("km-001",))
    login(client, exam.trainer.username)
    html = client.get(f"/quizzes/{exam.quiz.id}/statistics").get_data(as_text=True)
    warning = html.split('id="few-attempts"')[1].split("</p>")[0]
    assert re.findall(r"\d+", warning) == ["2", "30"]
    section = html.split("km-001")[1].split("</section>")[0]
    assert "50 %" in section  # facility of km-001: one right, one wrong
    assert section.count('<td class="num">1</td>') == 2  # option 1 and option 2 chosen once each


def test_statistics_without_attempts(client, exam):
    login(client, exam.organiser.username)
    html = client.get(f"/quizzes/{exam.quiz.id}/statistics").get_data(as_text=True)
    assert 'id="few-attempts"' in html


# --------------------------------------------------------------------------- exports


@pytest.fixture
def results(app, db_session, exam):
    unit = make_unit(db_session, name="UBND phường Bến Thành", kind="ward")
    exam.trainee.date_of_birth, exam.trainee.work_unit_id = date(1985, 11, 2), unit.id
    exam.other_trainee.full_name = "=HYPERLINK(\"http://x\") Bình"
    db_session.commit()
    take(app, db_session, exam, exam.other_trainee, wrong=("km-001", "km-006"))
    take(app, db_session, exam, exam.trainee)
    return exam


def test_csv_export(client, results):
    login(client, results.organiser.username)
    response = client.get(f"/quizzes/{results.quiz.id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_HEADERS and rows[0][:3] == ["STT", "Họ và tên", "Ngày sinh"]
    assert [row[1] for row in rows[1:]] == ["Nguyễn Văn An", "'=HYPERLINK(\"http://x\") Bình"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Ngày sinh"] == "02/11/1985" and first["Đơn vị công tác"] == "UBND phường Bến Thành"
    assert first["Điểm"] == "8" and first["Tỷ lệ (%)"] == "100" and first["Kết quả"] == "Đạt"
    assert first["Trạng thái"] == "Đã nộp bài" and first["Lớp"] == results.training_class.name
    assert len(first["Bắt đầu"]) == 16 and first["Bắt đầu"][2] == "/"
    assert dict(zip(rows[0], rows[2], strict=True))["Kết quả"] in ("Đạt", "Chưa đạt")


def test_xlsx_export(client, results):
    login(client, results.organiser.username)
    response = client.get(f"/quizzes/{results.quiz.id}/export.xlsx?class_id={results.training_class.id}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_HEADERS
    assert [row[1] for row in rows[1:]] == ["Nguyễn Văn An", "=HYPERLINK(\"http://x\") Bình"]
    assert sheet["B3"].data_type == "s" and sheet["B3"].quotePrefix  # text, never a formula
    assert rows[1][2].date() == date(1985, 11, 2) and sheet["C2"].number_format == "DD/MM/YYYY"
    assert rows[1][9] == 8 and rows[1][12] == "Đạt"


def test_exports_never_fail_on_stored_control_characters(client, db_session, results):
    results.trainee.full_name = "Nguyễn\x01 Văn\x1b An\ufffe"  # as an old row or a direct database edit might hold
    results.trainee.work_unit.name = "@UBND\x02 phường -1"  # PostgreSQL cannot hold NUL
    db_session.commit()
    login(client, results.organiser.username)
    xlsx = client.get(f"/quizzes/{results.quiz.id}/export.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert (sheet["B2"].value, sheet["D2"].value) == ("Nguyễn Văn An", "@UBND phường -1")
    assert sheet["D2"].quotePrefix and not sheet["B2"].quotePrefix
    rows = list(csv.reader(io.StringIO(client.get(f"/quizzes/{results.quiz.id}/export.csv").data.decode("utf-8-sig"))))
    assert (rows[1][1], rows[1][3]) == ("Nguyễn Văn An", "'@UBND phường -1")


def test_csv_export_of_nobody_lists_the_class_as_not_sat(client, exam):
    login(client, exam.organiser.username)
    raw = client.get(f"/quizzes/{exam.quiz.id}/export.csv").get_data()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_HEADERS
    assert [(row[0], row[1], row[12]) for row in rows[1:]] == [("1", "Nguyễn Văn An", "Chưa thi"),
                                                                 ("2", "Lê Thị Bình", "Chưa thi")]
