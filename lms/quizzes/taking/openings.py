"""Finding tests, and opening or closing a test's window for a class."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.classes.models import TrainingClass
from lms.classes.services import get_class
from lms.errors import Forbidden, NotFound, RuleViolation
from lms.quizzes.authoring.ownership import visible_to
from lms.quizzes.models import Attempt, AttemptState, Quiz, QuizOpening
from lms.quizzes.taking.prepared import prepare_first_attempts


def get_quiz(session: Session, quiz_id: int) -> Quiz:
    quiz = session.get(Quiz, quiz_id)
    if quiz is None:
        raise NotFound()
    return quiz


def quizzes_for_class(session: Session, actor: User, training_class: TrainingClass) -> list[Quiz]:
    """The tests the actor may open for the class: its course's content tests and web tests of the class's body
    (or an administrator's own), as far as the actor may see them."""
    return list(session.scalars(select(Quiz).where(
        Quiz.course_id == training_class.course_id, visible_to(actor, Quiz),
        or_(Quiz.from_content, Quiz.organising_body_id.is_(None),
            Quiz.organising_body_id == training_class.organising_body_id)).order_by(Quiz.title)))


def open_quiz(session: Session, actor: User, *, quiz: Quiz, training_class: TrainingClass, opens_at: datetime,
              closes_at: datetime) -> QuizOpening:
    """Open a test for a class between two moments; only staff who may see the class, and only its course's tests."""
    if actor.role not in (Role.ADMIN, Role.ORGANISER, Role.TRAINER):
        raise Forbidden()
    get_class(session, actor, training_class.id)
    if quiz.course_id != training_class.course_id:
        raise RuleViolation(_("This test belongs to another course than the class."))
    if quiz.id not in {q.id for q in quizzes_for_class(session, actor, training_class)}:
        raise NotFound()
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
