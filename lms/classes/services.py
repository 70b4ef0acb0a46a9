"""Classes: who sees which class, creating classes, enrolling trainees, and the class roster."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import Role, User
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass, class_trainers
from lms.courses.models import Course
from lms.courses.services import course_progress
from lms.errors import Forbidden, NotFound, RuleViolation
from lms.text import clean_line, name_sort_key

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def visible_classes_query(actor: User):
    """Admins see every class, organisers those of their body, trainers those they teach."""
    query = select(TrainingClass).options(selectinload(TrainingClass.course))
    if actor.role == Role.ADMIN:
        return query
    if actor.role == Role.ORGANISER:
        return query.where(TrainingClass.organising_body_id == actor.organising_body_id)
    if actor.role == Role.TRAINER:
        return query.join(class_trainers).where(class_trainers.c.user_id == actor.id)
    raise Forbidden()


def list_classes(session: Session, actor: User) -> list[TrainingClass]:
    query = visible_classes_query(actor).order_by(TrainingClass.starts_on.desc(), TrainingClass.name)
    return list(session.scalars(query))


def get_class(session: Session, actor: User, class_id: int) -> TrainingClass:
    found = session.scalar(visible_classes_query(actor).where(TrainingClass.id == class_id))
    if found is None:
        raise NotFound()
    return found


def new_class_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def create_class(session: Session, actor: User, *, name: str, course_id: int, organising_body_id: int | None = None,
                 starts_on: date | None = None, ends_on: date | None = None,
                 trainer_ids: list[int] | None = None) -> TrainingClass:
    """Create a class of one course for the actor's organising body (admins choose the body)."""
    if actor.role not in (Role.ADMIN, Role.ORGANISER):
        raise Forbidden()
    body_id = organising_body_id if actor.role == Role.ADMIN else actor.organising_body_id
    name = clean_line(name)
    if not name or body_id is None:
        raise RuleViolation(_("A class needs a name and an organising body."))
    if session.get(Course, course_id) is None:
        raise NotFound(_("The course does not exist."))
    if starts_on and ends_on and ends_on < starts_on:
        raise RuleViolation(_("The end date must not be before the start date."))
    training_class = TrainingClass(name=name, course_id=course_id, organising_body_id=body_id,
                                   starts_on=starts_on, ends_on=ends_on, code=new_class_code())
    training_class.trainers = [_trainer(session, trainer_id, body_id) for trainer_id in trainer_ids or []]
    session.add(training_class)
    session.flush()
    return training_class


def _trainer(session: Session, user_id: int, body_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.role != Role.TRAINER or user.organising_body_id not in (None, body_id):
        raise RuleViolation(_("Only trainers of this organising body can teach the class."))
    return user


def require_not_archived(training_class: TrainingClass) -> None:
    """An archived class is read-only: no setting, enrolment or test window changes."""
    if training_class.archived_at is not None:
        raise RuleViolation(_("This class is archived and can no longer be changed."))


def enrol(session: Session, actor: User, training_class: TrainingClass, user_ids: list[int]) -> int:
    """Enrol trainees of the class's organising body; already-enrolled ones are skipped. Returns how many were added."""
    if actor.role not in (Role.ADMIN, Role.ORGANISER):
        raise Forbidden()
    require_not_archived(training_class)
    existing = {e.user_id for e in training_class.enrolments}
    wanted = list(dict.fromkeys(user_ids))
    for user_id in wanted:  # check them all first: a refused list adds nobody
        user = session.get(User, user_id)
        if user is None or user.role != Role.TRAINEE or user.organising_body_id != training_class.organising_body_id:
            raise RuleViolation(_("Only trainees of this organising body can be enrolled."))
    new_ids = [user_id for user_id in wanted if user_id not in existing]
    if training_class.capacity is not None and len(existing) + len(new_ids) > training_class.capacity:
        raise RuleViolation(_("The class takes at most %(capacity)d trainees; %(count)d are enrolled already.",
                              capacity=training_class.capacity, count=len(existing)))
    session.add_all(Enrolment(class_id=training_class.id, user_id=user_id) for user_id in new_ids)
    added = len(new_ids)
    session.flush()
    session.expire(training_class, ["enrolments"])
    return added


def unenrol(session: Session, actor: User, training_class: TrainingClass, user_id: int) -> None:
    if actor.role not in (Role.ADMIN, Role.ORGANISER):
        raise Forbidden()
    require_not_archived(training_class)
    enrolment = session.scalar(
        select(Enrolment).where(Enrolment.class_id == training_class.id, Enrolment.user_id == user_id)
    )
    if enrolment is None:
        raise NotFound()
    session.delete(enrolment)
    session.flush()


@dataclass
class RosterRow:
    user: User
    done: int
    total: int


def roster(session: Session, training_class: TrainingClass) -> list[RosterRow]:
    """The class list sorted by given name (Vietnamese collation), each with lesson progress."""
    from lms.courses.services import get_course

    course = get_course(session, training_class.course.slug) if training_class.course.published else None
    rows = []
    for enrolment in training_class.enrolments:
        if enrolment.status != EnrolmentStatus.ACTIVE:  # pending requests and withdrawn trainees are listed apart
            continue
        progress = course_progress(session, enrolment.user, course) if course else None
        rows.append(RosterRow(enrolment.user, progress.done if progress else 0, progress.total if progress else 0))
    return sorted(rows, key=lambda row: name_sort_key(row.user.full_name))


def enrollable_trainees(session: Session, training_class: TrainingClass) -> list[User]:
    enrolled = {e.user_id for e in training_class.enrolments}
    trainees = session.scalars(
        select(User).where(User.role == Role.TRAINEE, User.organising_body_id == training_class.organising_body_id)
    )
    return sorted((u for u in trainees if u.id not in enrolled), key=lambda u: name_sort_key(u.full_name))
