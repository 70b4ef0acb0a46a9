"""Issuing, revoking and re-issuing certificates: frozen facts, numbering, signature, event and audit entry together.

Every function works inside the caller's transaction and commits nothing. Issuing must run in a write
transaction (a POST view, or `write_intent` set by a CLI command or worker) so that on SQLite the write lock is
taken at BEGIN; on PostgreSQL the counter row's lock orders concurrent issues. The unique ``current_key``
(class:user) keeps one current certificate per trainee and class: a second concurrent press loses the insert in
its SAVEPOINT (taking its counter increment back) and returns the winner's certificate.
"""

from __future__ import annotations

import calendar
import secrets
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import User
from lms.certificates import keys, numbering
from lms.certificates.eligibility import Eligibility, trainee_eligibility
from lms.certificates.models import (
    BodyCertificateSettings,
    Certificate,
    CertificateEvent,
    ClassCertificateSettings,
    IssueMode,
)
from lms.certificates.payload import certificate_message, verify_url
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.errors import Conflict, RuleViolation
from lms.numbers import format_score
from lms.text import clean_line, nfc

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TEXT_CORRECTIONS = {"holder_name": 120, "holder_unit": 255, "course_title": 255, "class_name": 200,
                    "result_text": 120, "issue_place": 120, "signer_title": 200, "signer_name": 120}
DATE_CORRECTIONS = ("holder_birth_date", "class_starts_on", "class_ends_on", "expires_on")
FROZEN_COPY = ("organising_body_id", "class_id", "user_id", "holder_name", "holder_birth_date", "holder_unit",
               "course_title", "class_name", "class_starts_on", "class_ends_on", "hours", "result_text", "body_name",
               "issue_place", "signer_title", "signer_name", "logo_sha256", "signature_sha256", "seal_sha256",
               "primary_colour", "expires_on")


def local_date(now: datetime) -> date:
    """The calendar date in Vietnam at the moment ``now``."""
    return now.astimezone(TIMEZONE).date() if now.tzinfo else now.date()


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def current_certificate(db: Session, class_id: int, user_id: int) -> Certificate | None:
    return db.scalar(select(Certificate).where(Certificate.current_key == f"{class_id}:{user_id}"))


def _frozen_facts(db: Session, training_class: TrainingClass, trainee: User, attempt, issued_on: date) -> dict:
    body = training_class.organising_body
    look = db.get(BodyCertificateSettings, body.id) or BodyCertificateSettings(organising_body_id=body.id)
    rules = db.get(ClassCertificateSettings, training_class.id) or ClassCertificateSettings(class_id=training_class.id)
    course_hours = training_class.course.duration_hours or 0
    hours = rules.hours if rules.hours is not None else (round(course_hours) or None)
    result = ""
    if rules.print_result and attempt is not None and attempt.max_score:
        result = format_score(attempt.score, attempt.max_score, locale="vi")
    return {
        "organising_body_id": body.id, "class_id": training_class.id, "user_id": trainee.id,
        "holder_name": clean_line(trainee.full_name), "holder_birth_date": trainee.date_of_birth,
        "holder_unit": clean_line(trainee.work_unit.name) if trainee.work_unit else "",
        "course_title": clean_line(training_class.course.title), "class_name": clean_line(training_class.name),
        "class_starts_on": training_class.starts_on, "class_ends_on": training_class.ends_on, "hours": hours,
        "result_text": result, "body_name": clean_line(body.name), "issue_place": clean_line(look.issue_place),
        "signer_title": clean_line(look.signer_title), "signer_name": clean_line(look.signer_name),
        "logo_sha256": look.logo_sha256, "signature_sha256": look.signature_sha256, "seal_sha256": look.seal_sha256,
        "primary_colour": look.primary_colour or "#1f4e79",
        "expires_on": (add_months(issued_on, rules.valid_months) - timedelta(days=1)) if rules.valid_months else None,
    }


