"""An organising body's certificate settings: numbering, look, signer, images, preview, with an audit entry."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import Role, User
from lms.certificates import numbering
from lms.certificates.images import ImageRejected, prepare_image
from lms.certificates.models import DEFAULT_NUMBER_PATTERN, BodyCertificateSettings, CertificateImage
from lms.certificates.payload import verify_url
from lms.certificates.pdf import CertificateFacts, render_certificate
from lms.errors import NotFound, RuleViolation
from lms.organisations.models import OrganisingBody
from lms.text import clean_line

IMAGE_KINDS = ("logo", "signature", "seal")
TEXT_LIMITS = {"issue_place": 120, "signer_title": 200, "signer_name": 120}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ORG_CODE = re.compile(r"^[A-Za-z0-9._-]{0,16}$")
SAMPLE_CODE = "XEM-THU-KHONG-CO-GIA-TRI"


@dataclass(frozen=True)
class SettingsInput:
    number_pattern: str
    register_pattern: str
    org_code: str
    issue_place: str
    signer_title: str
    signer_name: str
    primary_colour: str


def body_for(db: Session, actor: User, body_id: int) -> OrganisingBody:
    """The body whose settings the actor may edit: any for an admin, their own for an organiser; else not found."""
    body = db.get(OrganisingBody, body_id)
    if body is None or not (actor.role == Role.ADMIN or
                            (actor.role == Role.ORGANISER and actor.organising_body_id == body.id)):
        raise NotFound()
    return body


def settings_for(db: Session, body: OrganisingBody) -> BodyCertificateSettings:
    """The body's settings row, or unsaved defaults."""
    found = db.get(BodyCertificateSettings, body.id)
    return found or BodyCertificateSettings(organising_body_id=body.id, number_pattern=DEFAULT_NUMBER_PATTERN,
                                            register_pattern="{SEQ}/{YYYY}", org_code="", issue_place="",
                                            signer_title="", signer_name="", primary_colour="#1f4e79")


def _snapshot(settings: BodyCertificateSettings) -> dict:
    return {name: getattr(settings, name) for name in
            ("number_pattern", "register_pattern", "org_code", "issue_place", "signer_title", "signer_name",
             "primary_colour", "logo_sha256", "signature_sha256", "seal_sha256")}


def clean_input(values: SettingsInput) -> SettingsInput:
    """The values checked and normalised, or RuleViolation saying what is wrong."""
    number_pattern = numbering.validate_pattern(values.number_pattern, label=_("The number pattern"))
    register_pattern = numbering.validate_pattern(values.register_pattern, label=_("The register pattern"))
    org_code = clean_line(values.org_code).upper()
    if not _ORG_CODE.match(org_code):
        raise RuleViolation(_("The organisation code may hold up to 16 letters (without marks), digits, . _ or -."))
    colour = clean_line(values.primary_colour)
    if not _COLOUR.match(colour):
        raise RuleViolation(_("The colour must be written as # and six hexadecimal digits, e.g. #1f4e79."))
    texts = {name: clean_line(getattr(values, name)) for name in TEXT_LIMITS}
    for name, limit in TEXT_LIMITS.items():
        if len(texts[name]) > limit:
            raise RuleViolation(_("%(field)s is longer than %(max)d characters.", field=_field_label(name), max=limit))
    return SettingsInput(number_pattern, register_pattern, org_code, texts["issue_place"], texts["signer_title"],
                         texts["signer_name"], colour.lower())


def _field_label(name: str) -> str:
    return {"issue_place": _("The place of issue"), "signer_title": _("The signer's title"),
            "signer_name": _("The signer's name")}[name]


def store_image(db: Session, data: bytes, kind: str) -> str:
    """Check and normalise an uploaded image and keep it once by its hash; returns the hash."""
    prepared = prepare_image(data, kind)
    digest = hashlib.sha256(prepared.data).hexdigest()
    if db.get(CertificateImage, digest) is None:
        db.add(CertificateImage(sha256=digest, media_type=prepared.media_type, data=prepared.data))
        db.flush()
    return digest


def update_settings(db: Session, body: OrganisingBody, actor: User, *, values: SettingsInput,
                    uploads: dict[str, bytes], removed: set[str], now: datetime) -> BodyCertificateSettings:
    """Save the settings and any new images (all or nothing) and record the change in the audit log.

    Certificates already issued keep the facts and images they were issued with."""
    cleaned = clean_input(values)
    with db.begin_nested():  # a refused image undoes the images stored before it
        settings = _apply(db, body, actor, cleaned, uploads, removed, now)
    return settings


def _apply(db: Session, body: OrganisingBody, actor: User, cleaned: SettingsInput, uploads: dict[str, bytes],
           removed: set[str], now: datetime) -> BodyCertificateSettings:
    hashes = {}
    for kind, data in uploads.items():
        try:
            hashes[kind] = store_image(db, data, kind)
        except ImageRejected as error:
            raise RuleViolation(_image_message(kind, error)) from error
    settings = settings_for(db, body)
    before = _snapshot(settings) if db.get(BodyCertificateSettings, body.id) is not None else None
    for name, value in cleaned.__dict__.items():
        setattr(settings, name, value)
    for kind in IMAGE_KINDS:
        if kind in hashes:
            setattr(settings, f"{kind}_sha256", hashes[kind])
        elif kind in removed:
            setattr(settings, f"{kind}_sha256", None)
    settings.updated_at = now
    db.add(settings)
    db.flush()
    after = _snapshot(settings)
    if before != after:
        record(db, "certificate_settings.updated", actor_id=actor.id, body_id=body.id, target_type="organising_body",
               target_id=body.id, target_label=body.name, before=before, after=after, now=now)
    return settings


def _image_message(kind: str, error: ImageRejected) -> str:
    what = {"logo": _("Logo"), "signature": _("Signature"), "seal": _("Seal")}[kind]
    return f"{what}: {_(error.message, **error.values)}"


def preview_pdf(db: Session, body: OrganisingBody, settings: BodyCertificateSettings, *, base_url: str,
                today: date) -> bytes:
    """A sample certificate with the body's current settings, marked across the page as a preview."""
    sequence = 1
    org = numbering.org_code(body, settings)
    images = {kind: _image_bytes(db, getattr(settings, f"{kind}_sha256")) for kind in IMAGE_KINDS}
    address = verify_url(base_url, SAMPLE_CODE)
    facts = CertificateFacts(
        number=numbering.render(settings.number_pattern, org=org, year=today.year, sequence=sequence),
        register_no=numbering.render(settings.register_pattern, org=org, year=today.year, sequence=sequence),
        holder_name="Nguyễn Thị Hương", holder_birth_date=date(1985, 4, 17), holder_unit="UBND xã Tân Phước",
        course_title="Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 trong cơ quan hành chính nhà nước",
        class_name="ISO-01", class_starts_on=today, class_ends_on=today, hours=16, result_text="",
        body_name=body.name, issue_place=settings.issue_place, issued_on=today, signer_title=settings.signer_title,
        signer_name=settings.signer_name, qr_text=address, verify_address=address,
        primary_colour=settings.primary_colour or "#1f4e79", **images)
    return render_certificate(replace(facts, sample=True))


def _image_bytes(db: Session, digest: str | None) -> bytes | None:
    image = db.get(CertificateImage, digest) if digest else None
    return image.data if image else None
