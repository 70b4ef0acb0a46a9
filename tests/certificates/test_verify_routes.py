"""Role matrix of the public verification routes: everyone, logged in or not, of any body, gets the same minimum."""

from __future__ import annotations

import pytest

from lms.auth.models import Role
from tests.certificates.conftest import issue
from tests.conftest import fetch_csrf, login
from tests.factories import make_body, make_user

ROLES = ["anonymous", "admin", "organiser", "trainer", "trainee", "other_organiser", "other_trainer", "other_trainee"]
ROUTES = [("GET", "/verify/{code}"), ("GET", "/verify/{code}.json"), ("GET", "/verify"), ("POST", "/verify"),
          ("GET", "/.well-known/lms-certificate-keys.json")]


@pytest.fixture
def people(db_session, finished):
    other = make_body(db_session)
    users = {"admin": make_user(db_session, Role.ADMIN), "organiser": finished.organiser, "trainer": finished.trainer,
             "trainee": finished.passed,
             "other_organiser": make_user(db_session, Role.ORGANISER, body=other),
             "other_trainer": make_user(db_session, Role.TRAINER, body=other),
             "other_trainee": make_user(db_session, Role.TRAINEE, body=other)}
    certificate = issue(db_session, finished)
    db_session.commit()
    return {name: user.username for name, user in users.items()}, certificate


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template"), ROUTES, ids=[f"{m} {t}" for m, t in ROUTES])
def test_every_role_sees_the_same_public_minimum(client, people, role, method, template):
    usernames, certificate = people
    if role != "anonymous":
        login(client, usernames[role])
    path = template.format(code=certificate.verification_code)
    if method == "POST":
        response = client.post(path, data={"csrf_token": fetch_csrf(client), "number": certificate.number,
                                           "holder_name": certificate.holder_name})
    else:
        response = client.get(path)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "17/04/1985" not in text and "1985-04-17" not in text  # the year of birth only
    assert "phone" not in text.lower() and "@" not in text.replace("&#64;", "")
    if "keys.json" in path:
        assert all(set(key) >= {"kty", "crv", "x", "kid"} and "d" not in key for key in response.json["keys"])