def _create(db: Session, facts: dict, *, actor_id: int | None, mode: str, reason: str, now: datetime, secret: str,
            base_url: str, action: str, details: dict | None = None) -> Certificate:
    """Number, sign and add one current certificate with its event and audit entry (inside a SAVEPOINT)."""
    body = facts.pop("organising_body")
    issued_on = local_date(now)
    allocation = numbering.allocate(db, body, db.get(BodyCertificateSettings, body.id), issued_on.year)
    certificate = Certificate(**facts, number=allocation.number, register_no=allocation.register_no,
                              sequence=allocation.sequence, verification_code=secrets.token_urlsafe(24),
                              current_key=f"{facts['class_id']}:{facts['user_id']}", issued_on=issued_on,
                              issue_mode=mode, issue_reason=reason, issued_at=now, issued_by_id=actor_id,
                              key_id="", signature="")
    certificate.key_id, certificate.signature = keys.sign(db, certificate_message(certificate), secret=secret,
                                                          now=now)
    db.add(certificate)
    db.flush()
    db.add(CertificateEvent(certificate_id=certificate.id, action=action, actor_id=actor_id, at=now, reason=reason,
                            details={"mode": mode, "verify_url": verify_url(base_url, certificate.verification_code),
                                     **(details or {})}))
    record(db, f"certificate.{action}", actor_id=actor_id, body_id=body.id, target_type="certificate",
           target_id=certificate.id, target_label=certificate.number, now=now,
           after={"number": certificate.number, "holder_name": certificate.holder_name, "class_id": certificate.class_id,
                  "user_id": certificate.user_id, "mode": mode, "reason": reason, **(details or {})})
    return certificate


def issue_certificate(db: Session, *, training_class: TrainingClass, trainee: User, actor_id: int | None, mode: str,
                      reason: str = "", now: datetime, secret: str, base_url: str,
                      eligibility: Eligibility | None = None) -> Certificate:
    """The trainee's current certificate for the class, issued now unless one exists (idempotent).

    Automatic and bulk issues need an eligible trainee; a single issue to a trainee who is not eligible needs a
    reason (an exemption), which the certificate and its event keep. `eligibility` is the trainee's verdict when
    the caller has just judged it in this same transaction (`class_eligibility` lists active enrolments only), so
    that a bulk issue reads the class once instead of once per trainee.
    """
    if mode not in (IssueMode.AUTOMATIC, IssueMode.BULK, IssueMode.SINGLE):
        raise RuleViolation(_("Unknown way of issuing a certificate."))
    if eligibility is not None and eligibility.user.id != trainee.id:
        raise ValueError("the eligibility given is another trainee's")
    reason = nfc(reason)
    existing = current_certificate(db, training_class.id, trainee.id)
    if existing is not None:
        return existing
    if eligibility is None:
        enrolled = db.scalar(select(Enrolment.id).where(Enrolment.class_id == training_class.id,
                                                        Enrolment.user_id == trainee.id,
                                                        Enrolment.status == EnrolmentStatus.ACTIVE))
        if enrolled is None:
            raise RuleViolation(_("%(name)s is not enrolled in this class.", name=trainee.full_name))
        eligibility = trainee_eligibility(db, training_class, trainee, now)
    if not eligibility.eligible and (mode != IssueMode.SINGLE or not reason):
        raise RuleViolation(_("%(name)s is not eligible for a certificate: %(reasons)s.", name=trainee.full_name,
                              reasons="; ".join(eligibility.reasons))
                            + ("" if mode != IssueMode.SINGLE else " " + _("Give a reason to issue anyway.")))
    facts = _frozen_facts(db, training_class, trainee, eligibility.attempt, local_date(now))
    facts["organising_body"] = training_class.organising_body
    details = {} if eligibility.eligible else {"not_eligible": eligibility.reasons}
    try:
        with db.begin_nested():
            return _create(db, facts, actor_id=actor_id, mode=mode, reason=reason, now=now, secret=secret,
                           base_url=base_url, action="issued", details=details)
    except IntegrityError:
        winner = current_certificate(db, training_class.id, trainee.id)
        if winner is None:
            raise Conflict(_("The certificate number is already used; check the body's number pattern.")) from None
        return winner


