"""Class settings: create and edit (course, test, dates, trainers, capacity, notes), copy, archive; the class list.

Every change is written to the audit log in the caller's transaction. An archived class is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from lms.audit.services import record
from lms.auth.models import Role, User
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.classes.services import _trainer, create_class, require_not_archived, visible_classes_query
from lms.errors import Forbidden, RuleViolation
from lms.quizzes.models import Quiz
from lms.text import clean_line, collation_key, fold

MAX_CAPACITY = 5000


@dataclass
class ClassSettings:
    name: str
    course_id: int
    quiz_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    trainer_ids: list[int] = field(default_factory=list)
    capacity: int | None = None
    notes: str = ""
    organising_body_id: int | None = None  # administrators only; organisers always use their own body


def require_manager(actor: User) -> None:
    if actor.role not in (Role.ADMIN, Role.ORGANISER):
        raise Forbidden()


def usable_tests(session: Session, *, course_id: int, body_id: int | None) -> list[Quiz]:
    """The tests a class of this course and body may name: the course's content tests and the body's web tests."""
    return list(session.scalars(select(Quiz).where(
        Quiz.course_id == course_id,
        or_(Quiz.from_content, Quiz.organising_body_id.is_(None), Quiz.organising_body_id == body_id))
        .order_by(Quiz.title)))


def snapshot(training_class: TrainingClass) -> dict:
    """The class's settings as kept in the audit log."""
    return {"name": training_class.name, "course_id": training_class.course_id, "quiz_id": training_class.quiz_id,
            "starts_on": training_class.starts_on.isoformat() if training_class.starts_on else None,
            "ends_on": training_class.ends_on.isoformat() if training_class.ends_on else None,
            "trainer_ids": sorted(t.id for t in training_class.trainers), "capacity": training_class.capacity,
            "notes": training_class.notes}


def _check(session: Session, settings: ClassSettings, body_id: int, enrolled: int) -> None:
    if settings.capacity is not None and not 1 <= settings.capacity <= MAX_CAPACITY:
        raise RuleViolation(_("The capacity must be between 1 and %(most)d trainees.", most=MAX_CAPACITY))
    if settings.capacity is not None and settings.capacity < enrolled:
        raise RuleViolation(_("%(count)d trainees are already enrolled: the capacity cannot be lower.",
                              count=enrolled))
    if settings.quiz_id is not None and settings.quiz_id not in {
            q.id for q in usable_tests(session, course_id=settings.course_id, body_id=body_id)}:
        raise RuleViolation(_("Choose one of the tests of the class's course."))


def create(session: Session, actor: User, settings: ClassSettings, *, now: datetime) -> TrainingClass:
    """A new class of the actor's body (an administrator chooses the body), with its test, capacity and notes."""
    require_manager(actor)
    body_id = settings.organising_body_id if actor.role == Role.ADMIN else actor.organising_body_id
    if body_id is not None:
        _check(session, settings, body_id, 0)
    training_class = create_class(session, actor, name=settings.name, course_id=settings.course_id,
                                  organising_body_id=settings.organising_body_id, starts_on=settings.starts_on,
                                  ends_on=settings.ends_on, trainer_ids=settings.trainer_ids)
    training_class.quiz_id, training_class.capacity = settings.quiz_id, settings.capacity
    training_class.notes = (settings.notes or "").strip()[:5000]
    session.flush()
    _audit(session, actor, "class.create", training_class, None, now)
    return training_class


