"""The attendance sheet of a class: one row per trainee (Vietnamese name order), one cell per session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import User
from lms.classes.attendance.minutes import Mark, minutes_present
from lms.classes.attendance.models import MarkStatus, ParticipantEvent
from lms.classes.attendance.services import rule_for
from lms.classes.attendance.summary import AttendanceSummary, SessionAttendance, attendance_summary
from lms.classes.models import Enrolment, TrainingClass
from lms.classes.sessions.models import ClassSession
from lms.classes.sessions.services import list_sessions
from lms.text import name_sort_key

UPCOMING, ROLL_CALL, ZOOM, NO_RECORD = "upcoming", "roll_call", "zoom", "no_record"


@dataclass
class SheetCell:
    state: str  # a MarkStatus, or UPCOMING, ROLL_CALL, ZOOM (minutes from Zoom only) or NO_RECORD
    zoom_minutes: float


@dataclass
class SheetRow:
    user: User
    zoom_email: str
    cells: list[SheetCell]
    summary: AttendanceSummary


@dataclass
class AttendanceSheet:
    training_class: TrainingClass
    sessions: list[ClassSession]
    rows: list[SheetRow]
    min_percent: int


def cell_for(item: SessionAttendance, session_ended: bool) -> SheetCell:
    """What one cell says: the trainer's mark first, then the roll call, then Zoom minutes."""
    if item.mark:
        state = item.mark
    elif not session_ended:
        state = UPCOMING
    elif item.roll_call:
        state = ROLL_CALL
    else:
        state = ZOOM if item.zoom_minutes > 0 else NO_RECORD
    return SheetCell(state, round(item.zoom_minutes))


def attendance_sheet(db: Session, training_class: TrainingClass, now: datetime) -> AttendanceSheet:
    sessions = list_sessions(db, training_class)
    summaries = attendance_summary(db, training_class, now)
    enrolments = db.scalars(select(Enrolment).where(Enrolment.class_id == training_class.id)
                            .options(selectinload(Enrolment.user).selectinload(User.work_unit))).all()
    rows = []
    for enrolment in sorted(enrolments, key=lambda e: name_sort_key(e.user.full_name)):
        summary = summaries[enrolment.user_id]
        cells = [cell_for(item, s.ends_at <= now) for item, s in zip(summary.sessions, sessions, strict=True)]
        rows.append(SheetRow(enrolment.user, enrolment.zoom_email or "", cells, summary))
    return AttendanceSheet(training_class, sessions, rows, rule_for(db, training_class).min_percent)


MARK_CHOICES = [status.value for status in MarkStatus]


@dataclass
class UnmatchedParticipant:
    participant_key: str
    name: str
    email: str
    minutes: float


def unmatched_participants(db: Session, class_session: ClassSession, now: datetime) -> list[UnmatchedParticipant]:
    """The Zoom participants of a session not matched to a trainee, with their minutes, for the trainer to assign."""
    events = db.scalars(select(ParticipantEvent).where(ParticipantEvent.class_session_id == class_session.id,
                                                       ParticipantEvent.user_id.is_(None))
                        .order_by(ParticipantEvent.at, ParticipantEvent.id)).all()
    by_key: dict[str, list[ParticipantEvent]] = {}
    for event in events:
        by_key.setdefault(event.participant_key, []).append(event)
    end = min(class_session.ends_at, now)
    found = []
    for key, rows in by_key.items():
        marks = [Mark(key, row.kind, row.at) for row in rows]
        minutes = minutes_present(marks, start=class_session.starts_at, end=end,
                                  meeting_ended_at=class_session.zoom_ended_at) if end > class_session.starts_at else 0
        named = next((row for row in rows if row.participant_name or row.participant_email), rows[0])
        found.append(UnmatchedParticipant(key, named.participant_name, named.participant_email, round(minutes)))
    return sorted(found, key=lambda p: name_sort_key(p.name or p.email or p.participant_key))
