"""The live room's records: announcements to a class, roll calls and the trainees' confirmations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, utcnow


class Announcement(Base):
    """A message the trainer broadcast to the class; shown on the class pages."""

    __tablename__ = "class_announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RollCall(Base):
    """A roll call the trainer started: trainees confirm with one tap until it closes."""

    __tablename__ = "class_roll_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[datetime]
    closes_at: Mapped[datetime]


class RollCallAnswer(Base):
    """One trainee's "I am here" for one roll call (once: a second tap changes nothing)."""

    __tablename__ = "class_roll_call_confirmations"
    __table_args__ = (UniqueConstraint("roll_call_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roll_call_id: Mapped[int] = mapped_column(ForeignKey("class_roll_calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    confirmed_at: Mapped[datetime]
