"""A class session: one dated meeting of a class (UTC start and end), its link, Zoom meeting id and trainer."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, utcnow

if TYPE_CHECKING:
    from lms.auth.models import User
    from lms.classes.models import TrainingClass


class ClassSession(Base):
    __tablename__ = "class_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)  # UTC; shown in Asia/Ho_Chi_Minh
    ends_at: Mapped[datetime]
    meeting_url: Mapped[str] = mapped_column(String(2000), default="")  # any http(s) link: Zoom, Meet, Jitsi...
    # Digits only (spaces of "812 3456 7890" removed); several sessions may share one recurring meeting id.
    zoom_meeting_id: Mapped[str | None] = mapped_column(String(20), index=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # What Zoom said of the meeting run matched to this session (meeting.started / meeting.ended).
    zoom_started_at: Mapped[datetime | None]
    zoom_ended_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    training_class: Mapped[TrainingClass] = relationship()
    trainer: Mapped[User | None] = relationship()

    @property
    def minutes(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 60
