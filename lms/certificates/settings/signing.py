"""The body's PKCS#12 signing certificate: upload (checked, sealed), what it is, removal, and signing downloads."""

from __future__ import annotations

import logging
from datetime import datetime

from cryptography.exceptions import InvalidTag
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import User
from lms.certificates import pades
from lms.certificates.keys import KeyUnavailable
from lms.certificates.models import BodyCertificateSettings
from lms.certificates.settings.services import settings_for
from lms.errors import RuleViolation
from lms.organisations.models import OrganisingBody

log = logging.getLogger(__name__)


def upload_signing_certificate(db: Session, body: OrganisingBody, actor: User, *, data: bytes, password: str,
                               secret: str, now: datetime) -> pades.SigningIdentity:
    """Check the PKCS#12 with its password, store it sealed (the password is not kept) and audit the change."""
    try:
        plain = pades.checked_pkcs12(data, password, now=now)
    except pades.SigningCertificateRejected as error:
        raise RuleViolation(_(error.message, **error.values)) from error
    identity = pades.identity(plain)
    settings = settings_for(db, body)
    before = settings.pkcs12_subject or None
    settings.pkcs12_encrypted = pades.sealed(plain, secret=secret, body_id=body.id)
    settings.pkcs12_subject = identity.subject[:255]
    settings.updated_at = now
    db.add(settings)
    db.flush()
    record(db, "certificate_settings.signing_certificate_uploaded", actor_id=actor.id, body_id=body.id,
           target_type="organising_body", target_id=body.id, target_label=body.name, now=now,
           before={"subject": before} if before else None,
           after={"subject": identity.subject, "issuer": identity.issuer, "serial": identity.serial,
                  "not_after": identity.not_after.isoformat()})
    return identity


def remove_signing_certificate(db: Session, body: OrganisingBody, actor: User, *, now: datetime) -> None:
    """Forget the body's signing certificate: later downloads are unsigned."""
    settings = db.get(BodyCertificateSettings, body.id)
    if settings is None or settings.pkcs12_encrypted is None:
        raise RuleViolation(_("No signing certificate is stored."))
    subject = settings.pkcs12_subject
    settings.pkcs12_encrypted, settings.pkcs12_subject, settings.updated_at = None, "", now
    db.flush()
    record(db, "certificate_settings.signing_certificate_removed", actor_id=actor.id, body_id=body.id,
           target_type="organising_body", target_id=body.id, target_label=body.name, now=now,
           before={"subject": subject}, after=None)


def _plain_pkcs12(db: Session, body_id: int, secret: str) -> bytes | None:
    settings = db.get(BodyCertificateSettings, body_id)
    if settings is None or settings.pkcs12_encrypted is None:
        return None
    try:
        return pades.unsealed(settings.pkcs12_encrypted, secret=secret, body_id=body_id)
    except (InvalidTag, KeyUnavailable, ValueError):
        log.error("organising body %s: the stored signing certificate cannot be opened (SECRET_KEY changed?)", body_id)
        raise RuleViolation(_("The stored signing certificate cannot be opened (the application's secret key has "
                              "changed). Upload it again.")) from None


def signing_identity(db: Session, body_id: int, secret: str) -> pades.SigningIdentity | None:
    plain = _plain_pkcs12(db, body_id, secret)
    return pades.identity(plain) if plain else None


def signer_for(db: Session, body_id: int, secret: str):
    """A function signing a PDF with the body's certificate, or None when the body has none (PDFs unsigned)."""
    plain = _plain_pkcs12(db, body_id, secret)
    if plain is None:
        return None

    def sign(pdf: bytes, *, reason: str = "", location: str = "") -> bytes:
        return pades.sign_pdf(pdf, plain, reason=reason, location=location)

    return sign
