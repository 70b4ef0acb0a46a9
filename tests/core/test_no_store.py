"""Pages with personal data are never kept by a browser or proxy (Cache-Control: no-store); public files may be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.auth.models import Role
from lms.db import utcnow
from lms.quizzes.models import Quiz, QuizOpening
from lms.quizzes.taking.attempts import ClientInfo, start_attempt, submit_attempt
from tests.conftest import login
from tests.factories import load_fixture_content, make_body, make_class, make_user


@dataclass
class Scene:
    ids: dict


@pytest.fixture
def scene(app, db_session):
    body = make_body(db_session)
    course = load_fixture_content(db_session)
    trainee = make_user(db_session, Role.TRAINEE, body=body, username="hv.rieng.tu", full_name="Trần Thị Mai")
    finished = make_user(db_session, Role.TRAINEE, body=body, username="hv.da.nop", full_name="Phạm Văn Nam")
    trainer = make_user(db_session, Role.TRAINER, body=body, username="gv.rieng.tu")
    make_user(db_session, Role.ORGANISER, body=body, username="btc.rieng.tu")
    training_class = make_class(db_session, body=body, course=course, trainers=[trainer], trainees=[trainee, finished])
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    now = utcnow()
    db_session.add(QuizOpening(quiz_id=quiz.id, class_id=training_class.id, opens_at=now - timedelta(minutes=5),
                               closes_at=now + timedelta(hours=2)))
    db_session.flush()
    client_info = ClientInfo(address="10.0.0.9", user_agent="pytest")
    with app.test_request_context():
        open_attempt = start_attempt(db_session, trainee, quiz, now=now, client=client_info, grace_seconds=10)
        done = start_attempt(db_session, finished, quiz, now=now, client=client_info, grace_seconds=10)
        submit_attempt(db_session, done, now=now, client=client_info, grace_seconds=10)
    db_session.commit()
    return Scene(ids={"class": training_class.id, "quiz": quiz.id, "open": open_attempt.id, "done": done.id,
                      "trainee": trainee.id})


PERSONAL = [
    ("btc.rieng.tu", "/people"),
    ("btc.rieng.tu", "/classes/{class}"),
    ("btc.rieng.tu", "/quizzes/{quiz}/attempts"),
    ("btc.rieng.tu", "/quizzes/{quiz}/export.csv"),
    ("btc.rieng.tu", "/quizzes/{quiz}/export.xlsx"),
    ("btc.rieng.tu", "/quizzes/{quiz}/statistics"),
    ("gv.rieng.tu", "/attempts/{done}/review"),
    ("gv.rieng.tu", "/classes/{class}/tests"),
    ("hv.rieng.tu", "/account"),
    ("hv.rieng.tu", "/tests"),
    ("hv.rieng.tu", "/attempts/{open}"),
    ("hv.rieng.tu", "/api/v1/attempts/{open}"),
    ("hv.da.nop", "/attempts/{done}/result"),
    ("hv.da.nop", "/api/v1/attempts/{done}/result"),
    ("hv.rieng.tu", "/"),
]


@pytest.mark.parametrize(("username", "template"), PERSONAL, ids=[f"{u} {t}" for u, t in PERSONAL])
def test_pages_with_personal_data_are_not_stored(client, scene, username, template):
    login(client, username)
    response = client.get(template.format(**scene.ids))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_the_refusal_of_someone_elses_attempt_is_not_stored_either(client, scene):
    login(client, "hv.da.nop")
    response = client.get(f"/attempts/{scene.ids['open']}")
    assert response.status_code in (403, 404)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_login_page_and_api_refusals_are_not_stored(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/tests").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/static/css/app.css", "/healthz", "/courses/khoa-mau/assets/01-hoc-phan-mot/images/pdca.svg"])
def test_public_files_may_be_cached_even_when_logged_in(client, scene, path):
    login(client, "hv.rieng.tu")
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_public_catalogue_may_be_cached(client, db_session):
    load_fixture_content(db_session)
    db_session.commit()
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
