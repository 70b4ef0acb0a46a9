"""Attendance records: Zoom participant events, roll-call confirmations, trainer marks with history, class rule."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, utcnow

if TYPE_CHECKING:
    from lms.auth.models import User
    from lms.classes.sessions.models import ClassSession

DEFAULT_MIN_PERCENT = 80


class MarkStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"


class ParticipantEventKind(StrEnum):
    JOIN = "join"
    LEAVE = "leave"


class ParticipantEvent(Base):
    """One join or leave of one Zoom participant in a session; a repeated delivery hits the unique key."""

    __tablename__ = "zoom_participant_events"
    __table_args__ = (UniqueConstraint("class_session_id", "participant_key", "kind", "at",
                                       name="uq_zoom_participant_events_delivery"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"), index=True)
    # The trainee it counts for: matched by Zoom email or registrant id, or assigned by the trainer; NULL: unmatched.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    participant_key: Mapped[str] = mapped_column(String(160))  # stable id of the Zoom participant in the meeting
    participant_name: Mapped[str] = mapped_column(String(200), default="")
    participant_email: Mapped[str] = mapped_column(String(254), default="")
    registrant_id: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime]

    user: Mapped[User | None] = relationship()


class RollCallConfirmation(Base):
    __tablename__ = "roll_call_confirmations"
    __table_args__ = (UniqueConstraint("class_session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    confirmed_at: Mapped[datetime]


class AttendanceMark(Base):
    """The trainer's word on one trainee at one session; it overrides Zoom minutes and roll calls."""

    __tablename__ = "attendance_marks"
    __table_args__ = (UniqueConstraint("class_session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(255), default="")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

    class_session: Mapped[ClassSession] = relationship()


class AttendanceMarkChange(Base):
    """History of marks: who changed which trainee's mark from what to what, and when ("" = no mark)."""

    __tablename__ = "attendance_mark_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    old_status: Mapped[str] = mapped_column(String(16), default="")
    new_status: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(String(255), default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])


class AttendanceRule(Base):
    """A class's attendance rule; a class without a row uses DEFAULT_MIN_PERCENT."""

    __tablename__ = "attendance_rules"

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)
    min_percent: Mapped[int] = mapped_column(default=DEFAULT_MIN_PERCENT)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
