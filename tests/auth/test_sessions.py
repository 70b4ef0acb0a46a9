"""Sessions end at log-out, password change and reset; remember-me is for trainees and lasts at most 30 days."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from lms.auth import services
from lms.auth.models import Role
from tests.conftest import login, post_form
from tests.factories import PASSWORD, make_body, make_user

REMEMBER = "remember_token"


def _log_in(client, username, *, remember=False, password=PASSWORD):
    data = {"identifier": username, "password": password, **({"remember": "y"} if remember else {})}
    response = post_form(client, "/login", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


def _cookie(client, name):
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def _client_with(app, **cookies):
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def test_a_session_cookie_copied_before_logout_no_longer_opens_admin_pages(app, client, db_session):
    make_user(db_session, Role.ADMIN, username="qt.sao.chep")
    db_session.commit()
    _log_in(client, "qt.sao.chep")
    copied = _cookie(client, "session")
    assert _client_with(app, session=copied).get("/people").status_code == 200
    post_form(client, "/logout")
    assert _client_with(app, session=copied).get("/people").status_code == 302


def test_the_remember_cookie_alone_no_longer_works_after_logout(app, client, db_session):
    make_user(db_session, username="hv.ghi.nho")
    db_session.commit()
    _log_in(client, "hv.ghi.nho", remember=True)
    remembered = _cookie(client, REMEMBER)
    assert remembered
    assert _client_with(app, remember_token=remembered).get("/account").status_code == 200
    post_form(client, "/logout")
    assert _client_with(app, remember_token=remembered).get("/account").status_code == 302


def test_logout_ends_the_accounts_sessions_on_every_device(app, db_session):
    make_user(db_session, username="hai.may")
    db_session.commit()
    phone, office = app.test_client(), app.test_client()
    _log_in(phone, "hai.may")
    _log_in(office, "hai.may")
    post_form(office, "/logout")
    assert phone.get("/account").status_code == 302


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, db_session):
    make_user(db_session, username="doi.mat.khau")
    db_session.commit()
    mine, stolen = app.test_client(), app.test_client()
    _log_in(mine, "doi.mat.khau", remember=True)
    _log_in(stolen, "doi.mat.khau", remember=True)
    stolen_remember = _cookie(stolen, REMEMBER)
    response = post_form(mine, "/account/password",
                         {"current": PASSWORD, "new": "mat-khau-moi-9", "confirm": "mat-khau-moi-9"})
    assert response.status_code == 302
    assert mine.get("/account").status_code == 200
    assert stolen.get("/account").status_code == 302
    assert _client_with(app, remember_token=stolen_remember).get("/account").status_code == 302


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ORGANISER])
def test_an_administrators_reset_ends_the_persons_sessions(app, db_session, role):
    body = make_body(db_session)
    make_user(db_session, role, body=None if role == Role.ADMIN else body, username="btc.dat.lai")
    person = make_user(db_session, Role.TRAINEE, body=body, username="hv.bi.dat.lai")
    db_session.commit()
    trainee, staff = app.test_client(), app.test_client()
    _log_in(trainee, "hv.bi.dat.lai", remember=True)
    remembered = _cookie(trainee, REMEMBER)
    login(staff, "btc.dat.lai")
    assert post_form(staff, f"/people/{person.id}/reset-password").status_code == 200
    assert trainee.get("/account").status_code == 302
    assert _client_with(app, remember_token=remembered).get("/account").status_code == 302


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ORGANISER, Role.TRAINER])
def test_staff_are_not_remembered_unless_configured(app, client, db_session, role, monkeypatch):
    make_user(db_session, role, username=f"nv.{role}")
    db_session.commit()
    _log_in(client, f"nv.{role}", remember=True)
    assert _cookie(client, REMEMBER) is None
    post_form(client, "/logout")
    monkeypatch.setitem(app.config, "REMEMBER_STAFF", True)
    _log_in(client, f"nv.{role}", remember=True)
    remembered = _cookie(client, REMEMBER)
    assert remembered
    assert _client_with(app, remember_token=remembered).get("/account").status_code == 200
    monkeypatch.setitem(app.config, "REMEMBER_STAFF", False)  # turned off again: staff cookies stop working
    assert _client_with(app, remember_token=remembered).get("/account").status_code == 302


def _remember_cookie_expiry(response) -> datetime:
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(REMEMBER))
    expires = datetime.strptime(header.split("Expires=")[1].split(";")[0], "%a, %d %b %Y %H:%M:%S GMT")
    return expires.replace(tzinfo=UTC)


def test_remember_me_lasts_at_most_30_days(app, client, db_session):
    user = make_user(db_session, username="ba.muoi.ngay")
    db_session.commit()
    response = _log_in(client, "ba.muoi.ngay", remember=True)
    assert _remember_cookie_expiry(response) <= datetime.now(UTC) + timedelta(days=30, minutes=1)
    # On the server too: a cookie kept beyond its expiry is refused.
    with app.test_request_context():
        user.remembered = True
        session_id = user.get_id()
        issued = datetime.fromtimestamp(int(session_id.split(":")[2]), UTC)
        assert services.load_user_from_session_id(db_session, session_id, now=issued + timedelta(days=29)) == user
        assert services.load_user_from_session_id(db_session, session_id, now=issued + timedelta(days=31)) is None
        user.remembered = False
        browser_session = user.get_id()
        assert services.load_user_from_session_id(db_session, browser_session, now=issued + timedelta(hours=13)) is None


def test_remember_me_stays_within_30_days_whatever_is_configured(app, client, db_session, monkeypatch):
    user = make_user(db_session, username="chin.muoi.ngay")
    db_session.commit()
    monkeypatch.setitem(app.config, "REMEMBER_COOKIE_DURATION", timedelta(days=90))
    response = _log_in(client, "chin.muoi.ngay", remember=True)
    assert _remember_cookie_expiry(response) <= datetime.now(UTC) + timedelta(days=30, minutes=1)
    with app.test_request_context():
        user.remembered = True
        session_id = user.get_id()
        issued = datetime.fromtimestamp(int(session_id.split(":")[2]), UTC)
        assert services.load_user_from_session_id(db_session, session_id, now=issued + timedelta(days=31)) is None


@pytest.mark.parametrize("session_id", [
    "", "1", "1:x", "x:y:z:w", "1:token:1:s", "99999999999999999999:t:1:s", "1:t:99999999999999999999:s",
    "-1:t:1:s", "1:t:1:q", "1:t:1:rs", "1:t:1:", "\x00:\x00:\x00:\x00", "1::1:s",
])
def test_malformed_session_ids_are_refused(app_ctx, db_session, session_id):
    make_user(db_session, username="bi.gia")
    assert services.load_user_from_session_id(db_session, session_id) is None


def test_an_old_format_session_id_is_refused(app_ctx, db_session):
    user = make_user(db_session, username="dinh.dang.cu")
    assert services.load_user_from_session_id(db_session, f"{user.id}:{user.session_token}") is None
    assert services.load_user_from_session_id(db_session, f"{user.id}:{user.session_token}:{int(time.time())}:s") == user
