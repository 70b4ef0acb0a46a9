"""A class's trainees as the certificates page shows them: eligible or not and why, and their certificate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.auth.models import User
from lms.certificates.eligibility import class_eligibility
from lms.certificates.models import Certificate, CertificateStatus
from lms.classes.models import TrainingClass
from lms.text import name_sort_key


@dataclass
class TraineeRow:
    user: User
    eligible: bool
    reasons: list[str]
    current: Certificate | None  # the certificate that holds now (valid or expired), if any
    history: list[Certificate] = field(default_factory=list)  # revoked or superseded ones, newest first

    @property
    def latest(self) -> Certificate | None:
        return self.current or (self.history[0] if self.history else None)


@dataclass
class ClassOverview:
    rows: list[TraineeRow]

    @property
    def eligible_without_certificate(self) -> int:
        return sum(1 for row in self.rows if row.eligible and row.latest is None)  # what a bulk issue would issue

    @property
    def certified(self) -> int:
        return sum(1 for row in self.rows if row.current is not None)

    @property
    def eligible(self) -> int:
        return sum(1 for row in self.rows if row.eligible)


def class_certificates(session: Session, class_id: int) -> list[Certificate]:
    """Every certificate of the class, newest first."""
    query = select(Certificate).where(Certificate.class_id == class_id).order_by(Certificate.issued_at.desc(),
                                                                                 Certificate.id.desc())
    return list(session.scalars(query))


def class_overview(session: Session, training_class: TrainingClass, *, now: datetime) -> ClassOverview:
    """Every enrolled trainee, sorted by given name, with eligibility (and why not) and certificates."""
    by_user: dict[int, list[Certificate]] = {}
    for certificate in class_certificates(session, training_class.id):
        by_user.setdefault(certificate.user_id, []).append(certificate)
    rows = []
    for verdict in class_eligibility(session, training_class, now):
        certificates = by_user.get(verdict.user.id, [])
        current = next((c for c in certificates if c.current_key is not None), None)
        rows.append(TraineeRow(user=verdict.user, eligible=verdict.eligible, reasons=list(verdict.reasons),
                               current=current, history=[c for c in certificates if c is not current]))
    rows.sort(key=lambda row: name_sort_key(row.user.full_name))
    return ClassOverview(rows)


def status_of(certificate: Certificate, today: date) -> CertificateStatus:
    return certificate.status_on(today)
