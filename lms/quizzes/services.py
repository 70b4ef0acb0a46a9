"""Quiz rules that are not about one attempt: storing banks and tests, opening a test for a class."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.classes.models import TrainingClass
from lms.classes.services import get_class
from lms.courses.models import Course
from lms.errors import Forbidden, NotFound, RuleViolation
from lms.quizzes.content import CourseQuizzes
from lms.quizzes.models import Attempt, AttemptState, Question, QuestionBank, Quiz, QuizOpening
from lms.quizzes.prepared import prepare_first_attempts
from lms.quizzes.questions import QuestionData
from lms.quizzes.serialize import question_to_dict, rule_to_dict
from lms.quizzes.test_definition import TestDefinition


def sync_course_quizzes(session: Session, course: Course, found: CourseQuizzes, *, now: datetime) -> None:
    """Upsert the course's content banks and tests by slug/key; questions gone from the files are retired."""
    banks = {b.slug: b for b in session.scalars(select(QuestionBank).where(QuestionBank.course_id == course.id))}
    for slug, questions in found.banks.items():
        bank = banks.get(slug) or QuestionBank(course_id=course.id, slug=slug, title=slug, from_content=True)
        session.add(bank)
        session.flush()
        _sync_questions(session, bank, questions, now=now)
    for slug, bank in banks.items():
        if bank.from_content and slug not in found.banks:
            _sync_questions(session, bank, [], now=now)
    for test in found.tests:
        _sync_quiz(session, course, test, now=now)
    session.flush()


def _sync_questions(session: Session, bank: QuestionBank, questions: list[QuestionData], *, now: datetime) -> None:
    existing = {q.key: q for q in session.scalars(select(Question).where(Question.bank_id == bank.id))}
    for data in questions:
        stored = existing.pop(data.key, None)
        payload = question_to_dict(data)
        if stored is None:
            session.add(_new_question(bank, data, payload, now))
        elif stored.data != payload or not stored.active:
            _update_question(stored, data, payload, now)
    for retired in existing.values():
        retired.active = False


def _new_question(bank: QuestionBank, data: QuestionData, payload: dict, now: datetime) -> Question:
    return Question(bank_id=bank.id, key=data.key, type=str(data.type), module=data.module, tags=list(data.tags),
                    difficulty=str(data.difficulty), stem=data.stem, data=payload, updated_at=now)


def _update_question(stored: Question, data: QuestionData, payload: dict, now: datetime) -> None:
    if stored.data != payload:
        stored.version += 1
    stored.type, stored.module, stored.tags = str(data.type), data.module, list(data.tags)
    stored.difficulty, stored.stem, stored.data = str(data.difficulty), data.stem, payload
    stored.active, stored.updated_at = True, now


def _sync_quiz(session: Session, course: Course, test: TestDefinition, *, now: datetime) -> Quiz:
    quiz = session.scalar(select(Quiz).where(Quiz.course_id == course.id, Quiz.slug == test.slug))
    if quiz is None:
        quiz = Quiz(course_id=course.id, slug=test.slug, from_content=True)
        session.add(quiz)
    apply_test_definition(quiz, test, now=now)
    return quiz


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


def get_quiz(session: Session, quiz_id: int) -> Quiz:
    quiz = session.get(Quiz, quiz_id)
    if quiz is None:
        raise NotFound()
    return quiz


def quizzes_of_course(session: Session, course_id: int) -> list[Quiz]:
    return list(session.scalars(select(Quiz).where(Quiz.course_id == course_id).order_by(Quiz.title)))


def open_quiz(session: Session, actor: User, *, quiz: Quiz, training_class: TrainingClass, opens_at: datetime,
              closes_at: datetime) -> QuizOpening:
    """Open a test for a class between two moments; only staff who may see the class, and only its course's tests."""
    if actor.role not in (Role.ADMIN, Role.ORGANISER, Role.TRAINER):
        raise Forbidden()
    get_class(session, actor, training_class.id)
    if quiz.course_id != training_class.course_id:
        raise RuleViolation(_("This test belongs to another course than the class."))
    if closes_at <= opens_at:
        raise RuleViolation(_("The test must close after it opens."))
    opening = QuizOpening(quiz_id=quiz.id, class_id=training_class.id, opens_at=opens_at, closes_at=closes_at,
                          opened_by_id=actor.id)
    session.add(opening)
    session.flush()
    prepare_first_attempts(session, opening)  # so that the whole class can start at once
    return opening


def close_opening(session: Session, actor: User, opening: QuizOpening, *, now: datetime) -> None:
    """Close the window now: attempts in progress get this moment as their deadline (then the grace applies)."""
    get_class(session, actor, opening.class_id)
    if opening.closes_at > now:
        opening.closes_at = now
    for attempt in session.scalars(select(Attempt).where(Attempt.opening_id == opening.id,
                                                         Attempt.state == AttemptState.OPEN)):
        attempt.deadline_at = min(attempt.deadline_at, opening.closes_at)
    session.flush()
