"""Accounts and roles."""

from __future__ import annotations

import secrets
import time
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, utcnow

if TYPE_CHECKING:
    from lms.organisations.models import OrganisingBody, WorkUnit


class Role(StrEnum):
    ADMIN = "admin"
    ORGANISER = "organiser"
    TRAINER = "trainer"
    TRAINEE = "trainee"


STAFF_ROLES = (Role.ADMIN, Role.ORGANISER, Role.TRAINER)


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    full_name_folded: Mapped[str] = mapped_column(String(120), index=True)
    date_of_birth: Mapped[date | None]
    position: Mapped[str] = mapped_column(String(120), default="")
    gender: Mapped[str | None] = mapped_column(String(8))  # Gender values; None when not given
    work_unit_id: Mapped[int | None] = mapped_column(ForeignKey("work_units.id"), index=True)
    organising_body_id: Mapped[int | None] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # The session version: rotated at log-out, password change and reset, so every session of the account ends.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Wrong passwords given for this account since its last successful log-in, told to the owner then.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    last_failed_login_at: Mapped[datetime | None]
    last_failed_login_from: Mapped[str | None] = mapped_column(String(64))

    work_unit: Mapped[WorkUnit | None] = relationship()
    organising_body: Mapped[OrganisingBody | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.active

    # Set by lms.auth.views._log_in just before Flask-Login stores get_id() in the session and remember cookies.
    remembered = False

    def get_id(self) -> str:
        """What the cookies carry: id, session version, log-in time and kind (r: remember-me, s: this browser session)."""
        return f"{self.id}:{self.session_token}:{int(time.time())}:{'r' if self.remembered else 's'}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginFailureCount(Base):
    """Failed log-ins counted under one key (an account+address pair or an address) when Redis is not set."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime]
    last_failure_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
