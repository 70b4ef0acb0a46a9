"""Leases: a named right to do one job (the sweep) held by one worker until it expires or is renewed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base


class Lease(Base):
    """Who holds the job `name` and until when; a holder that stops renewing loses it at `expires_at`."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime]
