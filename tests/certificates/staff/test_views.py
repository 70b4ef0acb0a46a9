"""Every staff certificate route for allowed and refused roles, another body's organiser, trainer and trainee too."""

from __future__ import annotations

import pytest

from lms.certificates.staff import jobs
from lms.db import utcnow
from tests.certificates.staff.conftest import issue_to
from tests.conftest import fetch_csrf, login

ROLES = ["anonymous", "admin", "organiser", "other_organiser", "trainer", "other_trainer", "far_trainer", "trainee",
         "far_trainee"]
CLASS_STAFF = {"admin", "organiser", "trainer"}
MANAGERS = {"admin", "organiser"}
# Staff who pass the role check but not the body or class check: 404, never a hint that the record exists.
OUTSIDERS = {"other_organiser", "other_trainer", "far_trainer"}

ROUTES = [
    ("GET", "/classes/{class}/certificates", CLASS_STAFF),
    ("POST", "/classes/{class}/certificates/settings", MANAGERS),
    ("POST", "/classes/{class}/certificates/issue-all", MANAGERS),
    ("GET", "/classes/{class}/certificates/jobs/{job}", CLASS_STAFF),
    ("GET", "/classes/{class}/certificates/jobs/{job}/progress", CLASS_STAFF),
    ("GET", "/classes/{class}/certificates/issue/{absent}", MANAGERS),
    ("POST", "/classes/{class}/certificates/issue/{absent}", MANAGERS),
    ("GET", "/certificates/{certificate}/revoke", MANAGERS),
    ("POST", "/certificates/{certificate}/revoke", MANAGERS),
    ("GET", "/certificates/{certificate}/reissue", MANAGERS),
    ("POST", "/certificates/{certificate}/reissue", MANAGERS),
    ("GET", "/certificates/{certificate}", CLASS_STAFF),
    ("GET", "/certificates/register", MANAGERS | {"other_organiser"}),
    ("GET", "/certificates/register.xlsx", MANAGERS | {"other_organiser"}),
]


@pytest.fixture
def ids(app, db_session, sat):
    certificate = issue_to(app, db_session, sat, sat.passer)
    with app.app_context():
        job, _lease = jobs.request_bulk_job(db_session, sat.training_class, actor_id=None, now=utcnow(),
                                            stale_seconds=60)
    db_session.commit()
    return {"class": sat.training_class.id, "job": job.id, "certificate": certificate.id,
            "absent": sat.users["absent"].id, **{f"user_{k}": u.username for k, u in sat.users.items()}}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "allowed"), ROUTES, ids=[f"{m} {t}" for m, t, _ in ROUTES])
def test_route_access(client, ids, role, method, template, allowed):
    if role != "anonymous":
        login(client, ids[f"user_{role}"])
    path = template.format(**ids)
    # POST: a valid token but an empty form, so allowed roles get the form back (400) or a redirect.
    response = client.get(path) if method == "GET" else client.post(path, data={"csrf_token": fetch_csrf(client)})
    if role in allowed:
        assert response.status_code in (200, 302, 400), response.get_data(as_text=True)[:300]
        if response.status_code == 302:
            assert "/login" not in response.headers["Location"]
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in OUTSIDERS and not (role.endswith("trainer") and "trainer" not in allowed):
        assert response.status_code == 404
    else:
        assert response.status_code == 403
