"""Joining a class with its code: registration pending approval, approval and rejection, the rate limit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.classes.models import Enrolment, EnrolmentStatus
from tests.classes.roster.helpers import roster_world
from tests.conftest import fetch_csrf, login, post_form


@pytest.fixture
def world(app, db_session):
    with app.test_request_context():
        built = roster_world(db_session)
    db_session.commit()
    return built


def make_code(client, class_id) -> str:
    assert post_form(client, f"/classes/{class_id}/roster/join-code").status_code == 302
    page = client.get(f"/classes/{class_id}/roster/requests").get_data(as_text=True)
    return page.split('id="join-code">', 1)[1].split("<", 1)[0]


def join_form(code, **overrides):
    return {"code": code, "full_name": "  trần   THỊ mai ", "date_of_birth": "12/03/1992",
            "work_unit_id": "", "email": "mai@example.vn", "phone": "", "password": "mat-khau-rieng-9",
            "confirm": "mat-khau-rieng-9", **overrides}


def test_join_then_approve_then_log_in(app, client, db_session, world):
    login(client, "btc1")
    class_id = world["class"].id
    code = make_code(client, class_id)
    visitor = app.test_client()
    page = visitor.get(f"/join?code={code}").get_data(as_text=True)
    assert f'value="{code}"' in page
    joined = post_form(visitor, "/join", join_form(code.lower(), work_unit_id=str(world["commune"].id)))
    assert joined.status_code == 200 and "maitt" in joined.get_data(as_text=True)
    user = db_session.scalar(select(User).where(User.email == "mai@example.vn"))
    assert user.full_name == "Trần Thị Mai" and not user.active and user.work_unit_id == world["commune"].id
    assert post_form(visitor, "/login", {"identifier": "mai@example.vn", "password": "mat-khau-rieng-9"}
                     ).status_code == 401  # refused until approved
    requests_page = client.get(f"/classes/{class_id}/roster/requests").get_data(as_text=True)
    assert "Trần Thị Mai" in requests_page
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
    assert enrolment.status == EnrolmentStatus.PENDING
    post_form(client, f"/classes/{class_id}/roster/requests", {"action": "approve", "enrolment_ids": str(enrolment.id)})
    db_session.refresh(enrolment)
    db_session.refresh(user)
    assert enrolment.status == EnrolmentStatus.ACTIVE and user.active
    login(app.test_client(), "mai@example.vn", "mat-khau-rieng-9")
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "roster.join_approved"))


def test_reject_removes_the_unused_account(app, client, db_session, world):
    login(client, "btc1")
    code = make_code(client, world["class"].id)
    post_form(app.test_client(), "/join", join_form(code))
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.status == EnrolmentStatus.PENDING))
    post_form(client, f"/classes/{world['class'].id}/roster/requests",
              {"action": "reject", "enrolment_ids": str(enrolment.id)})
    assert db_session.scalar(select(User).where(User.email == "mai@example.vn")) is None


def test_a_new_code_replaces_the_old_one_and_bad_input_gets_messages(app, client, db_session, world):
    login(client, "btc1")
    old = make_code(client, world["class"].id)
    new = make_code(client, world["class"].id)
    visitor = app.test_client()
    refused = post_form(visitor, "/join", join_form(old))
    assert refused.status_code == 400 and "Không có lớp nào" in refused.get_data(as_text=True)
    taken = post_form(visitor, "/join", join_form(new, email="thu@example.vn"))
    assert taken.status_code == 400 and "Đã có tài khoản" in taken.get_data(as_text=True)
    nothing = post_form(visitor, "/join", join_form(new, email="", phone=""))
    assert nothing.status_code == 400
    short = post_form(visitor, "/join", join_form(new, password="ngan", confirm="ngan"))
    assert short.status_code == 400 and db_session.scalar(select(User).where(User.email == "mai@example.vn")) is None


def test_the_join_form_is_rate_limited(app, client, db_session, world):
    app.config["JOIN_LIMIT_PER_ADDRESS"] = "3/hour"
    try:
        visitor = app.test_client()
        statuses = [post_form(visitor, "/join", join_form("KHONGCO")).status_code for _ in range(4)]
    finally:
        app.config["JOIN_LIMIT_PER_ADDRESS"] = "20/hour"
    assert statuses == [400, 400, 400, 429]


def test_another_bodys_organiser_cannot_see_or_decide(app, client, db_session, world):
    other = app.test_client()
    login(other, "btc2")
    assert other.get(f"/classes/{world['class'].id}/roster/requests").status_code == 404
    token = fetch_csrf(other)
    assert other.post(f"/classes/{world['class'].id}/roster/join-code", data={"csrf_token": token}).status_code == 404


def test_importing_a_pending_person_approves_them(app, client, db_session, world):
    import io

    from tests.classes.roster.helpers import person, xlsx

    login(client, "btc1")
    class_id = world["class"].id
    post_form(app.test_client(), "/join", join_form(make_code(client, class_id)))
    data = xlsx([person("Trần Thị Mai", born="12/03/1992", email="mai@example.vn")])
    location = client.post(f"/classes/{class_id}/roster/import", content_type="multipart/form-data", data={
        "csrf_token": fetch_csrf(client), "file": (io.BytesIO(data), "ds.xlsx")}).headers["Location"]
    assert post_form(client, location, {"action": "confirm"}).status_code == 302
    user = db_session.scalar(select(User).where(User.email == "mai@example.vn"))
    db_session.refresh(user)
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
    db_session.refresh(enrolment)
    assert user.active and enrolment.status == EnrolmentStatus.ACTIVE


def test_a_logged_in_trainee_asks_with_the_code_alone(app, client, db_session, world):
    login(client, "btc1")
    code = make_code(client, world["class"].id)
    trainee = app.test_client()
    login(trainee, "thult")
    assert 'name="full_name"' not in trainee.get(f"/join?code={code}").get_data(as_text=True)
    assert post_form(trainee, "/join", {"code": code}).status_code == 200
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.user_id == world["trainee"].id))
    assert enrolment.status == EnrolmentStatus.PENDING
    far = app.test_client()
    login(far, "tuanpm")
    refused = post_form(far, "/join", {"code": code})
    assert refused.status_code == 400 and "đơn vị tổ chức khác" in refused.get_data(as_text=True)
    assert post_form(client, "/join", {"code": code}).status_code == 400  # an organiser is not a trainee
