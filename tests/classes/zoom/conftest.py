"""A body with its Zoom hook and token, a class with two sessions on one recurring Zoom meeting, signed deliveries."""

from __future__ import annotations

import json
import time as clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from lms.auth.models import Role
from lms.classes.models import Enrolment
from lms.classes.sessions.services import SessionInput, create_session
from lms.zoom.services import set_token
from lms.zoom.signature import sign
from tests.factories import load_fixture_content, make_body, make_class, make_user

TOKEN = "zoom-secret-token-1234"
MEETING = "81234567890"
MORNING = datetime(2026, 11, 1, 0, 30, tzinfo=UTC)  # 7:30 in Vietnam, until 11:30
AFTERNOON = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 13:30, until 17:30


@dataclass
class ZoomWorld:
    hook_id: str
    body: object
    training_class: object
    morning: object
    afternoon: object
    trainee: object
    second: object
    trainer: object
    organiser: object


@pytest.fixture
def zoom_world(app, db_session):
    course = load_fixture_content(db_session)
    body = make_body(db_session)
    body.short_name = "SKHCN-TTH"
    trainer = make_user(db_session, Role.TRAINER, body=body, username="gv.zoom")
    organiser = make_user(db_session, Role.ORGANISER, body=body, username="btc.zoom")
    trainee = make_user(db_session, body=body, username="hv.zoom", email="huong@example.vn")
    second = make_user(db_session, body=body, username="hv2.zoom", full_name="Lê Văn An")
    training_class = make_class(db_session, body=body, course=course, trainers=[trainer], trainees=[trainee, second])
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.user_id == second.id))
    enrolment.zoom_email = "An.Le@Gmail.com"
    with app.test_request_context():
        sessions = [create_session(db_session, trainer, training_class, SessionInput(
            day=date(2026, 11, 1), start=start, end=end, zoom_meeting_id=MEETING), now=MORNING - timedelta(days=9))
            for start, end in ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 30)))]
        hook = set_token(db_session, None, body, TOKEN, secret_key=app.secret_key, now=MORNING)
    db_session.commit()
    return ZoomWorld(hook.hook_id, body, training_class, sessions[0], sessions[1], trainee, second, trainer, organiser)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def participant_event(kind: str, moment: datetime, *, email: str = "", uuid: str = "p-1", name: str = "Hương",
                      registrant_id: str = "", meeting: str = MEETING) -> dict:
    participant = {"user_id": "16778240", "user_name": name, "participant_uuid": uuid, "email": email,
                   ("join_time" if kind == "joined" else "leave_time"): iso(moment)}
    if registrant_id:
        participant["registrant_id"] = registrant_id
    return {"event": f"meeting.participant_{kind}", "event_ts": int(moment.timestamp() * 1000),
            "payload": {"account_id": "acc", "object": {"id": meeting, "uuid": "m-uuid", "participant": participant}}}


def meeting_event(kind: str, moment: datetime, meeting: str = MEETING) -> dict:
    field = "start_time" if kind == "started" else "end_time"
    return {"event": f"meeting.{kind}", "event_ts": int(moment.timestamp() * 1000),
            "payload": {"object": {"id": meeting, "uuid": "m-uuid", field: iso(moment)}}}


def deliver(client, hook_id: str, body, *, secret: str = TOKEN, timestamp: str | None = None,
            signature: str | None = None, headers: dict | None = None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = timestamp if timestamp is not None else str(int(clock.time()))
    all_headers = {"x-zm-request-timestamp": timestamp,
                   "x-zm-signature": signature if signature is not None else sign(secret, timestamp, raw)}
    all_headers.update(headers or {})
    return client.post(f"/hooks/zoom/{hook_id}", data=raw, headers=all_headers, content_type="application/json")
