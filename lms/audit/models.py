"""Audit entries: written once by services, never edited or deleted through the interface."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # NULL: the system or the CLI
    # The body whose organiser may read the entry; NULL: administrators only.
    organising_body_id: Mapped[int | None] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)  # e.g. "certificate.revoke", "user.role_change"
    target_type: Mapped[str] = mapped_column(String(32), default="")
    target_id: Mapped[int | None]
    target_label: Mapped[str] = mapped_column(String(255), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    address: Mapped[str] = mapped_column(String(64), default="")  # the client address; "" outside a request
