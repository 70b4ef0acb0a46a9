"""Ids beyond what the database holds, in any `<int:...>` route of any blueprint: 404, never a 500."""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from lms.auth.models import Role
from lms.converters import MAX_ID, BoundedIntConverter
from tests.conftest import fetch_csrf, login
from tests.factories import make_user

HUGE_IDS = [str(2**31), str(2**63 - 1), str(2**63), str(2**64), "9" * 40, "1" * 5000, "0" * 30 + "7" * 30]
STAFF_PAGES = ["/classes/{id}", "/banks/{id}", "/banks/{id}/questions/{id}/edit", "/banks/{id}/export.gift",
               "/quizzes/{id}/attempts", "/quizzes/{id}/statistics", "/attempts/{id}/review",
               "/classes/{id}/tests", "/quizzes/{id}/export.csv"]
STAFF_POSTS = ["/people/{id}/reset-password", "/openings/{id}/close", "/classes/{id}/unenrol/{id}"]
TRAINEE_PAGES = ["/attempts/{id}", "/attempts/{id}/result", "/api/v1/attempts/{id}", "/api/v1/attempts/{id}/result"]
TRAINEE_POSTS = ["/tests/{id}/start", "/api/v1/tests/{id}/attempts", "/api/v1/attempts/{id}/submit",
                 "/api/v1/attempts/{id}/events", "/api/v1/attempts/{id}/answers"]


@pytest.fixture
def admin(client, db_session):
    make_user(db_session, Role.ADMIN, username="quan.tri")
    login(client, "quan.tri")
    return client


@pytest.fixture
def trainee(client, db_session):
    make_user(db_session, Role.TRAINEE, username="hoc.vien")
    login(client, "hoc.vien")
    return client


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_huge_ids_on_staff_pages_are_404(admin, huge):
    for page in STAFF_PAGES:
        response = admin.get(page.format(id=huge))
        assert response.status_code == 404, (page, response.status_code)
        assert "text/html" in response.content_type
    token = fetch_csrf(admin)
    for page in STAFF_POSTS:
        response = admin.post(page.format(id=huge), data={"csrf_token": token})
        assert response.status_code == 404, (page, response.status_code)


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_huge_ids_on_trainee_pages_and_the_api_are_404(trainee, huge):
    for page in TRAINEE_PAGES:
        response = trainee.get(page.format(id=huge))
        assert response.status_code == 404, (page, response.status_code)
    headers = {"X-CSRF-Token": fetch_csrf(trainee)}
    for page in TRAINEE_POSTS:
        response = trainee.post(page.format(id=huge), json={}, headers=headers)
        assert response.status_code == 404, (page, response.status_code)
        if page.startswith("/api/"):
            assert response.json["error"]["status"] == 404


def test_the_largest_id_still_reaches_the_view(trainee):
    """The bound is the database's: MAX_ID itself is a normal 'not found' from the view, not a routing miss."""
    assert trainee.get(f"/api/v1/attempts/{MAX_ID}").status_code == 404
    assert trainee.get(f"/api/v1/attempts/{MAX_ID + 1}").status_code == 404


def test_non_ascii_digits_do_not_match(trainee):
    assert trainee.get("/api/v1/attempts/\u0661\u0662").status_code == 404


def test_urls_are_still_built_with_ints(app):
    with app.test_request_context():
        from flask import url_for

        assert url_for("classes.show_class", class_id=12) == "/classes/12"


def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if any(isinstance(converter, IntegerConverter) for converter in rule._converters.values())]


def test_every_int_route_of_every_blueprint_uses_the_bounded_converter(app):
    rules = _int_rules(app)
    assert len(rules) > 20
    for rule in rules:
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                assert isinstance(converter, BoundedIntConverter), (rule.rule, name)


@pytest.mark.parametrize("huge", [2**63, 10**30])
def test_every_int_route_answers_huge_ids_with_404(app, admin, huge):
    """Walks the whole URL map: each method of each rule with an `<int:>`, the huge id in every int place."""
    token = fetch_csrf(admin)
    for rule in _int_rules(app):
        values = {name: huge if isinstance(converter, IntegerConverter) else "x"
                  for name, converter in rule._converters.items()}
        path = rule.rule
        for name, value in values.items():
            path = re.sub(rf"<(?:\w+(?:\([^)]*\))?:)?{name}>", str(value), path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = admin.open(path, method=method, data={"csrf_token": token}, headers={"X-CSRF-Token": token})
            assert response.status_code in (404, 405), (method, path, response.status_code)


def test_the_openapi_document_states_the_id_bounds(client):
    parameters = client.get("/api/openapi.json").json["paths"]["/api/v1/attempts/{attempt_id}"]["get"]["parameters"]
    assert parameters[0]["schema"] == {"type": "integer", "minimum": 0, "maximum": MAX_ID}
