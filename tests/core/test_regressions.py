"""Fixes for problems found while testing the foundation; each test names what used to go wrong."""

from __future__ import annotations

import pytest

from lms.auth.models import Role
from lms.classes.models import Enrolment
from lms.classes.services import enrol
from lms.content_sync import ContentSyncError, read_content
from lms.errors import RuleViolation
from lms.organisations.services import search_people
from tests.courses.test_content import copy_content, replace_line
from tests.factories import load_fixture_content, make_body, make_class, make_user


def test_lesson_and_bank_problems_are_reported_in_one_run(tmp_path):
    content = copy_content(tmp_path)
    replace_line(content, "courses/khoa-mau/01-hoc-phan-mot/02-bai-hai.md", 2, "slug: bai-sai")
    replace_line(content, "courses/khoa-mau/questions/hoc-phan-hai.yaml", 1, "module: hoc-phan-sai")
    with pytest.raises(ContentSyncError) as error:
        read_content(str(content))
    message = str(error.value)
    assert "02-bai-hai.md:2:" in message and "questions/hoc-phan-hai.yaml:1:" in message


def test_a_broken_course_file_does_not_hide_its_lessons_problems(tmp_path):
    content = copy_content(tmp_path)
    (content / "courses/khoa-mau/course.yaml").write_text("slug: [broken\n", encoding="utf-8")
    replace_line(content, "courses/khoa-mau/01-hoc-phan-mot/02-bai-hai.md", 2, "slug: bai-sai")
    with pytest.raises(ContentSyncError) as error:
        read_content(str(content))
    assert "course.yaml:" in str(error.value) and "02-bai-hai.md:2:" in str(error.value)


def test_a_lesson_saved_with_a_byte_order_mark_loads(tmp_path):
    content = copy_content(tmp_path)
    lesson = content / "courses/khoa-mau/01-hoc-phan-mot/02-bai-hai.md"
    lesson.write_bytes(b"\xef\xbb\xbf" + lesson.read_bytes().replace(b"\n", b"\r\n"))
    courses, _quizzes = read_content(str(content))
    assert courses[0].modules[0].lessons[1].title == "Bài hai"


def test_a_refused_enrolment_list_adds_nobody(db_session):
    body, other_body = make_body(db_session), make_body(db_session)
    organiser = make_user(db_session, Role.ORGANISER, body=body)
    good = make_user(db_session, Role.TRAINEE, body=body)
    outsider = make_user(db_session, Role.TRAINEE, body=other_body)
    training_class = make_class(db_session, body=body, course=load_fixture_content(db_session))
    with db_session.info["app"].test_request_context(), pytest.raises(RuleViolation):
        enrol(db_session, organiser, training_class, [good.id, outsider.id])
    db_session.flush()
    assert db_session.query(Enrolment).filter_by(class_id=training_class.id).count() == 0


@pytest.mark.parametrize("needle", ["%", "_", "\\"])
def test_search_wildcards_are_taken_literally(db_session, needle):
    body = make_body(db_session)
    organiser = make_user(db_session, Role.ORGANISER, body=body)
    make_user(db_session, Role.TRAINEE, body=body, full_name="Nguyễn Thị Hương")
    assert search_people(db_session, organiser, text=needle) == []
