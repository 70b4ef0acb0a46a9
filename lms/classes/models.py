"""Classes (cohorts of one course run by an organising body), their trainers and enrolments."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, utcnow

if TYPE_CHECKING:
    from lms.auth.models import User
    from lms.courses.models import Course
    from lms.organisations.models import OrganisingBody

class_trainers = Table(
    "class_trainers",
    Base.metadata,
    Column("class_id", ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class TrainingClass(Base):
    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organising_body_id: Mapped[int] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The class's end-of-course test (one of its course's tests the body may use); None: not chosen yet.
    quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id", ondelete="SET NULL"), index=True)
    capacity: Mapped[int | None]  # the most trainees the class takes; None: no limit
    # Set when a finished class is archived: hidden from the default lists and read-only from then on.
    archived_at: Mapped[datetime | None] = mapped_column(index=True)
    # The code people register themselves with (lms.classes.roster.joining); None until the organiser makes one.
    join_code: Mapped[str | None] = mapped_column(String(16), unique=True)

    organising_body: Mapped[OrganisingBody] = relationship()
    course: Mapped[Course] = relationship()
    trainers: Mapped[list[User]] = relationship(secondary=class_trainers)
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="training_class", cascade="all, delete-orphan")

    @property
    def active_enrolments(self) -> list[Enrolment]:
        """The trainees in the class now (not those waiting for approval or withdrawn)."""
        return [enrolment for enrolment in self.enrolments if enrolment.status == EnrolmentStatus.ACTIVE]


class EnrolmentStatus(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"
    WITHDRAWN = "withdrawn"


class Enrolment(Base):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("class_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The address the trainee joins Zoom with: Zoom's participant events are matched by it, never by name.
    zoom_email: Mapped[str | None] = mapped_column(String(254))
    # active: in the class; pending: registered with the join code, awaiting approval; withdrawn: left (kept).
    status: Mapped[str] = mapped_column(String(16), default=EnrolmentStatus.ACTIVE,
                                        server_default=EnrolmentStatus.ACTIVE, index=True)
    withdrawn_at: Mapped[datetime | None]

    training_class: Mapped[TrainingClass] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship()
