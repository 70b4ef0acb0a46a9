"""Self-checks that ask first (the page holds the practice key) and the outline's checked-on date and basis."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime

import pytest

from lms.auth.models import Role
from lms.content_sync import sync_content
from lms.courses.content import ContentError, read_all_courses
from lms.courses.self_check import self_checks
from tests.conftest import FIXTURES, login
from tests.factories import load_fixture_content, make_body, make_class, make_user

NOW = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
SINGLE = {"key": "a", "type": "single", "stem": "Câu?", "explanation": "Vì thế.",
          "options": [{"text": "Đúng", "weight": 100.0}, {"text": "Sai một", "weight": 0.0},
                      {"text": "Sai hai", "weight": 0.0}]}


def test_choices_are_shuffled_the_same_way_on_every_visit_and_the_key_names_the_right_one():
    first, again = self_checks(7, [SINGLE])[0], self_checks(7, [SINGLE])[0]
    assert [c.text for c in first.choices] == [c.text for c in again.choices]
    assert sorted(c.text for c in first.choices) == ["Sai hai", "Sai một", "Đúng"]
    assert first.answer_key == {"correct": ["0"]} and first.answer_lines == ["Đúng"]


def test_every_type_gets_a_key():
    items = [
        {"key": "tf", "type": "true_false", "stem": "Đ/S?", "truth": False},
        {"key": "m", "type": "matching", "stem": "Ghép", "pairs": [{"left": "A", "right": "1"},
                                                                   {"left": "B", "right": "2"}],
         "distractors": ["3"]},
        {"key": "o", "type": "ordering", "stem": "Xếp", "order_items": ["P", "D", "C", "A"]},
        {"key": "s", "type": "short", "stem": "Viết", "short_answers": [{"text": "Một cửa", "weight": 100}],
         "ignore_diacritics": True},
        {"key": "n", "type": "numeric", "stem": "Số", "numeric_answers": [{"value": 39, "tolerance": 0}]},
    ]
    tf, matching, ordering, short, numeric = self_checks(1, items)
    assert tf.answer_key == {"correct": ["false"]}
    assert matching.answer_key == {"pairs": ["0", "1"]} and [r.text for r in matching.rights] == ["1", "2", "3"]
    assert ordering.answer_key["positions"] == {"0": "1", "1": "2", "2": "3", "3": "4"}
    assert short.answer_key == {"answers": ["Một cửa"], "ignore_diacritics": True}
    assert numeric.answer_key == {"ranges": [[39, 39]]}


@pytest.fixture
def enrolled_trainee(client, db_session):
    body = make_body(db_session)
    trainee = make_user(db_session, Role.TRAINEE, body=body, username="hv.tukiem")
    course = load_fixture_content(db_session)
    make_class(db_session, body=body, course=course, trainees=[trainee])
    db_session.commit()
    login(client, "hv.tukiem")
    return course


def test_lesson_page_asks_first_and_carries_the_practice_key(client, enrolled_trainee):
    html = client.get("/courses/khoa-mau/hoc-phan-mot/bai-mo-dau").get_data(as_text=True)
    assert html.count("data-self-check ") == 3 and re.search(r"js/self_check\.[0-9a-f]{12}\.js", html)
    assert 'type="radio" name="check-2"' in html and "Kiểm tra" in html
    keys = [json.loads(k.replace("&#34;", '"')) for k in re.findall(r"data-answer-key='([^']*)'", html)]
    assert keys[0] == {"correct": ["true"]}
    assert keys[2]["positions"] == {"0": "1", "1": "2", "2": "3", "3": "4"}
    # the explanation waits, hidden, until the trainee has answered
    assert re.search(r'<div class="check-why" hidden>\s*<p class="explanation">Kết quả giải quyết', html)


def test_outline_shows_when_the_content_was_checked_and_its_basis(client, db_session, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    course_yaml = content / "courses/khoa-mau/course.yaml"
    course_yaml.write_text(course_yaml.read_text(encoding="utf-8") + "checked_on: 2026-12-04\n"
                           'basis: ["TCVN ISO 9001:2015", "QĐ 19/2014/QĐ-TTg"]\n', encoding="utf-8")
    with db_session.info["app"].app_context():
        sync_content(db_session, str(content), now=NOW)
    db_session.commit()
    html = client.get("/courses/khoa-mau").get_data(as_text=True)
    assert "Nội dung được rà soát lần cuối" in html and '<time datetime="2026-12-04">04/12/2026</time>' in html
    assert "<li>TCVN ISO 9001:2015</li>" in html and "<li>QĐ 19/2014/QĐ-TTg</li>" in html


def test_outline_says_when_no_check_is_recorded(client, enrolled_trainee):
    html = client.get("/courses/khoa-mau").get_data(as_text=True)
    assert "chưa ghi nhận" in html


@pytest.mark.parametrize(("lines", "message"), [
    ("checked_on: hôm qua\n", "'checked_on' phải là ngày dạng YYYY-MM-DD"),
    ("basis: TCVN ISO 9001:2015\n", "'basis' phải là danh sách"),
])
def test_bad_checked_on_or_basis_is_reported_with_its_file(tmp_path, lines, message):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    course_yaml = content / "courses/khoa-mau/course.yaml"
    course_yaml.write_text(course_yaml.read_text(encoding="utf-8") + lines, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        read_all_courses(content)
    assert any(p.startswith("courses/khoa-mau/course.yaml:1: ") and message in p for p in raised.value.problems)


def test_checked_on_is_read_as_a_date(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    course_yaml = content / "courses/khoa-mau/course.yaml"
    course_yaml.write_text(course_yaml.read_text(encoding="utf-8") + 'checked_on: "2026-12-01"\n', encoding="utf-8")
    assert read_all_courses(content)[0].checked_on == date(2026, 12, 1)


def test_a_question_removed_from_the_files_is_retired_not_deleted(db_session, tmp_path):
    """Attempts point at their questions (with a snapshot): a retired question stays, inactive, and is not drawn."""
    from sqlalchemy import select

    from lms.quizzes.models import Question

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    app = db_session.info["app"]
    with app.app_context():
        sync_content(db_session, str(content), now=NOW)
        bank = content / "courses/khoa-mau/questions/hoc-phan-hai.yaml"
        text = bank.read_text(encoding="utf-8")
        first, rest = text.split("  - key: ", 2)[1:]
        removed_key = first.split("\n")[0]
        bank.write_text(text.replace("  - key: " + first, ""), encoding="utf-8")
        test = content / "courses/khoa-mau/tests/kiem-tra-cuoi-khoa.yaml"
        test.write_text(test.read_text(encoding="utf-8").replace("hoc-phan-hai, count: 3", "hoc-phan-hai, count: 2"),
                        encoding="utf-8")
        sync_content(db_session, str(content), now=NOW)
    retired = db_session.scalar(select(Question).where(Question.key == removed_key))
    assert retired is not None and retired.active is False and rest
