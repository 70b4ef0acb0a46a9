"""Each trainee's Zoom email on their enrolment: set by the class's organisers for many, or by the trainee."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import Role, User
from lms.classes.models import Enrolment, TrainingClass
from lms.errors import Forbidden, RuleViolation
from lms.text import clean_line

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_zoom_email(value: str) -> str | None:
    """A plausible email (as Zoom accounts are), stored as typed; "" clears it (None)."""
    value = clean_line(value)
    if not value:
        return None
    if len(value) > 254 or not _EMAIL.match(value):
        raise RuleViolation(_("\"%(value)s\" is not an email address.", value=value[:60]))
    return value


def _apply(db: Session, training_class: TrainingClass, changes: dict[int, str | None]) -> dict[int, tuple]:
    enrolments = {e.user_id: e for e in db.scalars(select(Enrolment).where(Enrolment.class_id == training_class.id))}
    final = {user_id: e.zoom_email for user_id, e in enrolments.items()}
    final.update({user_id: value for user_id, value in changes.items() if user_id in enrolments})
    seen: dict[str, int] = {}
    for user_id, value in final.items():
        if value:
            if value.lower() in seen:
                raise RuleViolation(_("Two trainees of the class cannot have the same Zoom email (%(email)s).",
                                      email=value))
            seen[value.lower()] = user_id
    changed = {}
    for user_id, value in changes.items():
        enrolment = enrolments.get(user_id)
        if enrolment is not None and enrolment.zoom_email != value:
            changed[user_id] = (enrolment.zoom_email, value)
            enrolment.zoom_email = value
    db.flush()
    return changed


def set_zoom_emails(db: Session, actor: User, training_class: TrainingClass, emails: dict[int, str], *,
                    now: datetime) -> int:
    """Set the Zoom emails of enrolled trainees (all checked first: a refused list changes nobody)."""
    if actor.role not in (Role.ADMIN, Role.ORGANISER) or (
            actor.role == Role.ORGANISER and actor.organising_body_id != training_class.organising_body_id):
        raise Forbidden()
    checked = {user_id: check_zoom_email(value) for user_id, value in emails.items()}
    changed = _apply(db, training_class, checked)
    for user_id, (before, after) in changed.items():
        record(db, "enrolment.zoom_email", actor_id=actor.id, body_id=training_class.organising_body_id,
               target_type="user", target_id=user_id, target_label=training_class.name,
               before={"zoom_email": before}, after={"zoom_email": after}, now=now)
    return len(changed)


def set_own_zoom_email(db: Session, user: User, enrolment: Enrolment, email: str, *, now: datetime) -> None:
    """The trainee's own Zoom email for this class."""
    if enrolment.user_id != user.id:
        raise Forbidden()
    _apply(db, enrolment.training_class, {user.id: check_zoom_email(email)})
