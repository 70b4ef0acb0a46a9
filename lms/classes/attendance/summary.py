"""The class's attendance rule applied per trainee: one function, shared with certificate eligibility."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from flask import has_request_context
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.classes.attendance.minutes import Mark, minutes_present
from lms.classes.attendance.models import AttendanceMark, MarkStatus, ParticipantEvent, RollCallConfirmation
from lms.classes.attendance.services import rule_for
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.classes.sessions.models import ClassSession
from lms.numbers import format_percent

ATTENDED_MARKS = (MarkStatus.PRESENT, MarkStatus.LATE)


@dataclass
class SessionAttendance:
    """One trainee at one session: what each source says and the minutes credited."""

    session_id: int
    zoom_minutes: float
    roll_call: bool
    mark: str  # "" when the trainer set none
    session_minutes: float
    counted: bool  # False: not ended yet, or excused
    credited_minutes: float


@dataclass
class AttendanceSummary:
    user_id: int
    percent: float | None  # None: no session counted yet
    meets_rule: bool
    reason: str
    attended_minutes: float = 0.0
    counted_minutes: float = 0.0
    sessions: list[SessionAttendance] = field(default_factory=list)


def credit(*, zoom_minutes: float, roll_call: bool, mark: str, session_minutes: float) -> tuple[bool, float]:
    """How the three sources combine for one session: (counted, minutes credited).

    The trainer's mark decides when there is one: excused leaves the session out, absent credits nothing, present
    and late credit the whole session. Without a mark, a roll-call confirmation credits the whole session, and
    otherwise the Zoom minutes (merged joins and leaves inside the session's time) are credited.
    """
    if mark == MarkStatus.EXCUSED:
        return False, 0.0
    if mark == MarkStatus.ABSENT:
        return True, 0.0
    if mark in ATTENDED_MARKS or roll_call:
        return True, session_minutes
    return True, min(zoom_minutes, session_minutes)


def attendance_summary(db: Session, training_class: TrainingClass, now: datetime, *,
                       user_id: int | None = None, user_ids: Collection[int] | None = None) -> dict[int, AttendanceSummary]:
    """Each enrolled trainee's attendance under the class's rule: {user_id: AttendanceSummary} (only that trainee's,
    or those trainees', when `user_id` or `user_ids` is given: a certificate's eligibility, or a batch of a bulk
    issue, need not read the whole class).

    Shared with certificate eligibility (the certificate needs meets_rule). Counted: the sessions that have ended
    by `now`, except those a trainee is excused from. percent = credited minutes / counted session minutes (see
    credit() for how Zoom minutes, roll calls and marks combine); meets_rule = percent ≥ the class's minimum
    (AttendanceRule, default 80 %). With no session counted yet the rule is met and the reason says so.
    """
    sessions = list(db.scalars(select(ClassSession).where(ClassSession.class_id == training_class.id)
                               .order_by(ClassSession.starts_at, ClassSession.id)))
    enrolled = select(Enrolment.user_id).where(Enrolment.class_id == training_class.id,
                                               Enrolment.status == EnrolmentStatus.ACTIVE)
    wanted = None if user_id is None and user_ids is None else {*(user_ids or ()), *(() if user_id is None else (user_id,))}
    if wanted is not None:
        enrolled = enrolled.where(Enrolment.user_id.in_(wanted))
    counted_users = list(db.scalars(enrolled))
    if not sessions:  # a class that records no attendance: one answer for everyone
        reason = _("no session to count yet")
        return {uid: AttendanceSummary(uid, None, True, reason, 0.0, 0.0, []) for uid in counted_users}
    sources = _load_sources(db, [s.id for s in sessions], counted_users if wanted is not None else None)
    minimum = rule_for(db, training_class).min_percent
    return {uid: _summarise(uid, sessions, sources, minimum, now) for uid in counted_users}


@dataclass
class _Sources:
    events: dict[tuple[int, int], list[Mark]]
    confirmations: set[tuple[int, int]]
    marks: dict[tuple[int, int], str]


def _load_sources(db: Session, session_ids: list[int], user_ids: list[int] | None = None) -> _Sources:
    """The sessions' Zoom events, roll calls and marks (of those trainees only, when `user_ids` is given)."""
    events: dict[tuple[int, int], list[Mark]] = defaultdict(list)
    if not session_ids or user_ids == []:
        return _Sources(events, set(), {})

    def of_users(query, column):
        return query if user_ids is None else query.where(column.in_(user_ids))

    for row in db.execute(of_users(select(ParticipantEvent.class_session_id, ParticipantEvent.user_id,
                                          ParticipantEvent.participant_key, ParticipantEvent.kind, ParticipantEvent.at)
                                   .where(ParticipantEvent.class_session_id.in_(session_ids),
                                          ParticipantEvent.user_id.is_not(None)), ParticipantEvent.user_id)):
        events[(row.class_session_id, row.user_id)].append(Mark(row.participant_key, row.kind, row.at))
    confirmations = {(r.class_session_id, r.user_id) for r in db.execute(of_users(
        select(RollCallConfirmation.class_session_id, RollCallConfirmation.user_id)
        .where(RollCallConfirmation.class_session_id.in_(session_ids)), RollCallConfirmation.user_id))}
    marks = {(r.class_session_id, r.user_id): r.status for r in db.execute(of_users(
        select(AttendanceMark.class_session_id, AttendanceMark.user_id, AttendanceMark.status)
        .where(AttendanceMark.class_session_id.in_(session_ids)), AttendanceMark.user_id))}
    return _Sources(events, confirmations, marks)


def session_attendance(class_session: ClassSession, user_id: int, sources: _Sources, now: datetime) -> SessionAttendance:
    key = (class_session.id, user_id)
    end = min(class_session.ends_at, now)
    zoom = minutes_present(sources.events.get(key, []), start=class_session.starts_at, end=end,
                           meeting_ended_at=class_session.zoom_ended_at) if end > class_session.starts_at else 0.0
    mark = sources.marks.get(key, "")
    counted, credited = credit(zoom_minutes=zoom, roll_call=key in sources.confirmations, mark=mark,
                               session_minutes=class_session.minutes)
    return SessionAttendance(class_session.id, zoom, key in sources.confirmations, mark, class_session.minutes,
                             counted and class_session.ends_at <= now, credited)


def _summarise(user_id: int, sessions: list[ClassSession], sources: _Sources, minimum: int,
               now: datetime) -> AttendanceSummary:
    rows = [session_attendance(s, user_id, sources, now) for s in sessions]
    counted = [row for row in rows if row.counted]
    total = sum(row.session_minutes for row in counted)
    attended = sum(row.credited_minutes for row in counted)
    if not counted or total <= 0:
        return AttendanceSummary(user_id, None, True, _("no session to count yet"), 0.0, 0.0, rows)
    percent = 100 * attended / total
    meets = round(percent, 6) >= minimum
    reason = _("attendance %(percent)s %(sign)s %(minimum)s", percent=_percent(percent),
               sign="≥" if meets else "<", minimum=_percent(minimum))
    return AttendanceSummary(user_id, percent, meets, reason, attended, total, rows)


def _percent(value: float) -> str:
    # Whole percents floored, so 79.6 % is never shown as "80 % < 80 %".
    return format_percent(int(value), 0, None if has_request_context() else "vi")
