"""Class sessions: who manages them, creating one or a series, editing, deleting, and the current or next one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import Role, User
from lms.classes.models import TrainingClass
from lms.classes.services import get_class
from lms.classes.sessions.models import ClassSession
from lms.errors import Forbidden, NotFound, RuleViolation
from lms.text import clean_line

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_SERIES_DAYS = 62
MAX_SERIES_SESSIONS = 200
MAX_SESSION_HOURS = 12
# A session is "current" from a little before its start, so a roll call at 7:25 counts for the 7:30 session.
EARLY_ARRIVAL = timedelta(minutes=30)
_TIME_RANGE = re.compile(r"^\s*(\d{1,2})[:hg.](\d{2})\s*[-–—]\s*(\d{1,2})[:hg.](\d{2})\s*$")


@dataclass
class SessionInput:
    """One session as typed: a local (Vietnam) day and clock times; the link and Zoom id are optional."""

    day: date
    start: time
    end: time
    title: str = ""
    meeting_url: str = ""
    zoom_meeting_id: str = ""
    trainer_id: int | None = None


def to_utc(day: date, clock: time) -> datetime:
    """A wall-clock time in Vietnam as an aware UTC datetime."""
    return datetime.combine(day, clock, tzinfo=VIETNAM).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(VIETNAM)


def can_manage_sessions(actor: User, training_class: TrainingClass) -> bool:
    """Administrators, the organisers of the class's body and the class's trainers manage its sessions."""
    if actor.role == Role.ADMIN:
        return True
    if actor.role == Role.ORGANISER:
        return actor.organising_body_id == training_class.organising_body_id
    if actor.role == Role.TRAINER:
        return any(trainer.id == actor.id for trainer in training_class.trainers)
    return False


def managed_class(db: Session, actor: User, class_id: int) -> TrainingClass:
    """The class if the actor may manage its sessions; 404 for a class of another body or another trainer."""
    if actor.role == Role.TRAINEE:
        raise Forbidden()
    training_class = get_class(db, actor, class_id)
    if not can_manage_sessions(actor, training_class):
        raise NotFound()
    return training_class


def get_session_of_class(db: Session, training_class: TrainingClass, session_id: int) -> ClassSession:
    found = db.get(ClassSession, session_id)
    if found is None or found.class_id != training_class.id:
        raise NotFound()
    return found


def list_sessions(db: Session, training_class: TrainingClass) -> list[ClassSession]:
    return list(db.scalars(select(ClassSession).where(ClassSession.class_id == training_class.id)
                           .order_by(ClassSession.starts_at, ClassSession.id)))


def current_or_next_session(db: Session, training_class: TrainingClass, now: datetime) -> ClassSession | None:
    """The session in progress (from EARLY_ARRIVAL before its start), else the next one to start, else None."""
    return db.scalars(select(ClassSession).where(ClassSession.class_id == training_class.id,
                                                 ClassSession.ends_at > now)
                      .order_by(ClassSession.starts_at, ClassSession.id).limit(1)).first()


def current_session(db: Session, training_class: TrainingClass, now: datetime) -> ClassSession | None:
    """The session in progress now (opened EARLY_ARRIVAL before its start): the one a roll call counts for."""
    candidate = current_or_next_session(db, training_class, now)
    if candidate is not None and candidate.starts_at - EARLY_ARRIVAL <= now:
        return candidate
    return None


def check_meeting_url(url: str) -> str:
    """An http or https address with a host (any meeting service), or "" for none."""
    url = clean_line(url)
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or len(url) > 2000 or " " in url:
        raise RuleViolation(_("The meeting link must be a web address starting with http:// or https://."))
    return url


def check_zoom_meeting_id(value: str, meeting_url: str = "") -> str | None:
    """Digits only (9 to 11, as Zoom gives them, spaces and dashes allowed); taken from a zoom.us/j/ link if empty."""
    digits = re.sub(r"[\s\-]", "", value or "")
    if not digits:
        found = re.search(r"zoom\.us/(?:j|w|wc(?:/join)?)/(\d{9,11})", meeting_url or "")
        return found.group(1) if found else None
    if not digits.isdigit() or not 9 <= len(digits) <= 11:
        raise RuleViolation(_("The Zoom meeting ID is 9 to 11 digits, for example 812 3456 7890."))
    return digits


def _check_trainer(db: Session, training_class: TrainingClass, trainer_id: int | None) -> int | None:
    if trainer_id is None:
        return None
    if not any(trainer.id == trainer_id for trainer in training_class.trainers):
        raise RuleViolation(_("The session's trainer must be one of the class's trainers."))
    return trainer_id


def _checked_times(data: SessionInput) -> tuple[datetime, datetime]:
    if data.end <= data.start:
        raise RuleViolation(_("The session must end after it starts (%(start)s–%(end)s).",
                              start=data.start.strftime("%H:%M"), end=data.end.strftime("%H:%M")))
    starts_at, ends_at = to_utc(data.day, data.start), to_utc(data.day, data.end)
    if ends_at - starts_at > timedelta(hours=MAX_SESSION_HOURS):
        raise RuleViolation(_("A session lasts at most %(hours)d hours.", hours=MAX_SESSION_HOURS))
    return starts_at, ends_at


def _apply(db: Session, training_class: TrainingClass, target: ClassSession, data: SessionInput) -> ClassSession:
    target.starts_at, target.ends_at = _checked_times(data)
    target.title = clean_line(data.title)[:200]
    target.meeting_url = check_meeting_url(data.meeting_url)
    target.zoom_meeting_id = check_zoom_meeting_id(data.zoom_meeting_id, target.meeting_url)
    target.trainer_id = _check_trainer(db, training_class, data.trainer_id)
    return target


def _snapshot(target: ClassSession) -> dict:
    return {"starts_at": target.starts_at.isoformat() if target.starts_at else None,
            "ends_at": target.ends_at.isoformat() if target.ends_at else None, "title": target.title,
            "meeting_url": target.meeting_url, "zoom_meeting_id": target.zoom_meeting_id,
            "trainer_id": target.trainer_id}


def _audit(db: Session, actor: User, action: str, target: ClassSession, training_class: TrainingClass, *,
           before: dict | None, after: dict | None, now: datetime) -> None:
    record(db, action, actor_id=actor.id, body_id=training_class.organising_body_id, target_type="class_session",
           target_id=target.id, target_label=training_class.name, before=before, after=after, now=now)


def create_session(db: Session, actor: User, training_class: TrainingClass, data: SessionInput, *,
                   now: datetime) -> ClassSession:
    """Add one session to the class (all fields checked first; nothing is added on a refusal)."""
    if not can_manage_sessions(actor, training_class):
        raise Forbidden()
    created = _apply(db, training_class, ClassSession(class_id=training_class.id), data)
    db.add(created)
    db.flush()
    _audit(db, actor, "class_session.create", created, training_class, before=None, after=_snapshot(created),
           now=now)
    return created


def update_session(db: Session, actor: User, class_session: ClassSession, data: SessionInput, *,
                   now: datetime) -> ClassSession:
    training_class = class_session.training_class
    if not can_manage_sessions(actor, training_class):
        raise Forbidden()
    before = _snapshot(class_session)
    checked = _apply(db, training_class, ClassSession(class_id=training_class.id), data)
    for field in ("starts_at", "ends_at", "title", "meeting_url", "zoom_meeting_id", "trainer_id"):
        setattr(class_session, field, getattr(checked, field))
    db.flush()
    _audit(db, actor, "class_session.update", class_session, training_class, before=before,
           after=_snapshot(class_session), now=now)
    return class_session


def delete_session(db: Session, actor: User, class_session: ClassSession, *, now: datetime) -> None:
    """Delete a session with its attendance records (the audit log keeps what it was)."""
    training_class = class_session.training_class
    if not can_manage_sessions(actor, training_class):
        raise Forbidden()
    _audit(db, actor, "class_session.delete", class_session, training_class, before=_snapshot(class_session),
           after=None, now=now)
    db.delete(class_session)
    db.flush()


def parse_time_ranges(text: str) -> list[tuple[time, time]]:
    """"7:30–11:30, 13:30–17:00" (also 7h30-11h30, one per line or separated by commas or semicolons)."""
    ranges = []
    for part in re.split(r"[,;\n]", text or ""):
        if not part.strip():
            continue
        match = _TIME_RANGE.match(part)
        if match is None:
            raise RuleViolation(_("Write each time range as 7:30–11:30; \"%(part)s\" is not one.",
                                  part=part.strip()[:40]))
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise RuleViolation(_("\"%(part)s\" is not a time of day.", part=part.strip()[:40]))
        ranges.append((time(h1, m1), time(h2, m2)))
    if not ranges:
        raise RuleViolation(_("Give at least one time range, for example 7:30–11:30, 13:30–17:00."))
    return sorted(ranges)


def series_inputs(*, first_day: date, last_day: date, time_ranges: list[tuple[time, time]],
                  template: SessionInput) -> list[SessionInput]:
    """One SessionInput per day and time range, after checking the days and that the ranges do not overlap."""
    if last_day < first_day:
        raise RuleViolation(_("The last day must not be before the first day."))
    if (last_day - first_day).days >= MAX_SERIES_DAYS:
        raise RuleViolation(_("A series spans at most %(days)d days.", days=MAX_SERIES_DAYS))
    for (_start, end), (next_start, _end) in zip(time_ranges, time_ranges[1:], strict=False):
        if next_start < end:
            raise RuleViolation(_("The time ranges overlap (%(a)s and %(b)s).", a=end.strftime("%H:%M"),
                                  b=next_start.strftime("%H:%M")))
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    if len(days) * len(time_ranges) > MAX_SERIES_SESSIONS:
        raise RuleViolation(_("A series makes at most %(count)d sessions.", count=MAX_SERIES_SESSIONS))
    return [SessionInput(day=day, start=start, end=end, title=template.title, meeting_url=template.meeting_url,
                         zoom_meeting_id=template.zoom_meeting_id, trainer_id=template.trainer_id)
            for day in days for start, end in time_ranges]


def create_series(db: Session, actor: User, training_class: TrainingClass, *, first_day: date, last_day: date,
                  time_ranges: list[tuple[time, time]], template: SessionInput, now: datetime) -> list[ClassSession]:
    """A session per day from first_day to last_day (inclusive) and per time range: all of them or none."""
    inputs = series_inputs(first_day=first_day, last_day=last_day, time_ranges=time_ranges, template=template)
    return [create_session(db, actor, training_class, data, now=now) for data in inputs]
