"""The audit log pages: who may read them, what each reader sees, the search, the pages and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from lms.audit.services import record
from lms.auth.models import Role
from tests.conftest import login, post_form
from tests.factories import make_body, make_user


@pytest.fixture
def log(db_session, app):
    body, other_body = make_body(db_session), make_body(db_session)
    people = {
        "admin": make_user(db_session, Role.ADMIN, username="qt.log"),
        "organiser": make_user(db_session, Role.ORGANISER, body=body, username="btc.log", full_name="Phạm Thu Trang"),
        "other_organiser": make_user(db_session, Role.ORGANISER, body=other_body, username="btc.log2"),
        "trainer": make_user(db_session, Role.TRAINER, body=body, username="gv.log"),
        "far_trainer": make_user(db_session, Role.TRAINER, body=other_body, username="gv.log2"),
        "trainee": make_user(db_session, Role.TRAINEE, body=body, username="hv.log", full_name="Đặng Thị Ánh"),
        "far_trainee": make_user(db_session, Role.TRAINEE, body=other_body, username="hv.log2",
                                 full_name="Võ Minh Đức"),
    }
    with app.test_request_context():
        record(db_session, "user.password_reset", actor_id=people["organiser"].id, body_id=body.id,
               target_type="user", target_id=people["trainee"].id, target_label="Đặng Thị Ánh",
               now=datetime(2026, 11, 2, 3, 0, tzinfo=UTC))
        record(db_session, "quiz.override", actor_id=people["trainer"].id, body_id=body.id, target_type="user",
               target_id=people["trainee"].id, target_label="=HYPERLINK(\"http://x\")",
               before={}, after={"extra_minutes": 15}, now=datetime(2026, 11, 5, 3, 0, tzinfo=UTC))
        record(db_session, "user.password_reset", actor_id=people["other_organiser"].id, body_id=other_body.id,
               target_type="user", target_id=people["far_trainee"].id, target_label="Võ Minh Đức",
               now=datetime(2026, 11, 3, 3, 0, tzinfo=UTC))
    db_session.commit()
    return people


ROLES = ["anonymous", "admin", "organiser", "other_organiser", "trainer", "far_trainer", "trainee", "far_trainee"]
READERS = {"admin", "organiser", "other_organiser"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/audit", "/audit/export.csv"])
def test_who_may_read_the_log(client, log, role, path):
    if role != "anonymous":
        login(client, log[role].username)
    response = client.get(path)
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == (200 if role in READERS else 403)


def test_an_organiser_sees_only_their_body(client, log):
    login(client, log["organiser"].username)
    page = client.get("/audit").get_data(as_text=True)
    assert "Đặng Thị Ánh" in page and "Võ Minh Đức" not in page
    post_form(client, "/logout")
    login(client, log["other_organiser"].username)
    page = client.get("/audit").get_data(as_text=True)
    assert "Võ Minh Đức" in page and "Đặng Thị Ánh" not in page
    exported = client.get("/audit/export.csv").data.decode("utf-8-sig")
    assert "Võ Minh Đức" in exported and "Đặng Thị Ánh" not in exported
    post_form(client, "/logout")
    login(client, log["admin"].username)
    page = client.get("/audit").get_data(as_text=True)
    assert "Võ Minh Đức" in page and "Đặng Thị Ánh" in page


def test_search_by_person_without_accents_action_and_dates(client, log):
    login(client, log["admin"].username)
    by_target = client.get("/audit?person=dang+thi+anh").get_data(as_text=True)
    assert "Đặng Thị Ánh" in by_target and "Võ Minh Đức" not in by_target
    by_actor = client.get("/audit?person=pham+thu").get_data(as_text=True)
    assert "Đặng Thị Ánh" in by_actor and "HYPERLINK" not in by_actor
    by_action = client.get("/audit?action=quiz.override").get_data(as_text=True)
    assert "HYPERLINK" in by_action and "Võ Minh Đức" not in by_action
    by_dates = client.get("/audit?date_from=03/11/2026&date_to=04/11/2026").get_data(as_text=True)
    assert "Võ Minh Đức" in by_dates and "Đặng Thị Ánh" not in by_dates and "HYPERLINK" not in by_dates
    bad = client.get("/audit?date_from=31/02/2026")
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.get_data(as_text=True) and "Võ Minh Đức" not in bad.get_data(
        as_text=True)


def test_pages_of_fifty(client, db_session, log, app):
    with app.test_request_context():
        for number in range(60):
            record(db_session, "user.password_reset", actor_id=log["admin"].id, body_id=None, target_type="user",
                   target_label=f"Người số {number:02d}", now=datetime(2026, 12, 1, 0, number, tzinfo=UTC))
    db_session.commit()
    login(client, log["admin"].username)
    first = client.get("/audit").get_data(as_text=True)
    assert "Người số 59" in first and "Người số 10" in first and "Người số 09" not in first
    second = client.get("/audit?page=2").get_data(as_text=True)
    assert "Người số 09" in second and "Người số 59" not in second
    assert client.get("/audit?page=99").status_code == 200


def test_csv_export_has_a_bom_and_no_formula(client, log):
    login(client, log["organiser"].username)
    response = client.get("/audit/export.csv?action=quiz.override")
    assert response.data.startswith("\ufeff".encode()) and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Thời điểm", "Người thực hiện", "Tên đăng nhập", "Hành động"]
    assert len(rows) == 2 and rows[1][0] == "05/11/2026 10:00:00"
    assert rows[1][4].startswith("'=HYPERLINK") and rows[1][6] == '{"extra_minutes": 15}'


def test_nothing_edits_or_deletes_entries(app, client, log):
    login(client, log["admin"].username)
    writes = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("audit.")
              and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    assert writes == []
    assert post_form(client, "/audit").status_code == 405
