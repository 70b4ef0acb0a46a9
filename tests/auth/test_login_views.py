"""The log-in page: throttling by client address behind a trusted proxy, counts shared by workers, the owner told."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from lms import create_app
from lms.auth.models import LoginFailureCount
from lms.config import TestConfig
from lms.db import db
from tests.conftest import post_form
from tests.factories import PASSWORD, make_user

ATTACKER, OWNER, COLLEAGUE = "203.0.113.66", "198.51.100.7", "198.51.100.8"


def _app_like(app, **settings):
    config = type("Config", (TestConfig,), {"DATABASE_URL": app.config["DATABASE_URL"],
                                            "CONTENT_DIR": app.config["CONTENT_DIR"], **settings})
    return create_app(config)


@pytest.fixture
def proxied(app, db_session):
    """The app as deployed behind nginx (TRUSTED_PROXIES=1), in the test's rolled-back transaction."""
    behind_nginx = _app_like(app, TRUSTED_PROXIES=1)
    db.state(behind_nginx).update(bind=db_session.get_bind(), join_transaction_mode="create_savepoint")
    yield behind_nginx
    db.engine_for(behind_nginx).dispose()


def _log_in(client, identifier, password, address=None, **kwargs):
    headers = {"X-Forwarded-For": address} if address else {}
    return post_form(client, "/login", {"identifier": identifier, "password": password}, headers=headers, **kwargs)


def test_behind_the_proxy_one_users_attacker_blocks_nobody_else(proxied, db_session):
    make_user(db_session, username="hocvien01")
    make_user(db_session, username="hocvien02")
    db_session.commit()
    client = proxied.test_client()
    statuses = {_log_in(client, "hocvien01", f"doan-{n}", ATTACKER).status_code for n in range(12)}
    statuses |= {_log_in(client, f"hocvien{n:02d}", "123456", ATTACKER).status_code for n in range(3, 40)}
    assert statuses == {401, 429}
    assert _log_in(client, "hocvien01", PASSWORD, OWNER).status_code == 302
    post_form(client, "/logout")
    assert _log_in(client, "hocvien02", PASSWORD, COLLEAGUE).status_code == 302


def test_without_trusted_proxies_forwarded_for_is_ignored(client, db_session):
    make_user(db_session, username="gia.mao")
    db_session.commit()
    for number in range(3):  # a forged header per try does not escape the count
        assert _log_in(client, "gia.mao", "sai", f"192.0.2.{number}").status_code == 401
    refused = _log_in(client, "gia.mao", "sai", "192.0.2.200")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "2"
    assert "Vui lòng thử lại sau 2 giây" in refused.get_data(as_text=True)


@pytest.mark.parametrize("hops, seen", [(0, "127.0.0.1"), (1, "203.0.113.9"), (2, "198.51.100.1")])
def test_trusted_proxies_says_how_many_forwarded_addresses_to_believe(app, hops, seen):
    from flask import request

    application = _app_like(app, TRUSTED_PROXIES=hops)
    application.add_url_rule("/_address", "address", lambda: request.remote_addr)
    response = application.test_client().get("/_address", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
    assert response.get_data(as_text=True) == seen
    db.engine_for(application).dispose()


def test_two_workers_share_the_counts_in_the_database(app):
    """Two app instances (two gunicorn workers) with one database and no Redis: failures add up across them."""
    workers = [_app_like(app) for _ in range(2)]
    clients = [worker.test_client() for worker in workers]
    try:
        statuses = [_log_in(clients[n], "hai.tien.trinh", "sai").status_code for n in (0, 1, 0, 1, 0)]
        assert statuses == [401, 401, 401, 429, 429]
    finally:
        with db.engine_for(workers[0]).begin() as connection:
            connection.execute(delete(LoginFailureCount))
        for worker in workers:
            db.engine_for(worker).dispose()


def test_the_owner_is_told_in_vietnamese_at_the_next_login(client, db_session):
    make_user(db_session, username="bi.thu")
    db_session.commit()
    for _attempt in range(2):
        _log_in(client, "bi.thu", "sai")
    page = _log_in(client, "bi.thu", PASSWORD, follow_redirects=True).get_data(as_text=True)
    assert "tài khoản của bạn đã bị nhập sai mật khẩu 2 lần; lần gần nhất từ địa chỉ 127.0.0.1 lúc" in page
    post_form(client, "/logout")
    again = _log_in(client, "bi.thu", PASSWORD, follow_redirects=True).get_data(as_text=True)
    assert "nhập sai mật khẩu" not in again


def test_the_owner_is_told_in_english_when_english_is_chosen(client, db_session):
    make_user(db_session, username="bi.en")
    db_session.commit()
    post_form(client, "/language/en")
    _log_in(client, "bi.en", "wrong")
    page = _log_in(client, "bi.en", PASSWORD, follow_redirects=True).get_data(as_text=True)
    assert "Failed log-in attempts on your account since your last log-in: 1. The last one came from address" in page


def test_the_login_page_speaks_vietnamese(client):
    page = client.get("/login").get_data(as_text=True)
    for text in ("Đăng nhập", "Ghi nhớ đăng nhập trên thiết bị này", "Chỉ áp dụng cho tài khoản học viên, tối đa 30 ngày",
                 "Quên mật khẩu? Hãy đề nghị cán bộ tổ chức lớp đặt lại mật khẩu."):
        assert text in page


@pytest.mark.parametrize("data", [
    {"identifier": "nul\x00byte", "password": "x"},
    {"identifier": "x" * 10000, "password": "y"},
    {"identifier": ["a", "b"], "password": ["c", "d"]},
    {"identifier": "a", "password": "b", "remember": "\x00"},
    {"identifier": "\ud7ff\ufeff", "password": "\x00"},
])
def test_odd_log_in_forms_never_make_a_500(client, data):
    assert post_form(client, "/login", data).status_code in (400, 401)


@pytest.mark.parametrize("cookie", ["remember_token", "session"])
def test_forged_cookies_are_ignored(client, cookie):
    client.set_cookie(cookie, "1:token:1:r|" + "0" * 128)
    assert client.get("/account").status_code == 302
