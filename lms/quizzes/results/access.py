"""Which attempts of a test a staff member may see."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import Role, User
from lms.classes.models import TrainingClass, class_trainers
from lms.errors import Forbidden
from lms.quizzes.models import Attempt, AttemptState, Quiz, QuizOpening


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




