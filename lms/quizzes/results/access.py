"""Which tests, classes and attempts a staff member may reach on the results pages (404 for the rest)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import Role, User
from lms.classes.models import TrainingClass, class_trainers
from lms.classes.services import visible_classes_query
from lms.errors import Forbidden, NotFound
from lms.quizzes.authoring.ownership import may_see
from lms.quizzes.models import Attempt, AttemptState, Quiz, QuizOpening
from lms.quizzes.taking.openings import get_quiz, quizzes_for_class


def visible_attempts_query(actor: User, quiz: Quiz):
    """Attempts of the classes the actor may see: admin all, organiser their body's, trainer their classes'."""
    query = (select(Attempt).join(QuizOpening).join(TrainingClass, TrainingClass.id == QuizOpening.class_id)
             .where(Attempt.quiz_id == quiz.id, Attempt.state != AttemptState.READY)
             .options(selectinload(Attempt.user)))
    if actor.role == Role.ADMIN:
        return query
    if actor.role == Role.ORGANISER:
        return query.where(TrainingClass.organising_body_id == actor.organising_body_id)
    if actor.role == Role.TRAINER:
        return query.join(class_trainers, class_trainers.c.class_id == TrainingClass.id).where(
            class_trainers.c.user_id == actor.id)
    raise Forbidden()


def list_attempts(session: Session, actor: User, quiz: Quiz) -> list[Attempt]:
    return list(session.scalars(visible_attempts_query(actor, quiz).order_by(Attempt.started_at)))


def quiz_classes(session: Session, actor: User, quiz: Quiz) -> list[TrainingClass]:
    """The classes of the test's course that the actor may see, by name."""
    query = visible_classes_query(actor).where(TrainingClass.course_id == quiz.course_id).order_by(TrainingClass.name)
    return list(session.scalars(query))


def quiz_for_staff(session: Session, actor: User, quiz_id: int) -> tuple[Quiz, list[TrainingClass]]:
    """The test and the actor's classes of its course; 404 for staff without such a class (admins always pass)."""
    quiz = get_quiz(session, quiz_id)
    classes = quiz_classes(session, actor, quiz)
    if not classes and actor.role != Role.ADMIN:
        raise NotFound()
    if not may_see(actor, quiz) and not session.scalar(select(QuizOpening.id).where(
            QuizOpening.quiz_id == quiz.id, QuizOpening.class_id.in_([c.id for c in classes])).limit(1)):
        raise NotFound()  # another body's web test, never opened for one of the actor's classes
    return quiz, classes


def chosen_class(classes: list[TrainingClass], class_id: int | None) -> TrainingClass | None:
    """The class filter: None for all the actor's classes, 404 for a class outside them."""
    if class_id is None:
        return None
    found = next((c for c in classes if c.id == class_id), None)
    if found is None:
        raise NotFound()
    return found


def quiz_of_class(session: Session, actor: User, training_class: TrainingClass, quiz_id: int) -> Quiz:
    """A test the actor may open for the class (404 for another course's or another body's test)."""
    quiz = next((q for q in quizzes_for_class(session, actor, training_class) if q.id == quiz_id), None)
    if quiz is None:
        raise NotFound()
    return quiz


def attempt_for_staff(session: Session, actor: User, attempt_id: int) -> Attempt:
    """An attempt of a class the actor may see (404 otherwise, not a hint that it exists)."""
    attempt = session.get(Attempt, attempt_id)
    visible = attempt and session.scalar(visible_attempts_query(actor, attempt.quiz).where(Attempt.id == attempt_id))
    if not visible:
        raise NotFound()
    return visible
