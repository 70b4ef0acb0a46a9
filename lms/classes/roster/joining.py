"""Class join codes: people register themselves with a class's code, pending the organiser's approval."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from lms.audit.services import record
from lms.auth.models import Role, User
from lms.auth.passwords import hash_password
from lms.auth.services import EMAIL, check_password_rules, normalise_identifier, normalise_phone
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.classes.roster.cells import person_name
from lms.classes.roster.importing import UsernameMaker
from lms.errors import Conflict, NotFound, RuleViolation
from lms.organisations.models import WorkUnit
from lms.text import clean_line, fold, name_sort_key

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud over Zoom
CODE_LENGTH = 8


@dataclass
class Registration:
    code: str
    full_name: str
    date_of_birth: date | None
    work_unit_id: int | None
    email: str | None
    phone: str | None
    password: str


def new_join_code(session: Session, training_class: TrainingClass, *, actor_id: int, now: datetime) -> str:
    """Give the class a new join code (the old one stops working)."""
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))
    training_class.join_code = code
    record(session, "class.join_code", actor_id=actor_id, body_id=training_class.organising_body_id,
           target_type="class", target_id=training_class.id, target_label=training_class.name, now=now)
    session.flush()
    return code


def class_for_code(session: Session, code: str) -> TrainingClass:
    cleaned = "".join(ch for ch in clean_line(code).upper() if ch.isalnum())[:16]
    found = session.scalar(select(TrainingClass).where(TrainingClass.join_code == cleaned)) if cleaned else None
    if found is None:
        raise NotFound(_("No class has this join code. Check it with the organiser."))
    return found


def register(session: Session, data: Registration, *, today: date, now: datetime) -> tuple[User, TrainingClass]:
    """A new trainee account (not active until approved) with a pending enrolment in the code's class."""
    training_class = class_for_code(session, data.code)
    full_name = person_name(data.full_name)
    email = normalise_identifier(data.email or "") or None
    phone = normalise_phone(data.phone)
    if not full_name:
        raise RuleViolation(_("Full name is required."))
    if not email and not phone:
        raise RuleViolation(_("Give an email address or a phone number: you log in with it."))
    if email and not EMAIL.match(email):
        raise RuleViolation(_("The email address is not valid."))
    if phone and not 10 <= len(phone) <= 11:
        raise RuleViolation(_("The phone number is not valid."))
    if data.date_of_birth and not (date(1900, 1, 1) <= data.date_of_birth < today):
        raise RuleViolation(_("The date of birth is not plausible."))
    unit = session.get(WorkUnit, data.work_unit_id) if data.work_unit_id else None
    if data.work_unit_id and (unit is None or not unit.is_current(today)):
        raise RuleViolation(_("Choose a current work unit."))
    taken = [User.email == email] if email else []
    taken += [User.phone == phone] if phone else []
    if session.scalar(select(User.id).where(or_(*taken)).limit(1)):
        raise Conflict(_("An account with this email or phone number exists already: log in, or ask the organiser "
                         "to enrol you."))
    user = User(username=UsernameMaker(session).make(full_name), email=email, phone=phone, role=Role.TRAINEE,
                full_name=full_name, full_name_folded=fold(full_name), date_of_birth=data.date_of_birth,
                work_unit_id=unit.id if unit else None, organising_body_id=training_class.organising_body_id,
                password_hash="", active=False, created_at=now)
    check_password_rules(data.password, user)
    user.password_hash = hash_password(data.password)
    session.add(user)
    session.flush()
    session.add(Enrolment(class_id=training_class.id, user_id=user.id, enrolled_at=now,
                          status=EnrolmentStatus.PENDING))
    session.flush()
    return user, training_class


def request_with_account(session: Session, user: User, code: str, *, now: datetime) -> TrainingClass:
    """A logged-in trainee asks to join the code's class (their organising body's only); pending approval."""
    training_class = class_for_code(session, code)
    if user.role != Role.TRAINEE:
        raise RuleViolation(_("Only trainee accounts join a class with its code."))
    if user.organising_body_id != training_class.organising_body_id:
        raise RuleViolation(_("This class belongs to another organising body: ask its organiser to enrol you."))
    enrolment = session.scalar(select(Enrolment).where(Enrolment.class_id == training_class.id,
                                                       Enrolment.user_id == user.id))
    if enrolment is None:
        session.add(Enrolment(class_id=training_class.id, user_id=user.id, enrolled_at=now,
                              status=EnrolmentStatus.PENDING))
    elif enrolment.status == EnrolmentStatus.WITHDRAWN:
        enrolment.status, enrolment.withdrawn_at = EnrolmentStatus.PENDING, None
    session.flush()
    return training_class


def pending_requests(session: Session, training_class: TrainingClass) -> list[Enrolment]:
    """Requests to join the class, sorted by the person's name (Vietnamese order)."""
    pending = session.scalars(select(Enrolment).options(selectinload(Enrolment.user))
                              .where(Enrolment.class_id == training_class.id,
                                     Enrolment.status == EnrolmentStatus.PENDING))
    return sorted(pending, key=lambda enrolment: name_sort_key(enrolment.user.full_name))


def decide(session: Session, training_class: TrainingClass, enrolment_ids: list[int], *, approve: bool,
           actor_id: int, now: datetime) -> int:
    """Approve (account activated, enrolment active) or reject (the request and its unused account removed)
    the class's pending requests among ``enrolment_ids``; returns how many were decided."""
    chosen = [e for e in pending_requests(session, training_class) if e.id in set(enrolment_ids)]
    for enrolment in chosen:
        user = enrolment.user
        record(session, "roster.join_approved" if approve else "roster.join_rejected", actor_id=actor_id,
               body_id=training_class.organising_body_id, target_type="user", target_id=user.id,
               target_label=user.full_name, after={"class_id": training_class.id}, now=now)
        if approve:
            enrolment.status, enrolment.enrolled_at, user.active = EnrolmentStatus.ACTIVE, now, True
            continue
        session.delete(enrolment)
        session.flush()
        if not user.active and user.last_login_at is None and not _other_enrolments(session, user.id):
            session.delete(user)
    session.flush()
    session.expire(training_class, ["enrolments"])
    return len(chosen)


def _other_enrolments(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.user_id == user_id)) or 0
