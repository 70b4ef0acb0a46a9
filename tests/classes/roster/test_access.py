"""Role matrix of every roster route: organisers of the class's body and administrators only; another body's
organiser gets 404, trainers and trainees 403, anonymous visitors the login page."""

from __future__ import annotations

import io

import pytest

from lms.auth.models import Role
from lms.classes.roster import membership
from lms.db import utcnow
from tests.classes.roster.helpers import person, roster_world, xlsx
from tests.conftest import fetch_csrf, login
from tests.factories import make_user

ROLES = ["anonymous", "admin", "organiser", "other_organiser", "trainer", "far_trainer", "trainee", "far_trainee"]
MANAGERS = {"admin", "organiser"}
USERNAMES = {"admin": "quantri", "organiser": "btc1", "other_organiser": "btc2", "trainer": "gv1",
             "far_trainer": "gv9", "trainee": "thult", "far_trainee": "tuanpm"}

# (method, path template, roles allowed); {token} is the organiser's own upload.
ROUTES = [
    ("GET", "/classes/{class}/roster/import", MANAGERS),
    ("POST", "/classes/{class}/roster/import", MANAGERS),
    ("GET", "/classes/{class}/roster/template.xlsx", MANAGERS),
    ("GET", "/classes/{class}/roster/template.csv", MANAGERS),
    ("GET", "/classes/{class}/roster/import/{token}", {"organiser"}),
    ("POST", "/classes/{class}/roster/import/{token}", {"organiser"}),
    ("GET", "/classes/{class}/roster/slips", MANAGERS),
    ("POST", "/classes/{class}/roster/slips", MANAGERS),
    ("GET", "/classes/{class}/roster/requests", MANAGERS),
    ("POST", "/classes/{class}/roster/requests", MANAGERS),
    ("POST", "/classes/{class}/roster/join-code", MANAGERS),
    ("GET", "/classes/{class}/roster/add", MANAGERS),
    ("POST", "/classes/{class}/roster/add", MANAGERS),
    ("POST", "/classes/{class}/roster/{trainee}/withdraw", MANAGERS),
    ("GET", "/classes/{class}/roster/{trainee}/move", MANAGERS),
    ("POST", "/classes/{class}/roster/{trainee}/move", MANAGERS),
    ("GET", "/people/merge", MANAGERS | {"other_organiser"}),
    ("POST", "/people/merge", MANAGERS | {"other_organiser"}),
    ("GET", "/join", set(ROLES)),
    ("POST", "/join", set(ROLES)),
]


@pytest.fixture
def world(app, db_session):
    with app.test_request_context():
        built = roster_world(db_session)
        make_user(db_session, Role.TRAINER, body=built["other"], username="gv9")
    db_session.commit()
    client = app.test_client()
    login(client, "btc1")
    response = client.post(f"/classes/{built['class'].id}/roster/import", content_type="multipart/form-data",
                           data={"csrf_token": fetch_csrf(client), "file": (io.BytesIO(xlsx([person()])), "a.xlsx")})
    with app.test_request_context():
        membership.enrol_many(db_session, built["class"], [built["trainee"].id], actor_id=None, now=utcnow())
    db_session.commit()
    return {"class": built["class"].id, "token": response.headers["Location"].rsplit("/", 1)[1],
            "trainee": built["trainee"].id}


@pytest.mark.parametrize("method, template, allowed", ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(app, db_session, world, role, method, template, allowed):
    client = app.test_client()
    if role != "anonymous":
        login(client, USERNAMES[role])
    path = template.format(**world)
    response = client.get(path) if method == "GET" else client.post(path, data={"csrf_token": fetch_csrf(client)})
    if role in allowed:
        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code == 302:
            assert "/login" not in response.headers["Location"]
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in MANAGERS or role == "other_organiser":
        assert response.status_code == 404  # another body's class, or another person's upload
    else:
        assert response.status_code == 403
