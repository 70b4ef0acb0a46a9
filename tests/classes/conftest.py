"""A class with sessions, Zoom data and people of two organising bodies, for the live-class role matrices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest

from lms.auth.models import Role
from lms.classes.attendance.models import ParticipantEvent
from lms.classes.sessions.services import VIETNAM, SessionInput, create_session
from lms.db import utcnow
from tests.conftest import fetch_csrf, login
from tests.factories import load_fixture_content, make_body, make_class, make_user

LIVE_ROLES = ["anonymous", "admin", "organiser", "other_organiser", "trainer", "other_trainer", "far_trainer",
              "trainee", "other_trainee", "far_trainee"]
MANAGERS = {"admin", "organiser", "trainer"}
TRAINEES = {"trainee", "other_trainee", "far_trainee"}
CREATED = datetime(2026, 10, 1, tzinfo=UTC)
# The world's session is tomorrow in Vietnam, so pages (which read the real clock) show it as the next one.
TOMORROW = (utcnow().astimezone(VIETNAM) + timedelta(days=1)).date()


@dataclass
class LiveWorld:
    ids: dict
    usernames: dict


@pytest.fixture
def live_world(db_session, app):
    body, other_body = make_body(db_session, "Sở KH&CN Thừa Thiên"), make_body(db_session, "Sở KH&CN Cà Mau")
    course = load_fixture_content(db_session)
    users = {
        "admin": make_user(db_session, Role.ADMIN, username="qt.live"),
        "organiser": make_user(db_session, Role.ORGANISER, body=body, username="btc.live"),
        "other_organiser": make_user(db_session, Role.ORGANISER, body=other_body, username="btc.xa"),
        "trainer": make_user(db_session, Role.TRAINER, body=body, username="gv.live"),
        "other_trainer": make_user(db_session, Role.TRAINER, body=body, username="gv.khac.live"),
        "far_trainer": make_user(db_session, Role.TRAINER, body=other_body, username="gv.xa"),
        "trainee": make_user(db_session, Role.TRAINEE, body=body, username="hv.live", email="huong@example.vn"),
        "other_trainee": make_user(db_session, Role.TRAINEE, body=body, username="hv.khac.live"),
        "far_trainee": make_user(db_session, Role.TRAINEE, body=other_body, username="hv.xa"),
    }
    training_class = make_class(db_session, body=body, course=course, trainers=[users["trainer"]],
                                trainees=[users["trainee"]])
    with app.test_request_context():
        class_session = create_session(db_session, users["trainer"], training_class, SessionInput(
            day=TOMORROW, start=time(7, 30), end=time(11, 30),
            meeting_url="https://zoom.us/j/81234567890"), now=CREATED)
    db_session.add(ParticipantEvent(class_session_id=class_session.id, user_id=None, participant_key="uuid-khach",
                                    participant_name="Khách", kind="join", at=class_session.starts_at))
    db_session.commit()
    return LiveWorld(ids={"class": training_class.id, "session": class_session.id, "trainee": users["trainee"].id,
                          "body": body.id},
                     usernames={role: user.username for role, user in users.items()})


def check_access(client, world: LiveWorld, role: str, method: str, path: str, allowed: set[str],
                 data: dict | None = None, not_found: set[str] = frozenset()) -> None:
    """Allowed roles get 200/302 (not to the login page); roles in not_found get 404; anonymous goes to log in;
    the rest get 403."""
    if role != "anonymous":
        login(client, world.usernames[role])
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": fetch_csrf(client), **(data or {})})
    if role in allowed:
        assert response.status_code in (200, 302), (role, response.status_code, response.get_data(as_text=True)[:300])
        if response.status_code == 302:
            assert "/login" not in response.headers["Location"]
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in not_found:
        assert response.status_code == 404, (role, response.status_code)
    else:
        assert response.status_code == 403, (role, response.status_code)
