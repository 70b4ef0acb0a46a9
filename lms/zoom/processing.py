"""Turning Zoom meeting and participant events into attendance records of the matching class session.

A session matches an event when it belongs to a class of the hook's organising body, has the event's Zoom meeting
id, and its time (widened by MATCH_MARGIN) holds the event's time; of several, the nearest. A participant is
matched to an enrolled trainee by email (the enrolment's Zoom email, else the account's email) or by a registrant
id or participant already matched in the class; never by name. The rest stay unmatched for the trainer to assign.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.auth.models import User
from lms.classes.attendance.models import ParticipantEvent
from lms.classes.models import Enrolment, TrainingClass
from lms.classes.sessions.models import ClassSession
from lms.text import clean_line

MATCH_MARGIN = timedelta(hours=1)
PARTICIPANT_KINDS = {"meeting.participant_joined": "join", "meeting.participant_left": "leave"}
MEETING_KINDS = {"meeting.started", "meeting.ended"}
HANDLED = set(PARTICIPANT_KINDS) | MEETING_KINDS


class EventUnusable(Exception):
    """The event lacks what processing needs (the message says what); the raw event is kept as failed."""


class NoSession(Exception):
    """No session of the body matches the meeting at that time: the event is kept as ignored."""


def parse_time(value: Any, what: str) -> datetime:
    if not isinstance(value, str) or not value:
        raise EventUnusable(f"{what} is missing")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise EventUnusable(f"{what} is not an ISO time: {value[:40]!r}") from error
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _text(mapping: dict, key: str, limit: int) -> str:
    value = mapping.get(key)
    return str(value).strip()[:limit] if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _meeting_object(data: Any) -> dict:
    payload = data.get("payload") if isinstance(data, dict) else None
    meeting = payload.get("object") if isinstance(payload, dict) else None
    if not isinstance(meeting, dict):
        raise EventUnusable("payload.object is missing")
    return meeting


def find_session(db: Session, body_id: int, meeting_id: str, moment: datetime) -> ClassSession:
    """The body's session with this Zoom meeting id nearest in time to the moment (within MATCH_MARGIN)."""
    candidates = db.scalars(select(ClassSession).join(TrainingClass, TrainingClass.id == ClassSession.class_id).where(
        TrainingClass.organising_body_id == body_id, ClassSession.zoom_meeting_id == meeting_id,
        ClassSession.starts_at <= moment + MATCH_MARGIN, ClassSession.ends_at >= moment - MATCH_MARGIN)).all()
    if not candidates:
        raise NoSession(f"no session has Zoom meeting {meeting_id} around {moment.isoformat()}")

    def distance(candidate: ClassSession) -> float:
        if candidate.starts_at <= moment <= candidate.ends_at:
            return 0.0
        return min(abs((moment - candidate.starts_at).total_seconds()), abs((moment - candidate.ends_at).total_seconds()))

    return min(candidates, key=lambda c: (distance(c), c.id))


def process(db: Session, body_id: int, event_type: str, data: Any) -> str:
    """Apply one event; returns what was done. Raises EventUnusable or NoSession."""
    meeting = _meeting_object(data)
    meeting_id = "".join(ch for ch in _text(meeting, "id", 20) if ch.isdigit())
    if not meeting_id:
        raise EventUnusable("payload.object.id (the meeting id) is missing")
    if event_type in MEETING_KINDS:
        return _meeting_event(db, body_id, event_type, meeting_id, meeting)
    return _participant_event(db, body_id, PARTICIPANT_KINDS[event_type], meeting_id, meeting)


def _meeting_event(db: Session, body_id: int, event_type: str, meeting_id: str, meeting: dict) -> str:
    if event_type == "meeting.started":
        moment = parse_time(meeting.get("start_time"), "payload.object.start_time")
        target = find_session(db, body_id, meeting_id, moment)
        if target.zoom_started_at is None or moment > target.zoom_started_at:
            target.zoom_started_at = moment
            if target.zoom_ended_at is not None and target.zoom_ended_at < moment:
                target.zoom_ended_at = None  # restarted after an end: presence runs on
        return f"session {target.id}: meeting started"
    moment = parse_time(meeting.get("end_time"), "payload.object.end_time")
    target = find_session(db, body_id, meeting_id, moment)
    if target.zoom_started_at is None or moment >= target.zoom_started_at:
        target.zoom_ended_at = max(target.zoom_ended_at or moment, moment)
    return f"session {target.id}: meeting ended"


