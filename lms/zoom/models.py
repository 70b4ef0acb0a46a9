"""A Zoom webhook per organising body (opaque hook id, encrypted secret token) and every raw event received."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, utcnow


class ZoomHook(Base):
    __tablename__ = "zoom_hooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    organising_body_id: Mapped[int] = mapped_column(ForeignKey("organising_bodies.id", ondelete="CASCADE"),
                                                    unique=True)
    hook_id: Mapped[str] = mapped_column(String(64), unique=True)  # secrets.token_urlsafe: in the public URL
    token_encrypted: Mapped[str] = mapped_column(Text, default="")  # Fernet, key derived from SECRET_KEY; "" unset
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    IGNORED = "ignored"  # a kind we do not use, or no session matched
    FAILED = "failed"


class ZoomEvent(Base):
    """A signed delivery exactly as received, stored before processing so a failure loses nothing."""

    __tablename__ = "zoom_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    hook_id: Mapped[int] = mapped_column(ForeignKey("zoom_hooks.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    event_type: Mapped[str] = mapped_column(String(80), default="")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=EventStatus.RECEIVED, index=True)
    detail: Mapped[str] = mapped_column(Text, default="")  # why it failed or was ignored
    processed_at: Mapped[datetime | None]
