"""Two classes of one body (and a second body), their trainers and trainees, and logged-in Socket.IO clients."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from lms.auth.models import Role, User
from lms.classes.models import TrainingClass
from lms.extensions import socketio
from lms.quizzes.models import Quiz
from tests.conftest import login
from tests.factories import load_fixture_content, make_body, make_class, make_user


@dataclass
class Rooms:
    quiz: Quiz
    first: TrainingClass
    second: TrainingClass
    users: dict[str, User]


@pytest.fixture
def rooms(db_session, app) -> Rooms:
    body, far_body = make_body(db_session), make_body(db_session)
    course = load_fixture_content(db_session)
    users = {
        "admin": make_user(db_session, Role.ADMIN, username="qt.phong"),
        "organiser": make_user(db_session, Role.ORGANISER, body=body, username="btc.phong"),
        "far_organiser": make_user(db_session, Role.ORGANISER, body=far_body, username="btc.xa"),
        "trainer": make_user(db_session, Role.TRAINER, body=body, username="gv.phong"),
        "other_trainer": make_user(db_session, Role.TRAINER, body=body, username="gv.khac"),
        "far_trainer": make_user(db_session, Role.TRAINER, body=far_body, username="gv.xa"),
        "trainee": make_user(db_session, Role.TRAINEE, body=body, username="hv.an", full_name="Nguyễn Văn An"),
        "classmate": make_user(db_session, Role.TRAINEE, body=body, username="hv.binh", full_name="Lê Thị Bình"),
        "other_trainee": make_user(db_session, Role.TRAINEE, body=body, username="hv.cuong", full_name="Trần Cường"),
        "far_trainee": make_user(db_session, Role.TRAINEE, body=far_body, username="hv.xa"),
    }
    first = make_class(db_session, body=body, course=course, trainers=[users["trainer"]],
                       trainees=[users["trainee"], users["classmate"]])
    second = make_class(db_session, body=body, course=course, trainers=[users["other_trainer"]],
                        trainees=[users["other_trainee"]])
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    db_session.commit()
    app.extensions["room_presence"].clear()
    yield Rooms(quiz, first, second, users)
    app.extensions["room_presence"].clear()


@pytest.fixture
def connect(app, client, rooms):
    """connect("trainee") -> a Socket.IO test client logged in as that user (disconnected after the test)."""
    made = []

    def _connect(name: str | None):
        http = app.test_client()
        if name is not None:
            login(http, rooms.users[name].username)
        sock = socketio.test_client(app, flask_test_client=http)
        made.append(sock)
        return sock

    yield _connect
    for sock in made:
        if sock.is_connected():
            sock.disconnect()


def events_named(sock, name: str) -> list[dict]:
    return [e["args"][0] for e in sock.get_received() if e["name"] == name]


def live_rows(sock) -> list[dict]:
    """The trainer's rows received (pushed in "live_rows" batches), in order."""
    return [row for batch in events_named(sock, "live_rows") for row in batch["rows"]]


def join(sock, training_class: TrainingClass) -> dict:
    return sock.emit("join", {"class_id": training_class.id}, callback=True)