def revoke_certificate(db: Session, certificate: Certificate, *, actor_id: int | None, reason: str, revoked_on: date,
                       now: datetime) -> Certificate:
    """Revoke with a reason and the date it takes effect; the verify page says so from then on."""
    reason = nfc(reason)
    if not reason:
        raise RuleViolation(_("Give the reason for revoking the certificate."))
    db.refresh(certificate, with_for_update=True)  # two staff revoking or re-issuing at once take turns
    if certificate.revoked_at is not None:
        raise RuleViolation(_("This certificate is already revoked."))
    if certificate.superseded_by_id is not None:
        raise RuleViolation(_("This certificate was replaced by a new one; revoke the new one instead."))
    certificate.revoked_at, certificate.revoked_on, certificate.revoked_reason = now, revoked_on, reason
    certificate.revoked_by_id, certificate.current_key = actor_id, None
    db.add(CertificateEvent(certificate_id=certificate.id, action="revoked", actor_id=actor_id, at=now, reason=reason,
                            details={"revoked_on": revoked_on.isoformat()}))
    record(db, "certificate.revoked", actor_id=actor_id, body_id=certificate.organising_body_id,
           target_type="certificate", target_id=certificate.id, target_label=certificate.number, now=now,
           before={"status": "valid"}, after={"status": "revoked", "reason": reason,
                                              "revoked_on": revoked_on.isoformat()})
    db.flush()
    return certificate


def field_label(name: str) -> str:
    """The name of a correctable field as the staff's form shows it."""
    labels = {"holder_name": _("Holder's full name"), "holder_unit": _("Work unit"), "course_title": _("Course"),
              "class_name": _("Class"), "result_text": _("Result"), "issue_place": _("Place of issue"),
              "signer_title": _("Signer's title"), "signer_name": _("Signer's name"),
              "holder_birth_date": _("Date of birth"), "class_starts_on": _("Start date"),
              "class_ends_on": _("End date"), "expires_on": _("Valid until"), "hours": _("Length in hours")}
    return labels.get(name, name)


def clean_corrections(corrections: dict[str, Any]) -> dict[str, Any]:
    """The corrections checked and normalised (NFC text, dates), or RuleViolation naming the first bad one."""
    cleaned: dict[str, Any] = {}
    for name, value in (corrections or {}).items():
        if name in TEXT_CORRECTIONS:
            text = clean_line(value)
            if len(text) > TEXT_CORRECTIONS[name] or (not text and name in ("holder_name", "course_title")):
                raise RuleViolation(_("The corrected value of %(field)s is empty or too long.", field=field_label(name)))
            cleaned[name] = text
        elif name in DATE_CORRECTIONS:
            if value in (None, "") or isinstance(value, date):
                cleaned[name] = value or None
                continue
            try:
                cleaned[name] = date.fromisoformat(str(value))
            except ValueError:
                raise RuleViolation(_("The corrected value of %(field)s is not a date.", field=field_label(name))) from None
        elif name == "hours":
            if value in (None, ""):
                cleaned[name] = None
            elif str(value).isdigit() and 0 < int(value) <= 10000:
                cleaned[name] = int(value)
            else:
                raise RuleViolation(_("The number of hours must be a whole number above zero."))
        else:
            raise RuleViolation(_("%(field)s cannot be corrected on a certificate.", field=field_label(name)))
    return cleaned


def reissue_certificate(db: Session, certificate: Certificate, *, actor_id: int | None, reason: str,
                        corrections: dict[str, Any], now: datetime, secret: str, base_url: str) -> Certificate:
    """A new certificate (new number, issued today) with the old one's facts and the corrections; the old one is
    superseded by it and its verification links to the new one."""
    reason = nfc(reason)
    if not reason:
        raise RuleViolation(_("Give the reason for re-issuing the certificate."))
    db.refresh(certificate, with_for_update=True)
    if certificate.revoked_at is not None or certificate.superseded_by_id is not None:
        raise RuleViolation(_("Only a current certificate can be re-issued."))
    changes = clean_corrections(corrections)
    facts = {name: getattr(certificate, name) for name in FROZEN_COPY}
    changed = {name: value for name, value in changes.items() if facts.get(name) != value}
    facts.update(changed)
    facts["organising_body"] = certificate.organising_body
    before = {name: _plain(getattr(certificate, name)) for name in changed}
    with db.begin_nested():
        certificate.current_key = None
        db.flush()
        replacement = _create(db, facts, actor_id=actor_id, mode=IssueMode.REISSUE, reason=reason, now=now,
                              secret=secret, base_url=base_url, action="reissued",
                              details={"replaces": certificate.number,
                                       "corrections": {k: _plain(v) for k, v in changed.items()}, "before": before})
        certificate.superseded_by_id = replacement.id
        db.add(CertificateEvent(certificate_id=certificate.id, action="superseded", actor_id=actor_id, at=now,
                                reason=reason, details={"superseded_by": replacement.number}))
        db.flush()
    return replacement


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
