"""A test draws from its course's content banks and its own body's web banks, never from another body's."""

from __future__ import annotations

import pytest

from lms.auth.models import Role
from lms.errors import NotFound
from lms.quizzes.authoring import banks, quiz_editor
from lms.quizzes.authoring.test_definition import DrawRule, TestDefinition
from lms.quizzes.questions import Option, QuestionData, QuestionType
from lms.quizzes.taking.openings import open_quiz, quizzes_for_class
from lms.quizzes.taking.pool import quiz_pool
from tests.factories import make_body, make_class, make_user


def _web_bank(session, course, body, prefix: str):
    bank = banks.create_bank(session, course, slug=f"bs-{prefix}", title=prefix, body_id=body.id)
    for n in range(3):
        banks.add_question(session, bank, QuestionData(
            key=f"{prefix}-{n}", type=QuestionType.SINGLE, stem=f"Câu {prefix} số {n}?", module="hoc-phan-mot",
            options=[Option("Có", 100.0), Option("Không")]), now=session.info.get("now") or _now())
    return bank


def _now():
    from lms.db import utcnow
    return utcnow()


def _web_test(session, course, organiser, slug: str):
    return quiz_editor.save_test(session, course, organiser, TestDefinition(
        slug=slug, title=slug, title_en=slug, time_limit_minutes=10, pass_mark_percent=50, max_attempts=1,
        draw=[DrawRule(count=2, module="hoc-phan-mot")]), now=_now())


@pytest.fixture
def two_bodies(db_session, exam, app_ctx):
    body_a = exam.training_class.organising_body
    body_b = make_body(db_session)
    organiser_b = make_user(db_session, Role.ORGANISER, body=body_b)
    course = exam.training_class.course
    _web_bank(db_session, course, body_a, "a")
    _web_bank(db_session, course, body_b, "b")
    return body_a, body_b, organiser_b, course


def _keys(session, quiz) -> set[str]:
    return {entry.question.key for entry in quiz_pool(session, quiz).entries}


def test_content_test_draws_from_content_banks_only(db_session, exam, two_bodies):
    keys = _keys(db_session, exam.quiz)
    assert keys and not any(key.startswith(("a-", "b-")) for key in keys)


def test_web_test_draws_from_its_own_body_and_content(db_session, exam, two_bodies):
    _body_a, _body_b, organiser_b, course = two_bodies
    test_a = _web_test(db_session, course, exam.organiser, "web-a")
    test_b = _web_test(db_session, course, organiser_b, "web-b")
    keys_a, keys_b = _keys(db_session, test_a), _keys(db_session, test_b)
    assert {"a-0", "a-1", "a-2"} <= keys_a and not any(k.startswith("b-") for k in keys_a)
    assert {"b-0", "b-1", "b-2"} <= keys_b and not any(k.startswith("a-") for k in keys_b)
    assert _keys(db_session, exam.quiz) <= keys_a


def test_another_body_web_test_cannot_be_opened_for_a_class(db_session, exam, two_bodies, clock):
    _body_a, body_b, organiser_b, course = two_bodies
    test_b = _web_test(db_session, course, organiser_b, "web-b")
    assert test_b.id not in {q.id for q in quizzes_for_class(db_session, exam.organiser, exam.training_class)}
    admin = make_user(db_session, Role.ADMIN)
    assert test_b.id not in {q.id for q in quizzes_for_class(db_session, admin, exam.training_class)}
    with pytest.raises(NotFound):
        open_quiz(db_session, admin, quiz=test_b, training_class=exam.training_class, opens_at=clock.now,
                  closes_at=clock.now.replace(year=clock.now.year + 1))
    class_b = make_class(db_session, body=body_b, course=course, trainers=[])
    assert test_b.id in {q.id for q in quizzes_for_class(db_session, organiser_b, class_b)}


def test_same_key_in_two_bodies_is_allowed_but_not_within_one(db_session, exam, two_bodies):
    body_a, body_b, _organiser_b, course = two_bodies
    other_b = banks.create_bank(db_session, course, slug="bs-b2", title="b2", body_id=body_b.id)
    question = QuestionData(key="a-0", type=QuestionType.SINGLE, stem="Một câu khác hẳn?", module="hoc-phan-mot",
                            options=[Option("Có", 100.0), Option("Không")])
    banks.add_question(db_session, other_b, question, now=_now())  # a-0 is body A's: body B may use the key
    other_a = banks.create_bank(db_session, course, slug="bs-a2", title="a2", body_id=body_a.id)
    with pytest.raises(banks.ProblemsFound, match="a-0"):
        banks.add_question(db_session, other_a, question, now=_now())
