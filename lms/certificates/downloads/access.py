"""Who may fetch which certificate: the holder their own, staff those of their body or the classes they teach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.certificates.models import Certificate, CertificateStatus
from lms.classes.models import TrainingClass, class_trainers
from lms.classes.services import get_class
from lms.errors import NotFound
from lms.text import name_sort_key

# The holder downloads only a certificate that still stands (valid, or expired: it was true when it held);
# a revoked or superseded one is listed with its status, and a superseded one points to its replacement.
HOLDER_DOWNLOADABLE = {CertificateStatus.VALID, CertificateStatus.EXPIRED}


@dataclass(frozen=True)
class HeldCertificate:
    certificate: Certificate
    status: CertificateStatus
    downloadable: bool


def holder_certificate(db: Session, user: User, certificate_id: int) -> Certificate:
    """The user's own certificate; anyone else's is "not found", never "forbidden"."""
    certificate = db.get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != user.id:
        raise NotFound()
    return certificate


def held_certificates(db: Session, user: User, today: date) -> list[HeldCertificate]:
    """The user's certificates, newest first, with their status today."""
    rows = db.scalars(select(Certificate).where(Certificate.user_id == user.id)
                      .order_by(Certificate.issued_on.desc(), Certificate.id.desc()))
    held = []
    for certificate in rows:
        status = certificate.status_on(today)
        held.append(HeldCertificate(certificate, status, status in HOLDER_DOWNLOADABLE))
    return held


def staff_certificate(db: Session, actor: User, certificate_id: int) -> Certificate:
    """A certificate the staff member may read: any for an admin, their body's for an organiser, their own
    classes' for a trainer; any other is "not found"."""
    certificate = db.get(Certificate, certificate_id)
    if certificate is None or not _staff_may_read(db, actor, certificate):
        raise NotFound()
    return certificate


def _staff_may_read(db: Session, actor: User, certificate: Certificate) -> bool:
    if actor.role == Role.ADMIN:
        return True
    if actor.role == Role.ORGANISER:
        return certificate.organising_body_id == actor.organising_body_id
    if actor.role == Role.TRAINER:
        return db.scalar(select(class_trainers.c.user_id).where(class_trainers.c.class_id == certificate.class_id,
                                                                class_trainers.c.user_id == actor.id)) is not None
    return False


def staff_class_certificates(db: Session, actor: User, class_id: int) -> tuple[TrainingClass, list[Certificate]]:
    """A class the staff member may read and its current certificates (not revoked, not superseded), in
    Vietnamese name order, as they are printed and handed out."""
    training_class = get_class(db, actor, class_id)
    certificates = list(db.scalars(select(Certificate).where(Certificate.class_id == training_class.id,
                                                             Certificate.current_key.is_not(None))))
    certificates.sort(key=lambda c: (name_sort_key(c.holder_name), c.number))
    return training_class, certificates
