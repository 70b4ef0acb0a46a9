"""A class's certificate settings (automatic issue, printed result, hours, validity), read and saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.certificates.models import ClassCertificateSettings
from lms.classes.models import TrainingClass
from lms.errors import RuleViolation

MAX_HOURS = 2000
MAX_VALID_MONTHS = 600


@dataclass
class ClassSettingsInput:
    auto_issue: bool
    print_result: bool
    hours: int | None
    valid_months: int | None


def class_settings(session: Session, class_id: int) -> ClassCertificateSettings:
    """The class's settings, or the defaults (nothing automatic, no result, no hours, no expiry) unsaved."""
    found = session.get(ClassCertificateSettings, class_id)
    return found or ClassCertificateSettings(class_id=class_id, auto_issue=False, print_result=False, hours=None,
                                             valid_months=None)


def save_class_settings(session: Session, training_class: TrainingClass, data: ClassSettingsInput, *,
                        actor_id: int | None, now: datetime) -> ClassCertificateSettings:
    """Store the settings (audited); certificates already issued keep what they were issued with."""
    if data.hours is not None and not 1 <= data.hours <= MAX_HOURS:
        raise RuleViolation(_("Hours must be between 1 and %(max)d.", max=MAX_HOURS))
    if data.valid_months is not None and not 1 <= data.valid_months <= MAX_VALID_MONTHS:
        raise RuleViolation(_("Validity must be between 1 and %(max)d months.", max=MAX_VALID_MONTHS))
    settings = session.get(ClassCertificateSettings, training_class.id)
    before = _as_dict(settings) if settings else None
    if settings is None:
        settings = ClassCertificateSettings(class_id=training_class.id)
        session.add(settings)
    settings.auto_issue, settings.print_result = data.auto_issue, data.print_result
    settings.hours, settings.valid_months = data.hours, data.valid_months
    session.flush()
    record(session, "certificate.class_settings", actor_id=actor_id, body_id=training_class.organising_body_id,
           target_type="class", target_id=training_class.id, target_label=training_class.name, before=before,
           after=_as_dict(settings), now=now)
    return settings


def _as_dict(settings: ClassCertificateSettings) -> dict:
    return {"auto_issue": settings.auto_issue, "print_result": settings.print_result, "hours": settings.hours,
            "valid_months": settings.valid_months}
