"""Tests defined in the web editor: reading a stored test back, checking and saving a definition."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.auth.models import User
from lms.courses.models import Course
from lms.errors import NotFound
from lms.quizzes.authoring.banks import SLUG, ProblemsFound, require_editable, scope_questions
from lms.quizzes.authoring.feasibility import draw_rule_problems
from lms.quizzes.authoring.ownership import banks_of_test, drawable_banks, owner_body_id, require_visible, visible_to
from lms.quizzes.authoring.serialize import rule_to_dict
from lms.quizzes.authoring.test_definition import TestDefinition
from lms.quizzes.models import Quiz


def course_tests(session: Session, course: Course, actor: User) -> list[Quiz]:
    """The course's tests the actor may see: content tests and their own body's web tests."""
    return list(session.scalars(select(Quiz).where(Quiz.course_id == course.id, visible_to(actor, Quiz))
                                .order_by(Quiz.title)))


def get_test(session: Session, course: Course, quiz_id: int, actor: User) -> Quiz:
    """The test, or 404 when it is not the course's or belongs to another organising body."""
    quiz = session.get(Quiz, quiz_id)
    if quiz is None or quiz.course_id != course.id:
        raise NotFound()
    return require_visible(actor, quiz)


def new_test_scope(course: Course, actor: User):
    """The banks a new test of this actor would draw from."""
    return drawable_banks(course.id, owner_body_id(actor), content_only=False)


def save_test(session: Session, course: Course, actor: User, test: TestDefinition, *, quiz: Quiz | None = None,
              now: datetime) -> Quiz:
    """Create a web test of the actor's body (``quiz`` None) or update one; its slug never changes.

    Refused unless the limits are in range and the questions it draws from can satisfy every draw rule.
    """
    if quiz is not None:
        require_editable(quiz)
    problems = _test_problems(test)
    if quiz is None and not SLUG.fullmatch(test.slug):
        problems.append(_("The short name may only hold lowercase letters without marks, digits and dashes."))
    elif quiz is None and session.scalar(select(Quiz.id).where(Quiz.course_id == course.id, Quiz.slug == test.slug)):
        problems.append(_("This course already has a test with this short name."))
    scope = banks_of_test(quiz) if quiz is not None else new_test_scope(course, actor)
    problems += [p.message for p in draw_rule_problems(test, scope_questions(session, scope))]
    if problems:
        raise ProblemsFound(problems)
    if quiz is None:
        quiz = Quiz(course_id=course.id, slug=test.slug, from_content=False, organising_body_id=owner_body_id(actor))
        session.add(quiz)
    apply_test_definition(quiz, test, now=now)
    session.flush()
    return quiz


def _test_problems(test: TestDefinition) -> list[str]:
    problems = []
    if not test.title.strip():
        problems.append(_("The test needs a title."))
    if test.time_limit_minutes < 1:
        problems.append(_("The time limit must be at least 1 minute."))
    if not 0 <= test.pass_mark_percent <= 100:
        problems.append(_("The pass mark must be between 0 and 100%."))
    if test.max_attempts < 0:
        problems.append(_("The number of attempts cannot be negative (0 means unlimited)."))
    if not test.draw:
        problems.append(_("Add at least one draw rule."))
    return problems





def apply_test_definition(quiz: Quiz, test: TestDefinition, *, now: datetime) -> None:
    quiz.title, quiz.title_en = test.title, test.title_en
    quiz.time_limit_minutes, quiz.pass_mark_percent = test.time_limit_minutes, test.pass_mark_percent
    quiz.max_attempts, quiz.attempt_policy = test.max_attempts, str(test.attempt_policy)
    quiz.shuffle_questions, quiz.shuffle_options = test.shuffle_questions, test.shuffle_options
    quiz.navigation, quiz.avoid_repeats = str(test.navigation), test.avoid_repeats
    quiz.review_after_submit = sorted(str(item) for item in test.review_after_submit)
    quiz.review_after_close = sorted(str(item) for item in test.review_after_close)
    quiz.draw_rules = [rule_to_dict(rule) for rule in test.draw]
    quiz.updated_at = now




