"""Changing a person's account: name, role, work unit, position, contacts, date of birth (and body, by an admin).

A role change is recorded in the audit log as its own action; every other change as an account edit, both with
the values before and after, in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import Role, User
from lms.auth.services import EMAIL, _check_unique, normalise_identifier, normalise_phone
from lms.errors import RuleViolation
from lms.organisations.models import OrganisingBody, WorkUnit
from lms.organisations.services import assignable_roles
from lms.text import clean_line, fold


@dataclass
class PersonChanges:
    full_name: str
    role: str
    date_of_birth: date | None = None
    work_unit_id: int | None = None
    position: str = ""
    phone: str | None = None
    email: str | None = None
    organising_body_id: int | None = None  # used only when an administrator edits


def _values(person: User) -> dict:
    return {"full_name": person.full_name, "role": person.role,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
            "work_unit_id": person.work_unit_id, "position": person.position, "phone": person.phone,
            "email": person.email, "organising_body_id": person.organising_body_id}


def update_person(session: Session, actor: User, person: User, changes: PersonChanges, *, now: datetime) -> None:
    """Apply the changes the actor may make (an organiser gives only the trainee and trainer roles)."""
    if changes.role not in assignable_roles(actor) or person.role not in assignable_roles(actor):
        raise RuleViolation(_("You cannot give this role."))
    if person.id == actor.id and changes.role != person.role:
        raise RuleViolation(_("You cannot change your own role."))
    full_name = clean_line(changes.full_name)
    email = normalise_identifier(changes.email or "") or None
    phone = normalise_phone(changes.phone)
    if not full_name:
        raise RuleViolation(_("Full name is required."))
    if email and not EMAIL.match(email):
        raise RuleViolation(_("The email address is not valid."))
    _check_unique(session, username=person.username, email=email, phone=phone, exclude_id=person.id)
    if changes.work_unit_id is not None and session.get(WorkUnit, changes.work_unit_id) is None:
        raise RuleViolation(_("Unknown work unit."))
    body_id = person.organising_body_id
    if actor.role == Role.ADMIN and changes.organising_body_id != body_id:
        if changes.organising_body_id is not None and session.get(OrganisingBody, changes.organising_body_id) is None:
            raise RuleViolation(_("Unknown organising body."))
        body_id = changes.organising_body_id
    before = _values(person)
    person.full_name, person.full_name_folded, person.role = full_name, fold(full_name), changes.role
    person.date_of_birth, person.work_unit_id = changes.date_of_birth, changes.work_unit_id
    person.position, person.phone, person.email = clean_line(changes.position), phone, email
    person.organising_body_id = body_id
    session.flush()
    _audit(session, actor, person, before, _values(person), now)


def _audit(session: Session, actor: User, person: User, before: dict, after: dict, now: datetime) -> None:
    changed = [key for key in after if before[key] != after[key]]
    common = {"actor_id": actor.id, "body_id": person.organising_body_id, "target_type": "user",
              "target_id": person.id, "target_label": person.full_name, "now": now}
    if "role" in changed:
        record(session, "user.role_change", before={"role": before["role"]}, after={"role": after["role"]}, **common)
    others = [key for key in changed if key != "role"]
    if others:
        record(session, "user.edit", before={k: before[k] for k in others}, after={k: after[k] for k in others},
               **common)


def changes_of(person: User) -> dict:
    """The form's starting values."""
    return asdict(PersonChanges(person.full_name, person.role, person.date_of_birth, person.work_unit_id,
                                person.position, person.phone, person.email, person.organising_body_id))
