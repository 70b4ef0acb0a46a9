"""Certificate records frozen at issue, their numbering, events, verification checks, keys and body settings."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, utcnow

if TYPE_CHECKING:
    from lms.auth.models import User
    from lms.classes.models import TrainingClass
    from lms.organisations.models import OrganisingBody

DEFAULT_NUMBER_PATTERN = "{ORG}-{YYYY}-{SEQ:05}"


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    NOT_FOUND = "not_found"


class IssueMode(StrEnum):
    AUTOMATIC = "automatic"
    BULK = "bulk"
    SINGLE = "single"
    REISSUE = "reissue"


class Certificate(Base):
    """One certificate: every printed fact is copied here at issue and never follows later profile edits."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    organising_body_id: Mapped[int] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)  # số hiệu
    register_no: Mapped[str] = mapped_column(String(64))  # số vào sổ
    sequence: Mapped[int]  # the body's counter value that made the number and the register entry
    # At least 128 bits from `secrets`, URL-safe; never a row id.
    verification_code: Mapped[str] = mapped_column(String(64), unique=True)
    # f"{class_id}:{user_id}" while this is the current certificate of that trainee in that class, NULL once
    # revoked or superseded: a unique column that allows one current certificate per trainee and class on any database.
    current_key: Mapped[str | None] = mapped_column(String(40), unique=True)

    # Frozen facts, as printed.
    holder_name: Mapped[str] = mapped_column(String(120))
    holder_birth_date: Mapped[date | None]
    holder_unit: Mapped[str] = mapped_column(String(255), default="")
    course_title: Mapped[str] = mapped_column(String(255))
    class_name: Mapped[str] = mapped_column(String(200))
    class_starts_on: Mapped[date | None]
    class_ends_on: Mapped[date | None]
    hours: Mapped[int | None]
    result_text: Mapped[str] = mapped_column(String(120), default="")  # empty when the class does not print it
    body_name: Mapped[str] = mapped_column(String(200))
    issue_place: Mapped[str] = mapped_column(String(120), default="")
    issued_on: Mapped[date]
    signer_title: Mapped[str] = mapped_column(String(200), default="")
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    logo_sha256: Mapped[str | None] = mapped_column(ForeignKey("certificate_images.sha256"))
    signature_sha256: Mapped[str | None] = mapped_column(ForeignKey("certificate_images.sha256"))
    seal_sha256: Mapped[str | None] = mapped_column(ForeignKey("certificate_images.sha256"))
    primary_colour: Mapped[str] = mapped_column(String(7), default="#1f4e79")
    expires_on: Mapped[date | None]  # the last day the certificate holds

    # The Ed25519 signature printed in the QR code, over the signed fields, and the key that made it.
    key_id: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(128))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))  # of the first rendering; later ones must match

    issue_mode: Mapped[str] = mapped_column(String(16), default=IssueMode.BULK)
    issue_reason: Mapped[str] = mapped_column(Text, default="")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]
    revoked_on: Mapped[date | None]
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))

    organising_body: Mapped[OrganisingBody] = relationship()
    training_class: Mapped[TrainingClass] = relationship()
    holder: Mapped[User] = relationship(foreign_keys=[user_id])
    superseded_by: Mapped[Certificate | None] = relationship(remote_side=[id])

    def status_on(self, today: date) -> CertificateStatus:
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        if self.superseded_by_id is not None:
            return CertificateStatus.SUPERSEDED
        if self.expires_on is not None and today > self.expires_on:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID


class CertificateCounter(Base):
    """The next sequence number of a body's certificates for one year; incremented in the issuing transaction."""

    __tablename__ = "certificate_counters"

    organising_body_id: Mapped[int] = mapped_column(ForeignKey("organising_bodies.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class CertificateEvent(Base):
    """Who issued, revoked or re-issued a certificate, when, and why."""

    __tablename__ = "certificate_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # issued, revoked, superseded, reissued
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class CertificateCheck(Base):
    """One verification of a code (page, JSON or the number+name form), for the organiser's check counts."""

    __tablename__ = "certificate_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    address_hash: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    result: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(8), default="page")  # page, json, form


class SigningKey(Base):
    """An Ed25519 key that signs QR payloads; retired keys stay published so old certificates keep verifying."""

    __tablename__ = "certificate_signing_keys"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)  # raw 32 bytes
    private_key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted with a key derived from SECRET_KEY
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]


class CertificateImage(Base):
    """A logo, signature or seal image, stored once by its content hash so issued certificates keep theirs."""

    __tablename__ = "certificate_images"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BodyCertificateSettings(Base):
    """An organising body's certificate look and numbering, edited by its organiser."""

    __tablename__ = "certificate_body_settings"

    organising_body_id: Mapped[int] = mapped_column(ForeignKey("organising_bodies.id"), primary_key=True)
    number_pattern: Mapped[str] = mapped_column(String(64), default=DEFAULT_NUMBER_PATTERN)
    register_pattern: Mapped[str] = mapped_column(String(64), default="{SEQ}/{YYYY}")
    org_code: Mapped[str] = mapped_column(String(16), default="")
    issue_place: Mapped[str] = mapped_column(String(120), default="")
    signer_title: Mapped[str] = mapped_column(String(200), default="")
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    primary_colour: Mapped[str] = mapped_column(String(7), default="#1f4e79")
    logo_sha256: Mapped[str | None] = mapped_column(ForeignKey("certificate_images.sha256"))
    signature_sha256: Mapped[str | None] = mapped_column(ForeignKey("certificate_images.sha256"))
    seal_sha256: Mapped[str | None] = mapped_column(ForeignKey("certificate_images.sha256"))
    # PAdES: the body's PKCS#12 signing certificate, encrypted at rest with a key derived from SECRET_KEY.
    pkcs12_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    pkcs12_subject: Mapped[str] = mapped_column(String(255), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClassCertificateSettings(Base):
    """How one class issues certificates: automatically or not, printed result, hours, validity."""

    __tablename__ = "certificate_class_settings"

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)
    auto_issue: Mapped[bool] = mapped_column(default=False)
    print_result: Mapped[bool] = mapped_column(default=False)
    hours: Mapped[int | None]
    valid_months: Mapped[int | None]  # empty: no expiry


class CertificateJob(Base):
    """A bulk issue running outside the web request; its page polls the progress and can be left and reopened."""

    __tablename__ = "certificate_jobs"
    __table_args__ = (UniqueConstraint("class_id", "active_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued, running, done, failed
    active_key: Mapped[str | None] = mapped_column(String(8), default="active")  # NULL once finished: one active job a class
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    issued: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