def update(session: Session, actor: User, training_class: TrainingClass, settings: ClassSettings, *,
           now: datetime) -> TrainingClass:
    """Change a class's settings (its organising body stays); refused for an archived class."""
    require_manager(actor)
    require_not_archived(training_class)
    before = snapshot(training_class)
    name = clean_line(settings.name)
    if not name:
        raise RuleViolation(_("A class needs a name and an organising body."))
    if settings.starts_on and settings.ends_on and settings.ends_on < settings.starts_on:
        raise RuleViolation(_("The end date must not be before the start date."))
    # Any enrolment, withdrawn ones included, ties the class to its course (their history stays); the capacity
    # only has to hold the active trainees.
    ever_enrolled = session.scalar(select(func.count()).select_from(Enrolment)
                                   .where(Enrolment.class_id == training_class.id)) or 0
    if settings.course_id != training_class.course_id and ever_enrolled:
        raise RuleViolation(_("The course cannot change once trainees are enrolled."))
    active = session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.class_id == training_class.id, Enrolment.status == EnrolmentStatus.ACTIVE)) or 0
    _check(session, settings, training_class.organising_body_id, active)
    training_class.trainers = [_trainer(session, user_id, training_class.organising_body_id)
                               for user_id in dict.fromkeys(settings.trainer_ids)]
    training_class.name, training_class.course_id, training_class.quiz_id = name, settings.course_id, settings.quiz_id
    training_class.starts_on, training_class.ends_on = settings.starts_on, settings.ends_on
    training_class.capacity, training_class.notes = settings.capacity, (settings.notes or "").strip()[:5000]
    session.flush()
    _audit(session, actor, "class.edit", training_class, before, now)
    return training_class


def copy(session: Session, actor: User, source: TrainingClass, *, now: datetime) -> TrainingClass:
    """A new class with the source's settings (course, test, trainers, capacity, notes, certificate settings),
    no trainees and no dates: the organiser sets the new dates."""
    require_manager(actor)
    settings = ClassSettings(name=_("%(name)s (copy)", name=source.name)[:200], course_id=source.course_id,
                             quiz_id=source.quiz_id, trainer_ids=[t.id for t in source.trainers],
                             capacity=source.capacity, notes=source.notes,
                             organising_body_id=source.organising_body_id)
    created = create(session, actor, settings, now=now)
    _copy_certificate_settings(session, source, created)
    record(session, "class.copy", actor_id=actor.id, body_id=created.organising_body_id, target_type="class",
           target_id=created.id, target_label=created.name, before={"source_class_id": source.id},
           after=snapshot(created), now=now)
    return created


def _copy_certificate_settings(session: Session, source: TrainingClass, target: TrainingClass) -> None:
    from lms.certificates.models import ClassCertificateSettings

    settings = session.get(ClassCertificateSettings, source.id)
    if settings is not None:
        session.add(ClassCertificateSettings(class_id=target.id, auto_issue=settings.auto_issue,
                                             print_result=settings.print_result, hours=settings.hours,
                                             valid_months=settings.valid_months))
        session.flush()


def archive(session: Session, actor: User, training_class: TrainingClass, *, today: date,
            now: datetime) -> None:
    """Archive a finished class (its last day is past): hidden from the default lists, read-only."""
    require_manager(actor)
    require_not_archived(training_class)
    if training_class.ends_on is None or training_class.ends_on >= today:
        raise RuleViolation(_("Only a finished class (its last day is past) can be archived."))
    training_class.archived_at = now
    session.flush()
    record(session, "class.archive", actor_id=actor.id, body_id=training_class.organising_body_id,
           target_type="class", target_id=training_class.id, target_label=training_class.name,
           after={"archived_at": now.isoformat()}, now=now)


def _audit(session: Session, actor: User, action: str, training_class: TrainingClass, before: dict | None,
           now: datetime) -> None:
    record(session, action, actor_id=actor.id, body_id=training_class.organising_body_id, target_type="class",
           target_id=training_class.id, target_label=training_class.name, before=before,
           after=snapshot(training_class), now=now)


def search_classes(session: Session, actor: User, *, text: str = "", archived: bool = False,
                   ) -> list[TrainingClass]:
    """The classes the actor may see, matching `text` in name, code or course regardless of accents, sorted by name
    in Vietnamese order; archived classes only when asked for (and then only them)."""
    query = visible_classes_query(actor).options(selectinload(TrainingClass.enrolments))
    query = query.where(TrainingClass.archived_at.is_not(None) if archived else TrainingClass.archived_at.is_(None))
    classes = list(session.scalars(query))
    needle = fold(text)
    if needle:
        classes = [c for c in classes if needle in fold(c.name) or needle in c.code.lower()
                   or needle in fold(c.course.title)]
    return sorted(classes, key=lambda c: (collation_key(c.name), c.id))
