"""The organiser's dashboard: upcoming sessions, classes running, open tests, who has not started, certificates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import Role, User
from lms.certificates.models import Certificate
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.classes.services import visible_classes_query
from lms.classes.sessions.models import ClassSession
from lms.quizzes.models import Attempt, AttemptState, QuizOpening
from lms.text import collation_key, name_sort_key


@dataclass
class OpenTest:
    opening: QuizOpening
    enrolled: int
    submitted: int
    not_started: list[User] = field(default_factory=list)


@dataclass
class Dashboard:
    in_progress: list[TrainingClass]
    open_tests: list[OpenTest]
    certificates_this_month: int
    upcoming_sessions: list[ClassSession] = field(default_factory=list)

    @property
    def not_started(self) -> int:
        return sum(len(test.not_started) for test in self.open_tests)


def dashboard(session: Session, actor: User, *, now: datetime, tz_name: str) -> Dashboard:
    """What needs the organiser's eye today, over the classes the actor may see (archived ones left out)."""
    zone = ZoneInfo(tz_name)
    today = now.astimezone(zone).date()
    classes = [c for c in session.scalars(visible_classes_query(actor).where(TrainingClass.archived_at.is_(None)))]
    in_progress = sorted((c for c in classes if _runs_on(c, today)), key=lambda c: (collation_key(c.name), c.id))
    openings = session.scalars(select(QuizOpening).where(
        QuizOpening.class_id.in_([c.id for c in classes]), QuizOpening.opens_at <= now, QuizOpening.closes_at > now)
        .options(selectinload(QuizOpening.quiz), selectinload(QuizOpening.training_class))
        .order_by(QuizOpening.closes_at)).all()
    return Dashboard(in_progress, [_open_test(session, opening) for opening in openings],
                     _certificates_since(session, actor, datetime.combine(today.replace(day=1), time(), zone)),
                     _upcoming_sessions(session, [c.id for c in classes], now))


UPCOMING_DAYS = 7


def _upcoming_sessions(session: Session, class_ids: list[int], now: datetime) -> list[ClassSession]:
    """Sessions not yet ended that start within the next UPCOMING_DAYS days (one running now included), by start."""
    if not class_ids:
        return []
    return list(session.scalars(select(ClassSession).where(
        ClassSession.class_id.in_(class_ids), ClassSession.ends_at > now,
        ClassSession.starts_at < now + timedelta(days=UPCOMING_DAYS))
        .options(selectinload(ClassSession.training_class))
        .order_by(ClassSession.starts_at, ClassSession.id)))


def _runs_on(training_class: TrainingClass, today: date) -> bool:
    if training_class.starts_on is None:
        return False
    return training_class.starts_on <= today <= (training_class.ends_on or training_class.starts_on)


def _open_test(session: Session, opening: QuizOpening) -> OpenTest:
    trainees = session.scalars(select(User).join(Enrolment, Enrolment.user_id == User.id)
                               .where(Enrolment.class_id == opening.class_id,
                                      Enrolment.status == EnrolmentStatus.ACTIVE)).all()
    started: set[int] = set()
    submitted: set[int] = set()
    for user_id, state in session.execute(select(Attempt.user_id, Attempt.state).where(
            Attempt.opening_id == opening.id, Attempt.state != AttemptState.READY)):
        started.add(user_id)
        if state == AttemptState.CLOSED:
            submitted.add(user_id)
    not_started = sorted((u for u in trainees if u.id not in started), key=lambda u: (name_sort_key(u.full_name), u.id))
    active = {u.id for u in trainees}  # a withdrawn or pending trainee's attempt is not counted
    return OpenTest(opening, len(trainees), len(submitted & active), not_started)


def _certificates_since(session: Session, actor: User, start: datetime) -> int:
    query = select(func.count()).select_from(Certificate).where(Certificate.issued_at >= start.astimezone(UTC),
                                                                Certificate.revoked_at.is_(None))
    if actor.role != Role.ADMIN:
        query = query.where(Certificate.organising_body_id == actor.organising_body_id)
    return session.scalar(query) or 0
