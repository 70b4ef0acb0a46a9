"""Who is in a class: finding trainees to add (accent-insensitive, by unit), adding many, withdrawing, moving."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from lms.audit.services import record
from lms.auth.models import Role, User
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.errors import NotFound, RuleViolation
from lms.text import fold, name_sort_key

MAX_SHOWN = 500


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def candidates(session: Session, training_class: TrainingClass, *, text: str = "",
               unit_id: int | None = None) -> list[User]:
    """Active trainees of the class's body not active in the class, matching ``text`` in name, login, phone or
    email whatever the accents ('nguyen thi huong' finds 'Nguyễn Thị Hương'), in one unit if given; sorted by
    given name, at most MAX_SHOWN."""
    in_class = select(Enrolment.user_id).where(Enrolment.class_id == training_class.id,
                                               Enrolment.status == EnrolmentStatus.ACTIVE)
    query = (select(User).options(selectinload(User.work_unit))
             .where(User.role == Role.TRAINEE, User.active, User.organising_body_id == training_class.organising_body_id,
                    User.id.not_in(in_class)))
    needle = fold(text)
    if needle:
        like = _like(needle)
        query = query.where(or_(User.full_name_folded.like(like, escape="\\"), User.username.like(like, escape="\\"),
                                User.phone.like(like, escape="\\"), User.email.like(like, escape="\\")))
    if unit_id:
        query = query.where(User.work_unit_id == unit_id)
    return sorted(session.scalars(query.limit(MAX_SHOWN)), key=lambda user: name_sort_key(user.full_name))


def enrol_many(session: Session, training_class: TrainingClass, user_ids: list[int], *, actor_id: int,
               now: datetime) -> int:
    """Enrol trainees of the class's body (a withdrawn one comes back); all or none. Returns how many were added."""
    wanted = list(dict.fromkeys(user_ids))
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}
    for user_id in wanted:
        user = users.get(user_id)
        if user is None or user.role != Role.TRAINEE or user.organising_body_id != training_class.organising_body_id:
            raise RuleViolation(_("Only trainees of this organising body can be enrolled."))
    existing = {e.user_id: e for e in session.scalars(select(Enrolment).where(
        Enrolment.class_id == training_class.id, Enrolment.user_id.in_(wanted)))} if wanted else {}
    added = 0
    for user_id in wanted:
        enrolment = existing.get(user_id)
        if enrolment is None:
            session.add(Enrolment(class_id=training_class.id, user_id=user_id, enrolled_at=now))
        elif enrolment.status != EnrolmentStatus.ACTIVE:
            enrolment.status, enrolment.withdrawn_at, enrolment.enrolled_at = EnrolmentStatus.ACTIVE, None, now
        else:
            continue
        added += 1
    if added:
        record(session, "roster.enrol", actor_id=actor_id, body_id=training_class.organising_body_id,
               target_type="class", target_id=training_class.id, target_label=training_class.name, now=now,
               after={"user_ids": [u for u in wanted if existing.get(u) is None or
                                   existing[u].status == EnrolmentStatus.ACTIVE]})
    session.flush()
    session.expire(training_class, ["enrolments"])
    return added


def _active_enrolment(session: Session, training_class: TrainingClass, user_id: int) -> Enrolment:
    enrolment = session.scalar(select(Enrolment).where(Enrolment.class_id == training_class.id,
                                                       Enrolment.user_id == user_id,
                                                       Enrolment.status == EnrolmentStatus.ACTIVE))
    if enrolment is None:
        raise NotFound()
    return enrolment


def withdraw(session: Session, training_class: TrainingClass, user_id: int, *, actor_id: int,
             now: datetime) -> Enrolment:
    """The trainee leaves the class; the enrolment stays, marked withdrawn, with the time (their work is kept)."""
    enrolment = _active_enrolment(session, training_class, user_id)
    enrolment.status, enrolment.withdrawn_at = EnrolmentStatus.WITHDRAWN, now
    record(session, "roster.withdraw", actor_id=actor_id, body_id=training_class.organising_body_id,
           target_type="user", target_id=user_id, target_label=enrolment.user.full_name, now=now,
           before={"class_id": training_class.id, "status": EnrolmentStatus.ACTIVE.value},
           after={"class_id": training_class.id, "status": EnrolmentStatus.WITHDRAWN.value})
    session.flush()
    session.expire(training_class, ["enrolments"])
    return enrolment


def move(session: Session, training_class: TrainingClass, user_id: int, target: TrainingClass, *, actor_id: int,
         now: datetime) -> None:
    """Withdraw the trainee from this class and enrol them in another class of the same organising body."""
    if target.id == training_class.id or target.organising_body_id != training_class.organising_body_id:
        raise RuleViolation(_("A trainee can be moved only to another class of the same organising body."))
    enrolment = _active_enrolment(session, training_class, user_id)
    enrolment.status, enrolment.withdrawn_at = EnrolmentStatus.WITHDRAWN, now
    enrol_many(session, target, [user_id], actor_id=actor_id, now=now)
    moved = session.scalar(select(Enrolment).where(Enrolment.class_id == target.id, Enrolment.user_id == user_id))
    if moved.zoom_email is None:
        moved.zoom_email = enrolment.zoom_email
    record(session, "roster.move", actor_id=actor_id, body_id=training_class.organising_body_id, target_type="user",
           target_id=user_id, target_label=enrolment.user.full_name, now=now,
           before={"class_id": training_class.id}, after={"class_id": target.id})
    session.flush()
    session.expire(training_class, ["enrolments"])


def withdrawn(session: Session, training_class: TrainingClass) -> list[Enrolment]:
    """The class's history: trainees who left it, most recent first."""
    return list(session.scalars(select(Enrolment).options(selectinload(Enrolment.user))
                                .where(Enrolment.class_id == training_class.id,
                                       Enrolment.status == EnrolmentStatus.WITHDRAWN)
                                .order_by(Enrolment.withdrawn_at.desc())))
