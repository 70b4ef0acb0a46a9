from datetime import timedelta

import pytest

from lms.auth import services
from lms.auth.models import Role
from lms.auth.passwords import verify_password
from lms.auth.throttle import login_throttle
from lms.db import utcnow
from lms.errors import Conflict, RuleViolation
from tests.factories import PASSWORD, make_user


@pytest.fixture
def throttle(app, db_session):
    limiter = app.extensions["login_throttle"]
    limiter.reset(db_session)
    return limiter


def test_login_by_username_email_or_phone(app_ctx, db_session, throttle):
    user = make_user(db_session, username="huong.nt", email="Huong@Example.vn", phone="+84 912 345 678")
    for identifier in ("huong.nt", "HUONG.NT ", "huong@example.vn", "0912345678", "0912 345 678", "+84912345678"):
        found = services.authenticate(db_session, identifier, PASSWORD, address="1.2.3.4", throttle=throttle, now=utcnow())
        assert found.id == user.id


def test_passwords_are_hashed_with_argon2(app_ctx, db_session):
    user = make_user(db_session)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert verify_password(user.password_hash, PASSWORD)


def test_wrong_password_fails_with_one_message_for_unknown_and_wrong(app_ctx, db_session, throttle):
    make_user(db_session, username="nam.tv")
    with pytest.raises(services.LoginFailed) as wrong:
        services.authenticate(db_session, "nam.tv", "sai-mat-khau", address="a", throttle=throttle, now=utcnow())
    with pytest.raises(services.LoginFailed) as unknown:
        services.authenticate(db_session, "khong-co", "sai-mat-khau", address="a", throttle=throttle, now=utcnow())
    assert wrong.value.message == unknown.value.message


def test_inactive_account_cannot_log_in(app_ctx, db_session, throttle):
    user = make_user(db_session, username="nghi.viec")
    user.active = False
    with pytest.raises(services.LoginFailed):
        services.authenticate(db_session, "nghi.viec", PASSWORD, address="a", throttle=throttle, now=utcnow())


def test_change_password_checks_current_and_rotates_sessions(app_ctx, db_session):
    user = make_user(db_session)
    token = user.session_token
    with pytest.raises(RuleViolation):
        services.change_password(db_session, user, current="sai", new="mat-khau-moi-2")
    with pytest.raises(RuleViolation):
        services.change_password(db_session, user, current=PASSWORD, new="ngan")
    services.change_password(db_session, user, current=PASSWORD, new="mat-khau-moi-2")
    assert verify_password(user.password_hash, "mat-khau-moi-2")
    assert user.session_token != token
    assert services.load_user_from_session_id(db_session, f"{user.id}:{token}") is None
    assert services.load_user_from_session_id(db_session, user.get_id()).id == user.id


def test_reset_password_gives_a_readable_temporary_password(app_ctx, db_session):
    user = make_user(db_session)
    temporary = services.reset_password(db_session, user)
    assert len(temporary) == 10 and not set(temporary) & set("0O1lI")
    assert user.must_change_password
    assert verify_password(user.password_hash, temporary)


def test_create_user_normalises_and_checks_uniqueness(app_ctx, db_session):
    user = make_user(db_session, full_name="  Nguye\u0302\u0303n   Thi\u0323 Hu\u031bo\u031bng ", username="Hoa.NT",
                     email="HOA@Example.VN", phone="0987 654 321")
    assert user.full_name == "Nguyễn Thị Hương"
    assert user.full_name_folded == "nguyen thi huong"
    assert (user.username, user.email, user.phone) == ("hoa.nt", "hoa@example.vn", "0987654321")
    with pytest.raises(Conflict):
        make_user(db_session, username="hoa.nt")
    with pytest.raises(Conflict):
        make_user(db_session, email="hoa@example.vn")
    with pytest.raises(Conflict):
        make_user(db_session, phone="+84987654321")


@pytest.mark.parametrize("username", ["ab", "nguyễn", "has space", "x" * 65])
def test_create_user_rejects_bad_login_names(app_ctx, db_session, username):
    with pytest.raises(RuleViolation):
        make_user(db_session, username=username)


def test_last_login_is_recorded(app_ctx, db_session, throttle):
    user = make_user(db_session, role=Role.TRAINER, username="gv.thu")
    before = utcnow() - timedelta(seconds=1)
    services.authenticate(db_session, "gv.thu", PASSWORD, address="a", throttle=throttle, now=utcnow())
    assert user.last_login_at > before
    assert login_throttle().wait_for(db_session, "gv.thu", "a", utcnow()) == 0