def participant_key(participant: dict) -> str:
    """Zoom's stable participant id in the meeting, else its per-join id, else the email or registrant id."""
    for key in ("participant_uuid", "user_id", "id", "email", "registrant_id"):
        value = _text(participant, key, 128)  # the key column holds 160 characters
        if value:
            return f"{key}:{value}"
    raise EventUnusable("the participant has no id, email or registrant id")


def _participant_event(db: Session, body_id: int, kind: str, meeting_id: str, meeting: dict) -> str:
    participant = meeting.get("participant")
    if not isinstance(participant, dict):
        raise EventUnusable("payload.object.participant is missing")
    time_field = "join_time" if kind == "join" else "leave_time"
    moment = parse_time(participant.get(time_field), f"participant.{time_field}")
    target = find_session(db, body_id, meeting_id, moment)
    key = participant_key(participant)
    email, registrant = _text(participant, "email", 254).lower(), _text(participant, "registrant_id", 64)
    if email and any((trainer.email or "").lower() == email for trainer in target.training_class.trainers):
        return f"session {target.id}: the class's trainer is not a trainee"  # kept out of the unmatched list
    user_id = match_trainee(db, target, key=key, email=email, registrant_id=registrant)
    row = {"class_session_id": target.id, "user_id": user_id, "participant_key": key, "participant_email": email,
           "registrant_id": registrant, "participant_name": clean_line(_text(participant, "user_name", 200))}
    added = _add_once(db, row, kind, moment)
    if kind == "leave" and isinstance(participant.get("join_time"), str):
        # A leave that carries its join time stands for both: a lost join delivery, or a join that fell in the
        # session before (presence over a break), still gives this session its minutes.
        joined = parse_time(participant["join_time"], "participant.join_time")
        if joined < moment:
            _add_once(db, row, "join", joined)
    if not added:
        return f"session {target.id}: repeated {kind} ignored"
    return f"session {target.id}: {kind} of {'trainee ' + str(user_id) if user_id else 'an unmatched participant'}"


def _add_once(db: Session, row: dict, kind: str, moment: datetime) -> bool:
    """Add one join or leave unless the same one is stored; False for a repeat."""
    exists = db.scalar(select(ParticipantEvent.id).where(
        ParticipantEvent.class_session_id == row["class_session_id"],
        ParticipantEvent.participant_key == row["participant_key"], ParticipantEvent.kind == kind,
        ParticipantEvent.at == moment))
    if exists is not None:
        return False
    try:
        with db.begin_nested():
            db.add(ParticipantEvent(**row, kind=kind, at=moment))
    except IntegrityError:  # the same delivery processed at the same moment by another worker
        return False
    return True


def match_trainee(db: Session, class_session: ClassSession, *, key: str, email: str, registrant_id: str) -> int | None:
    """The enrolled trainee this participant is: by Zoom email, account email, a registrant id or participant
    already matched in the class (assigned by the trainer or matched by email before); None when unknown."""
    class_id = class_session.class_id
    if email:
        by_zoom_email = db.scalar(select(Enrolment.user_id).where(
            Enrolment.class_id == class_id, func.lower(Enrolment.zoom_email) == email))
        if by_zoom_email is not None:
            return by_zoom_email
        by_account = db.scalar(select(User.id).join(Enrolment, Enrolment.user_id == User.id).where(
            Enrolment.class_id == class_id, func.lower(User.email) == email).limit(1))
        if by_account is not None:
            return by_account
    known = select(ParticipantEvent.user_id).join(ClassSession, ClassSession.id == ParticipantEvent.class_session_id)
    known = known.where(ClassSession.class_id == class_id, ParticipantEvent.user_id.is_not(None))
    if registrant_id:
        found = db.scalar(known.where(ParticipantEvent.registrant_id == registrant_id).limit(1))
        if found is not None:
            return found
    return db.scalar(known.where(ParticipantEvent.class_session_id == class_session.id,
                                 ParticipantEvent.participant_key == key).limit(1))
