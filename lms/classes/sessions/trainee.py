"""What an enrolled trainee's class page shows: the current or next session, the course and the open tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.classes.attendance.summary import AttendanceSummary, attendance_summary
from lms.classes.models import Enrolment, TrainingClass
from lms.classes.sessions.models import ClassSession
from lms.classes.sessions.services import EARLY_ARRIVAL, current_or_next_session, list_sessions
from lms.errors import Forbidden, NotFound
from lms.quizzes.models import QuizOpening
from lms.quizzes.taking.catalogue import tests_for_trainee
from lms.quizzes.taking.schemas import TestSummary


@dataclass
class TraineeClassPage:
    training_class: TrainingClass
    enrolment: Enrolment
    session: ClassSession | None  # the current or next session
    session_is_now: bool  # in progress (or about to start): the join button is the main action
    sessions: list[ClassSession] = field(default_factory=list)
    open_tests: list[TestSummary] = field(default_factory=list)
    attendance: AttendanceSummary | None = None  # the trainee's own, never anyone else's


def enrolment_of(db: Session, user: User, class_id: int) -> Enrolment:
    """The trainee's own enrolment in the class; 404 for a class they are not enrolled in."""
    if user.role != Role.TRAINEE:
        raise Forbidden()
    enrolment = db.scalar(select(Enrolment).where(Enrolment.class_id == class_id, Enrolment.user_id == user.id))
    if enrolment is None:
        raise NotFound()
    return enrolment


def trainee_class_page(db: Session, user: User, class_id: int, *, now: datetime,
                       grace_seconds: float) -> TraineeClassPage:
    """Everything the trainee's class page shows, for an enrolled trainee only."""
    enrolment = enrolment_of(db, user, class_id)
    training_class = enrolment.training_class
    current = current_or_next_session(db, training_class, now)
    is_now = current is not None and current.starts_at - EARLY_ARRIVAL <= now
    open_quiz_ids = set(db.scalars(select(QuizOpening.quiz_id).where(
        QuizOpening.class_id == class_id, QuizOpening.opens_at <= now, QuizOpening.closes_at > now)))
    tests = [t for t in tests_for_trainee(db, user, now=now, grace_seconds=grace_seconds)
             if t.is_open and t.quiz_id in open_quiz_ids] if open_quiz_ids else []
    own = attendance_summary(db, training_class, now).get(user.id)
    return TraineeClassPage(training_class, enrolment, current, is_now, list_sessions(db, training_class), tests, own)


def trainee_classes(db: Session, user: User, *, now: datetime) -> list[tuple[TrainingClass, ClassSession | None]]:
    """The trainee's classes, each with its current or next session, newest class first."""
    if user.role != Role.TRAINEE:
        raise Forbidden()
    classes = db.scalars(select(TrainingClass).join(Enrolment, Enrolment.class_id == TrainingClass.id)
                         .where(Enrolment.user_id == user.id).order_by(TrainingClass.created_at.desc())).all()
    return [(training_class, current_or_next_session(db, training_class, now)) for training_class in classes]
