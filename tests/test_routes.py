"""Every route, for every role that may use it and every role that may not."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lms.auth.models import Role
from tests.conftest import fetch_csrf, login
from tests.factories import load_fixture_content, make_body, make_class, make_user

LESSON = "/courses/khoa-mau/hoc-phan-mot/bai-mo-dau"


@dataclass
class World:
    ids: dict


@pytest.fixture
def world(db_session):
    body, other_body = make_body(db_session), make_body(db_session)
    course = load_fixture_content(db_session)
    users = {
        "admin": make_user(db_session, Role.ADMIN, username="quantri"),
        "organiser": make_user(db_session, Role.ORGANISER, body=body, username="btc1"),
        "other_organiser": make_user(db_session, Role.ORGANISER, body=other_body, username="btc2"),
        "trainer": make_user(db_session, Role.TRAINER, body=body, username="gv1"),
        "other_trainer": make_user(db_session, Role.TRAINER, body=body, username="gv2x"),
        "trainee": make_user(db_session, Role.TRAINEE, body=body, username="hv1"),
        "other_trainee": make_user(db_session, Role.TRAINEE, body=body, username="hv2x"),
        # a second organising body's trainer and trainee (its organiser is other_organiser)
        "far_trainer": make_user(db_session, Role.TRAINER, body=other_body, username="gv3y"),
        "far_trainee": make_user(db_session, Role.TRAINEE, body=other_body, username="hv3y"),
    }
    training_class = make_class(db_session, body=body, course=course, trainers=[users["trainer"]],
                                trainees=[users["trainee"]])
    db_session.commit()
    return World(ids={"class": training_class.id, "trainee": users["trainee"].id,
                      "other_trainee": users["other_trainee"].id, **{f"user_{k}": v.username for k, v in users.items()}})


ROLES = ["anonymous", "admin", "organiser", "other_organiser", "trainer", "other_trainer", "far_trainer", "trainee",
         "other_trainee", "far_trainee"]
STAFF = {"admin", "organiser", "other_organiser", "trainer", "other_trainer", "far_trainer"}
LOGGED_IN = set(ROLES) - {"anonymous"}

# (method, path template, roles allowed); everyone else gets 403, or the login page when anonymous.
ROUTES = [
    ("GET", "/", set(ROLES)),
    ("GET", "/healthz", set(ROLES)),
    ("GET", "/room/socket.io.min.js", set(ROLES)),  # the live room's browser client (a public library)
    ("GET", "/courses/khoa-mau", set(ROLES)),
    ("GET", "/courses/khoa-mau/assets/01-hoc-phan-mot/images/pdca.svg", set(ROLES)),
    ("GET", "/account", LOGGED_IN),
    ("GET", "/account/password", LOGGED_IN),
    ("GET", "/courses/khoa-mau/continue", STAFF | {"trainee"}),
    ("GET", LESSON, STAFF | {"trainee"}),
    ("POST", LESSON + "/done", STAFF | {"trainee"}),
    ("GET", "/admin/bodies", {"admin"}),
    ("GET", "/admin/units", {"admin"}),
    ("GET", "/people", {"admin", "organiser", "other_organiser"}),
    ("GET", "/people/new", {"admin", "organiser", "other_organiser"}),
    ("POST", "/people/{trainee}/reset-password", {"admin", "organiser"}),
    ("GET", "/people/{trainee}/edit", {"admin", "organiser"}),
    ("GET", "/classes", STAFF),
    ("GET", "/classes/{class}", {"admin", "organiser", "trainer"}),
    ("POST", "/classes/{class}/enrol", {"admin", "organiser"}),
    ("POST", "/classes/{class}/unenrol/{trainee}", {"admin", "organiser"}),
]
NOT_FOUND_FOR_OUTSIDERS = {"/people/{trainee}/reset-password", "/people/{trainee}/edit", "/classes/{class}", "/classes/{class}/enrol",
                           "/classes/{class}/unenrol/{trainee}"}


def _request(client, method: str, path: str, extra: dict | None = None):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": fetch_csrf(client), **(extra or {})})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "allowed"), ROUTES, ids=[f"{m} {t}" for m, t, _ in ROUTES])
def test_route_access(client, world, role, method, template, allowed):
    if role != "anonymous":
        login(client, world.ids[f"user_{role}"])
    path = template.format(**world.ids)
    extra = {"user_ids": str(world.ids["other_trainee"])} if path.endswith("/enrol") else None
    response = _request(client, method, path, extra)
    if role in allowed:
        assert response.status_code in (200, 302), response.get_data(as_text=True)[:300]
        if response.status_code == 302:
            assert "/login" not in response.headers["Location"]
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        # Outsiders do not learn that another body's record exists.
        expected = (403, 404) if template in NOT_FOUND_FOR_OUTSIDERS else (403,)
        assert response.status_code in expected


API_ROUTES = [
    ("GET", "/api/v1/tests"),
    ("POST", "/api/v1/tests/1/attempts"),
    ("GET", "/api/v1/attempts/1"),
    ("POST", "/api/v1/attempts/1/answers"),
    ("POST", "/api/v1/attempts/1/events"),
    ("POST", "/api/v1/attempts/1/contact"),
    ("POST", "/api/v1/attempts/1/submit"),
    ("GET", "/api/v1/attempts/1/result"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), API_ROUTES, ids=[f"{m} {p}" for m, p in API_ROUTES])
def test_api_route_access(client, world, role, method, path):
    """The attempt API is for trainees only: 401 JSON without a session, 403 for staff."""
    if role != "anonymous":
        login(client, world.ids[f"user_{role}"])
    headers = {"X-CSRF-Token": fetch_csrf(client)}
    response = client.open(path, method=method, json={} if method == "POST" else None, headers=headers)
    if role == "anonymous":
        assert response.status_code == 401 and response.is_json
    elif role in ("trainee", "other_trainee", "far_trainee"):
        assert response.status_code not in (401, 403)
    else:
        assert response.status_code == 403 and response.is_json


def test_openapi_document_is_public(client):
    assert client.get("/api/openapi.json").status_code == 200


def test_every_route_is_covered(app):
    """A new route must be added to ROUTES (login, logout and the language switch have their own tests)."""
    adapter = app.url_map.bind("localhost")
    world_ids = {"class": 1, "trainee": 1}
    covered = {adapter.match(t.format(**world_ids), method=m)[0] for m, t, _ in ROUTES}
    covered |= {adapter.match(path, method=m)[0] for m, path in API_ROUTES} | {"openapi_json"}
    # These blueprints have their own role matrices: tests/quizzes/taking/test_views.py, results/test_views.py,
    # authoring/test_views.py.
    covered |= {e for e in endpoints_of(app) if e.split(".")[0] in {"quizzes", "quizzes_staff", "quizzes_banks"}}
    # Certificate staff pages and the register: tests/certificates/staff/test_views.py.
    covered |= {e for e in endpoints_of(app) if e.split(".")[0] in {"certificates_staff", "certificates_register"}}
    covered |= {"auth.login", "auth.logout", "i18n.switch_language", "static"}
    # The public certificate verification routes: tests/certificates/test_verify_routes.py.
    covered |= {e for e in endpoints_of(app) if e.split(".")[0] == "certificates_verify"}
    # Certificate downloads and settings: tests/certificates/test_downloads.py, test_settings.py.
    covered |= {e for e in endpoints_of(app) if e.split(".")[0] in {"certificate_downloads", "certificate_settings"}}
    covered |= {e for e in endpoints_of(app) if e.split(".")[0] in {"audit"}}  # tests/audit/test_views.py
    # tests/classes/management/test_views.py
    covered |= {e for e in endpoints_of(app) if e.split(".")[0] in {"class_management"}}
    covered |= {e for e in endpoints_of(app) if e.split(".")[0] in {"reports"}}  # tests/reports/test_views.py
    # Live classes (issue 11): tests/classes/sessions/test_views.py, attendance/test_views.py, zoom/test_views.py.
    covered |= {e for e in endpoints_of(app) if e.split(".")[0] in {"class_sessions", "attendance", "zoom"}}
    covered |= {e for e in endpoints_of(app) if e.split(".")[0] in {"roster", "joining", "enrolment"}}  # classes/roster/test_access.py
    assert endpoints_of(app) - covered == set()


def endpoints_of(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()}
