"""Question banks, tests (quizzes), their openings for classes, attempts, answers and the attempt log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, utcnow

if TYPE_CHECKING:
    from lms.auth.models import User
    from lms.classes.models import TrainingClass
    from lms.courses.models import Course


class AttemptState(StrEnum):
    # Drawn in advance when the trainer opened the test, so that starting costs one UPDATE at the moment
    # the whole class presses "start". Not an attempt yet: no list, count or trainee page shows it.
    READY = "ready"
    OPEN = "open"
    CLOSED = "closed"


class CloseReason(StrEnum):
    SUBMITTED = "submitted"  # the trainee pressed submit
    DEADLINE = "deadline"  # the page submitted at expiry, or a request found it overdue
    SWEEP = "sweep"  # closed by the periodic sweep


class QuestionBank(Base):
    __tablename__ = "question_banks"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(255), default="")
    from_content: Mapped[bool] = mapped_column(default=False)  # kept in step with content/ by `content sync`
    # The body whose staff own a bank made on the web; None for content/ banks, shared read-only by every body.
    organising_body_id: Mapped[int | None] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()
    questions: Mapped[list[Question]] = relationship(back_populates="bank", order_by="Question.id")


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("bank_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_banks.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(16))
    module: Mapped[str | None] = mapped_column(String(100), index=True)
    difficulty: Mapped[str] = mapped_column(String(8))
    tags: Mapped[list] = mapped_column(JSON, default=list)
    stem: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON)  # the whole QuestionData (answer key included): server side only
    version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    bank: Mapped[QuestionBank] = relationship(back_populates="questions")


class Quiz(Base):
    """A test definition: what is drawn, how long it lasts, the pass mark and what trainees may review."""

    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str] = mapped_column(String(255), default="")
    time_limit_minutes: Mapped[int] = mapped_column(default=30)
    pass_mark_percent: Mapped[float] = mapped_column(default=70)
    max_attempts: Mapped[int] = mapped_column(default=1)  # 0 = unlimited
    attempt_policy: Mapped[str] = mapped_column(String(8), default="highest")
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_options: Mapped[bool] = mapped_column(default=True)
    navigation: Mapped[str] = mapped_column(String(12), default="free")
    avoid_repeats: Mapped[bool] = mapped_column(default=True)
    review_after_submit: Mapped[list] = mapped_column(JSON, default=list)
    review_after_close: Mapped[list] = mapped_column(JSON, default=list)
    draw_rules: Mapped[list] = mapped_column(JSON, default=list)
    from_content: Mapped[bool] = mapped_column(default=False)
    # As for banks: a test made on the web belongs to one body; content/ tests (None) are shared.
    organising_body_id: Mapped[int | None] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()


class QuizOpening(Base):
    """A test opened for one class between two moments (the trainer opens it during the live class)."""

    __tablename__ = "quiz_openings"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    quiz: Mapped[Quiz] = relationship()
    training_class: Mapped[TrainingClass] = relationship()


class KeyRelease(Base):
    """An organiser's explicit release of a test's answer keys to their body's trainees before the automatic rule.

    ``organising_body_id`` None: released by an administrator for every body.
    """

    __tablename__ = "quiz_key_releases"
    __table_args__ = (UniqueConstraint("quiz_id", "organising_body_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    organising_body_id: Mapped[int | None] = mapped_column(ForeignKey("organising_bodies.id"))
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizOverride(Base):
    """Extra time or extra attempts for one trainee on one test (e.g. a disability or a dropped connection)."""

    __tablename__ = "quiz_overrides"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    extra_minutes: Mapped[int] = mapped_column(default=0)
    extra_attempts: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(255), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", "number"),
        # At most one open attempt per trainee and test, whatever the race between two tabs.
        Index("uq_attempts_one_open", "quiz_id", "user_id", unique=True,
              sqlite_where=text("state = 'open'"), postgresql_where=text("state = 'open'")),
        Index("ix_attempts_state_deadline", "state", "deadline_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("quiz_openings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(8), default=AttemptState.OPEN)
    started_at: Mapped[datetime]
    deadline_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(String(12))
    seed: Mapped[int]
    # For a READY attempt: the state of the question pool and test definition it was drawn from; a start
    # draws afresh if either changed since (see lms/quizzes/taking/prepared.py).
    draw_fingerprint: Mapped[str | None] = mapped_column(String(64))
    # For a READY attempt: its questions as the start response shows them (no key), rendered in advance
    # to JSON text through the response model.
    prepared_view: Mapped[str | None] = mapped_column(Text)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_contact_at: Mapped[datetime | None]  # the page last heard from before the deadline (bounds late saves)
    score: Mapped[float | None]
    max_score: Mapped[float | None]
    percent: Mapped[float | None]
    passed: Mapped[bool | None]

    quiz: Mapped[Quiz] = relationship()
    opening: Mapped[QuizOpening] = relationship()
    user: Mapped[User] = relationship()
    questions: Mapped[list[AttemptQuestion]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.position", cascade="all, delete-orphan"
    )


class AttemptQuestion(Base):
    """One drawn question in an attempt: what was shown (snapshot, presentation), the answer and its grade."""

    __tablename__ = "attempt_questions"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(120))
    snapshot: Mapped[dict] = mapped_column(JSON)  # the question as it was when drawn
    presentation: Mapped[dict] = mapped_column(JSON)  # opaque ids and order shown to this trainee
    answer: Mapped[dict | None] = mapped_column(JSON)
    answer_seq: Mapped[int] = mapped_column(default=0)
    answered_at: Mapped[datetime | None]
    flagged: Mapped[bool] = mapped_column(default=False)
    score: Mapped[float | None]
    max_score: Mapped[float] = mapped_column(default=1)
    correct: Mapped[bool | None]
    grade_detail: Mapped[dict | None] = mapped_column(JSON)

    attempt: Mapped[Attempt] = relationship(back_populates="questions")


class AttemptEvent(Base):
    """The attempt log (informational, not punitive): starts, saves, reconnects, tab switches, submits."""

    __tablename__ = "attempt_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    detail: Mapped[dict | None] = mapped_column(JSON)
