"""Account rules: finding a user by username, email or phone, logging in, passwords, creating accounts."""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lms.auth.models import Role, User, new_session_token
from lms.auth.passwords import (
    MIN_PASSWORD_LENGTH,
    dummy_hash,
    hash_password,
    needs_rehash,
    temporary_password,
    verify_password,
)
from lms.auth.throttle import LoginThrottle
from lms.errors import Conflict, RuleViolation
from lms.text import CONTROL_CHARACTERS, clean_line, fold

USERNAME = re.compile(r"^[a-z0-9._-]{3,64}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_REMEMBER = timedelta(days=30)


class LoginFailed(Exception):
    def __init__(self, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class FailureNotice:
    """What the owner is told at log-in: wrong passwords given for the account since the last log-in."""

    count: int
    address: str
    at: datetime | None


def normalise_phone(value: str | None) -> str | None:
    """Vietnamese phone numbers in one form: digits only, +84/84 prefix written as 0."""
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits or None


def normalise_identifier(identifier: str) -> str:
    return clean_line(identifier).lower()


def find_by_identifier(session: Session, identifier: str) -> User | None:
    """Look an account up by username, email or phone number."""
    ident = normalise_identifier(identifier)
    if not ident or CONTROL_CHARACTERS.search(ident):  # no account holds one; PostgreSQL refuses NUL in a query
        return None
    conditions = [User.username == ident, User.email == ident]
    phone = normalise_phone(ident)
    if phone and re.fullmatch(r"[\d\s+().-]+", ident):
        conditions.append(User.phone == phone)
    return session.scalar(select(User).where(or_(*conditions)))


def authenticate(
    session: Session, identifier: str, password: str, *, address: str, throttle: LoginThrottle, now: datetime
) -> User:
    """Return the user if the password is right. A wrong one slows down further tries of this account from this
    address only (lms.auth.throttle) and is kept on the account for its owner (take_failure_notice)."""
    account_key = normalise_identifier(identifier)[:254]
    address = (address or "-")[:64]
    wait = throttle.wait_for(session, account_key, address, now)
    if wait:
        raise LoginFailed(_wait_message(wait), wait)
    user = find_by_identifier(session, identifier)
    # Unknown names are checked against a dummy hash: refusing them costs the same as a wrong password.
    right = verify_password(user.password_hash if user is not None else dummy_hash(), password)
    if user is None or not right or not user.active:
        throttle.record_failure(session, account_key, address, now)
        if user is not None and not right:
            user.failed_logins = (user.failed_logins or 0) + 1
            user.last_failed_login_at, user.last_failed_login_from = now, address
        session.flush()
        raise LoginFailed(_("The login name or password is not correct."))
    throttle.record_success(session, account_key, address)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    session.flush()
    return user


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return _("Too many failed attempts from this device. Please try again in %(seconds)d seconds.",
                 seconds=seconds)
    return _("Too many failed attempts from this device. Please try again in %(minutes)d minutes.",
             minutes=-(-seconds // 60))


def take_failure_notice(user: User) -> FailureNotice | None:
    """The failed attempts to tell the owner about at this log-in, then forgotten."""
    if not user.failed_logins:
        return None
    notice = FailureNotice(user.failed_logins, user.last_failed_login_from or "-", user.last_failed_login_at)
    user.failed_logins, user.last_failed_login_at, user.last_failed_login_from = 0, None, None
    return notice


def end_sessions(session: Session, user: User) -> None:
    """Log the account out everywhere: every session and remember-me cookie carries the old version."""
    user.session_token = new_session_token()
    session.flush()


def check_password_rules(password: str, user: User | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(_("The password must have at least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    if user is not None and password.lower() in {user.username.lower(), (user.phone or "").lower()}:
        raise RuleViolation(_("The password must not be your login name or phone number."))


def set_password(session: Session, user: User, password: str, *, temporary: bool = False) -> None:
    """Store a new password; every other session of this user is logged out."""
    check_password_rules(password, user)
    user.password_hash = hash_password(password)
    user.must_change_password = temporary
    user.session_token = new_session_token()
    session.flush()


def change_password(session: Session, user: User, *, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise RuleViolation(_("The current password is not correct."))
    if current == new:
        raise RuleViolation(_("The new password must differ from the current one."))
    set_password(session, user, new)


def reset_password(session: Session, user: User) -> str:
    """Give the user a temporary password to be changed at the next login; returns it once."""
    password = temporary_password()
    set_password(session, user, password, temporary=True)
    return password


@dataclass
class AccountInput:
    username: str
    full_name: str
    role: str
    password: str
    email: str | None = None
    phone: str | None = None
    date_of_birth: date | None = None
    position: str = ""
    work_unit_id: int | None = None
    organising_body_id: int | None = None


def create_user(session: Session, data: AccountInput, *, must_change_password: bool = False) -> User:
    """Create an account after checking the login name, email and phone are well-formed and free."""
    username = normalise_identifier(data.username)
    email = normalise_identifier(data.email or "") or None
    phone = normalise_phone(data.phone)
    _check_account_fields(username, email, data.role)
    _check_unique(session, username=username, email=email, phone=phone)
    full_name = clean_line(data.full_name)
    if not full_name:
        raise RuleViolation(_("Full name is required."))
    user = User(
        username=username, email=email, phone=phone, role=data.role, full_name=full_name,
        full_name_folded=fold(full_name), date_of_birth=data.date_of_birth, position=clean_line(data.position),
        work_unit_id=data.work_unit_id, organising_body_id=data.organising_body_id, password_hash="",
    )
    check_password_rules(data.password, user)
    user.password_hash = hash_password(data.password)
    user.must_change_password = must_change_password
    session.add(user)
    session.flush()
    return user


def _check_account_fields(username: str, email: str | None, role: str) -> None:
    if not USERNAME.match(username):
        raise RuleViolation(
            _("The login name must be 3 to 64 characters: lower-case letters without accents, digits, dot, dash.")
        )
    if email and not EMAIL.match(email):
        raise RuleViolation(_("The email address is not valid."))
    if role not in set(Role):
        raise RuleViolation(_("Unknown role."))


def _check_unique(session: Session, *, username: str, email: str | None, phone: str | None, exclude_id: int = 0) -> None:
    checks = [(User.username, username, _("This login name is already taken."))]
    if email:
        checks.append((User.email, email, _("This email address is already used by another account.")))
    if phone:
        checks.append((User.phone, phone, _("This phone number is already used by another account.")))
    for column, value, message in checks:
        if session.scalar(select(User.id).where(column == value, User.id != exclude_id)):
            raise Conflict(message)


def load_user_from_session_id(session: Session, session_id: str, *, now: datetime | None = None) -> User | None:
    """Flask-Login loader: "id:version:logged-in-at:kind" (models.User.get_id) is accepted only while the version
    is the account's current one and the log-in is younger than its kind allows; staff may not use remember-me
    unless REMEMBER_STAFF is on."""
    parts = session_id.split(":") if isinstance(session_id, str) else []
    if len(parts) != 4:
        return None
    user_id, token, issued, kind = parts
    if not (user_id.isdigit() and len(user_id) < 16 and issued.isdigit() and len(issued) < 16 and kind in ("r", "s")):
        return None
    config = current_app.config
    limit = remember_duration(config) if kind == "r" else _as_timedelta(config["PERMANENT_SESSION_LIFETIME"])
    age = (now.timestamp() if now else time.time()) - int(issued)
    if not -300 <= age <= limit.total_seconds():
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    if kind == "r" and user.is_staff and not config["REMEMBER_STAFF"]:
        return None
    return user


def remember_duration(config) -> timedelta:
    """How long "keep me logged in" lasts: REMEMBER_COOKIE_DURATION, never more than 30 days."""
    return min(_as_timedelta(config["REMEMBER_COOKIE_DURATION"]), MAX_REMEMBER)


def _as_timedelta(value: timedelta | int | float) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=value)
