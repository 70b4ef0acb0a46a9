"""Download routes: every role against each route, own certificates only, identical bytes, revoked ones."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from lms.auth.models import Role
from lms.certificates.records import revoke_certificate
from tests.certificates.conftest import NOW, issue
from tests.conftest import login, post_form
from tests.factories import make_body, make_user

ROLES = ["anonymous", "admin", "organiser", "trainer", "holder", "classmate", "other_trainer", "other_organiser",
         "far_trainer", "far_trainee"]
STAFF_OF_CLASS = {"admin", "organiser", "trainer"}
TRAINEES = {"holder", "classmate", "far_trainee"}
# (path template, roles answered 200); logged-in others get 404 (another's record) or 403 (a trainee on a staff
# route), the anonymous the login page.
ROUTES = [
    ("/my/certificates", set(ROLES) - {"anonymous"}),
    ("/my/certificates/{certificate}.pdf", {"holder"}),
    ("/certificates/{certificate}.pdf", STAFF_OF_CLASS),
    ("/classes/{class}/certificates.pdf", STAFF_OF_CLASS),
    ("/classes/{class}/certificates.zip", STAFF_OF_CLASS),
    ("/my/certificates/{certificate}/openbadge.json", {"holder"}),
    ("/my/certificates/{certificate}/openbadge.jwt", {"holder"}),
    ("/certificates/{certificate}/openbadge.json", STAFF_OF_CLASS),
    ("/certificates/{certificate}/openbadge.jwt", STAFF_OF_CLASS),
]


@pytest.fixture
def world(db_session, finished):
    certificate = issue(db_session, finished)
    other_body = make_body(db_session, "Trung tâm Đào tạo QTC")
    users = {
        "admin": make_user(db_session, Role.ADMIN), "organiser": finished.organiser, "trainer": finished.trainer,
        "holder": finished.passed, "classmate": finished.failed,
        "other_trainer": make_user(db_session, Role.TRAINER, body=finished.body),
        "other_organiser": make_user(db_session, Role.ORGANISER, body=other_body),
        "far_trainer": make_user(db_session, Role.TRAINER, body=other_body),
        "far_trainee": make_user(db_session, Role.TRAINEE, body=other_body),
    }
    db_session.commit()
    return {"certificate": certificate, "users": users, "ids": {"certificate": certificate.id,
                                                                  "class": finished.training_class.id}}


def _as(client, world, role: str):
    if role != "anonymous":
        login(client, world["users"][role].username)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("template", "allowed"), ROUTES, ids=[r[0] for r in ROUTES])
def test_role_matrix(client, world, role: str, template: str, allowed: set[str]) -> None:
    response = _as(client, world, role).get(template.format(**world["ids"]))
    if role in allowed:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in TRAINEES and not template.startswith("/my/"):
        assert response.status_code == 403
    else:
        assert response.status_code == 404


def test_holder_and_staff_get_identical_bytes_every_time(client, world) -> None:
    path = "/my/certificates/{certificate}.pdf".format(**world["ids"])
    _as(client, world, "holder")
    first, second = client.get(path), client.get(path)
    assert first.mimetype == "application/pdf" and first.data == second.data and first.data.startswith(b"%PDF")
    assert world["certificate"].number in first.headers["Content-Disposition"]
    post_form(client, "/logout")
    staff = _as(client, world, "organiser").get("/certificates/{certificate}.pdf".format(**world["ids"]))
    assert staff.data == first.data


def test_my_certificates_lists_status_and_download(client, world) -> None:
    page = _as(client, world, "holder").get("/my/certificates").get_data(as_text=True)
    assert world["certificate"].number in page and "/my/certificates/{certificate}.pdf".format(**world["ids"]) in page


def test_a_revoked_certificate_is_shown_as_such_and_only_staff_download_it(client, world, db_session) -> None:
    revoke_certificate(db_session, world["certificate"], actor_id=world["users"]["organiser"].id,
                       reason="Cấp nhầm lớp", revoked_on=date(2026, 11, 3), now=NOW)
    db_session.commit()
    _as(client, world, "holder")
    page = client.get("/my/certificates").get_data(as_text=True)
    assert "Cấp nhầm lớp" in page and "03/11/2026" in page
    assert client.get("/my/certificates/{certificate}.pdf".format(**world["ids"])).status_code == 404
    post_form(client, "/logout")
    staff = _as(client, world, "organiser")
    assert staff.get("/certificates/{certificate}.pdf".format(**world["ids"])).status_code == 200
    assert staff.get("/classes/{class}/certificates.pdf".format(**world["ids"])).status_code == 404  # none current


def test_class_zip_holds_one_pdf_per_current_certificate(client, world) -> None:
    response = _as(client, world, "trainer").get("/classes/{class}/certificates.zip".format(**world["ids"]))
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert response.mimetype == "application/zip" and names == [world["certificate"].number + ".pdf"]


def test_open_badge_download_holds_the_credential_and_its_jwt(client, world) -> None:
    response = _as(client, world, "holder").get("/my/certificates/{certificate}/openbadge.json".format(**world["ids"]))
    exported = response.get_json()
    assert exported["credential"]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert exported["jwt"].count(".") == 2 and response.headers["Content-Disposition"].endswith(".json")
    jwt = client.get("/my/certificates/{certificate}/openbadge.jwt".format(**world["ids"]))
    assert jwt.data.decode() == exported["jwt"]
