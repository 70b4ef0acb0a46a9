"""Failed log-ins slow the guesser down per account and address; the owner is never locked out and is told."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from lms.auth import services
from lms.auth.passwords import dummy_hash
from lms.db import utcnow
from tests.factories import PASSWORD, make_user


@pytest.fixture
def throttle(app, db_session):
    limiter = app.extensions["login_throttle"]
    limiter.reset(db_session)
    return limiter


def _try(db_session, throttle, identifier, password, address, now):
    return services.authenticate(db_session, identifier, password, address=address, throttle=throttle, now=now)


def test_an_attacker_from_one_address_cannot_keep_the_owner_out(app_ctx, db_session, throttle):
    user = make_user(db_session, username="hocvien01")
    now = utcnow()
    refused_at_once = 0
    for second in range(60):  # one guess a second for a minute
        with pytest.raises(services.LoginFailed) as failure:
            _try(db_session, throttle, "hocvien01", f"doan-{second}", "203.0.113.66", now + timedelta(seconds=second))
        refused_at_once += failure.value.retry_after > 0
    assert refused_at_once > 50  # most guesses were not even checked
    later = now + timedelta(seconds=61)
    assert _try(db_session, throttle, "hocvien01", PASSWORD, "198.51.100.7", later).id == user.id


def test_the_delay_grows_from_the_last_failure_and_ends(app_ctx, db_session, throttle):
    make_user(db_session, username="cham.dan")
    now = utcnow()
    waits = []
    for _attempt in range(7):
        assert throttle.wait_for(db_session, "cham.dan", "10.1.1.1", now) == 0
        with pytest.raises(services.LoginFailed):
            _try(db_session, throttle, "cham.dan", "sai", "10.1.1.1", now)
        waits.append(throttle.wait_for(db_session, "cham.dan", "10.1.1.1", now))
        now += timedelta(seconds=waits[-1])
    assert waits == [0, 0, 2, 4, 8, 16, 32]
    assert _try(db_session, throttle, "cham.dan", PASSWORD, "10.1.1.1", now)  # a delay, never a lock
    assert throttle.wait_for(db_session, "cham.dan", "10.1.1.1", now) == 0  # success clears the pair


def test_the_delay_has_a_ceiling(app_ctx, db_session, throttle):
    assert throttle.delay_after(2) == 0
    assert throttle.delay_after(3) == 2
    assert throttle.delay_after(500) == throttle.max_delay == 900


def test_a_throttled_try_is_answered_at_once_without_checking_the_password(app_ctx, db_session, throttle,
                                                                          monkeypatch):
    make_user(db_session, username="doi.chut")
    now = utcnow()
    for _attempt in range(3):
        with pytest.raises(services.LoginFailed):
            _try(db_session, throttle, "doi.chut", "sai", "10.2.2.2", now)
    calls = []
    monkeypatch.setattr(services, "verify_password", lambda *args: calls.append(args) or True)
    with pytest.raises(services.LoginFailed) as throttled:
        _try(db_session, throttle, "doi.chut", PASSWORD, "10.2.2.2", now + timedelta(seconds=1))
    assert calls == [] and throttled.value.retry_after == 1
    assert "Vui lòng thử lại sau 1 giây" in throttled.value.message


def test_a_spray_from_one_address_meets_the_generous_cap_and_others_are_not_slowed(app_ctx, db_session, throttle):
    capped = dataclasses.replace(throttle, address_limit=20)
    make_user(db_session, username="nguoi.khac")
    now = utcnow()
    for number in range(20):
        with pytest.raises(services.LoginFailed):
            _try(db_session, capped, f"hocvien{number:02d}", "123456", "192.0.2.9", now)
    assert capped.wait_for(db_session, "hocvien99", "192.0.2.9", now) > 3000
    assert _try(db_session, capped, "nguoi.khac", PASSWORD, "192.0.2.10", now)


def test_the_owner_is_told_of_failures_at_the_next_login(app_ctx, db_session, throttle):
    user = make_user(db_session, username="bi.do")
    now = utcnow()
    for address in ("203.0.113.1", "203.0.113.2"):
        with pytest.raises(services.LoginFailed):
            _try(db_session, throttle, "bi.do", "sai", address, now)
    assert _try(db_session, throttle, "bi.do", PASSWORD, "198.51.100.1", now).id == user.id
    notice = services.take_failure_notice(user)
    assert (notice.count, notice.address, notice.at) == (2, "203.0.113.2", now)
    assert services.take_failure_notice(user) is None


def test_unknown_and_known_names_cost_one_password_check_each(app_ctx, db_session, throttle, monkeypatch):
    user = make_user(db_session, username="co.that")
    inactive = make_user(db_session, username="nghi.roi")
    inactive.active = False
    checked = []
    real_verify = services.verify_password
    monkeypatch.setattr(services, "verify_password", lambda hashed, pw: checked.append(hashed) or real_verify(hashed, pw))
    for identifier in ("co.that", "khong.co.ai", "nghi.roi"):
        with pytest.raises(services.LoginFailed):
            _try(db_session, throttle, identifier, "sai-mat-khau", "10.3.3.3", utcnow())
    assert checked == [user.password_hash, dummy_hash(), inactive.password_hash]
    assert dummy_hash().startswith("$argon2id$")


@pytest.mark.parametrize("identifier", ["nul\x00byte", "\x1b[31m", "x" * 300, "  ", "0912\x00345678"])
def test_odd_login_names_are_refused_plainly(app_ctx, db_session, throttle, identifier):
    with pytest.raises(services.LoginFailed):
        _try(db_session, throttle, identifier, "sai", "10.4.4.4", utcnow())
