"""The attendance sheet of a class: one row per trainee (Vietnamese name order), one cell per session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import User
from lms.classes.attendance.models import MarkStatus
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
