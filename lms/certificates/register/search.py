"""Searching a body's register: by number or holder name (with or without diacritics), class, status, dates."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import Role, User
from lms.certificates.models import Certificate, CertificateStatus
from lms.classes.models import TrainingClass
from lms.text import fold

PAGE_SIZE = 50
STATUSES = (CertificateStatus.VALID, CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED,
            CertificateStatus.EXPIRED)


@dataclass
class RegisterQuery:
    text: str = ""
    class_id: int | None = None
    status: str = ""
    issued_from: date | None = None
    issued_to: date | None = None
    page: int = 1


@dataclass
class RegisterPage:
    items: list[Certificate]
    page: int
    pages: int
    total: int


def register_body_id(actor: User) -> int | None:
    """The body whose register the actor reads: an organiser's own; None (every body) for an administrator."""
    return None if actor.role == Role.ADMIN else actor.organising_body_id


def register_classes(session: Session, body_id: int | None) -> list[TrainingClass]:
    """Classes that have certificates in the register, for the class filter."""
    query = select(TrainingClass).where(TrainingClass.id.in_(select(Certificate.class_id).distinct()))
    if body_id is not None:
        query = query.where(TrainingClass.organising_body_id == body_id)
    return list(session.scalars(query.order_by(TrainingClass.name)))


def _status_clause(status: str, today: date):
    not_replaced = and_(Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None))
    return {
        CertificateStatus.REVOKED: Certificate.revoked_at.is_not(None),
        CertificateStatus.SUPERSEDED: and_(Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_not(None)),
        CertificateStatus.EXPIRED: and_(not_replaced, Certificate.expires_on < today),
        CertificateStatus.VALID: and_(not_replaced, or_(Certificate.expires_on.is_(None), Certificate.expires_on >= today)),
    }.get(status)


def search_register(session: Session, *, body_id: int | None, query: RegisterQuery, today: date) -> list[Certificate]:
    """Every certificate matching the query, newest first. Names match without diacritics ("nguyen thi huong")."""
    statement = select(Certificate).options(selectinload(Certificate.training_class))
    if body_id is not None:
        statement = statement.where(Certificate.organising_body_id == body_id)
    if query.class_id is not None:
        statement = statement.where(Certificate.class_id == query.class_id)
    clause = _status_clause(query.status, today)
    if clause is not None:
        statement = statement.where(clause)
    if query.issued_from is not None:
        statement = statement.where(Certificate.issued_on >= query.issued_from)
    if query.issued_to is not None:
        statement = statement.where(Certificate.issued_on <= query.issued_to)
    found = session.scalars(statement.order_by(Certificate.issued_on.desc(), Certificate.id.desc())).all()
    needle = fold(query.text)
    if not needle:
        return list(found)
    # The holder's name is frozen on the certificate, so it is folded here rather than read from the profile.
    return [c for c in found if needle in fold(c.holder_name) or needle in fold(c.number) or needle in fold(c.register_no)]


def page_of(items: list[Certificate], page: int, size: int = PAGE_SIZE) -> RegisterPage:
    pages = max(1, math.ceil(len(items) / size))
    page = min(max(1, page), pages)
    return RegisterPage(items=items[(page - 1) * size: page * size], page=page, pages=pages, total=len(items))
