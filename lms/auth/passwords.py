"""Password hashing with Argon2id, and the password rules users are told about."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 8
# No 0/O, 1/l/I: temporary passwords are read aloud or printed for commune staff.
_READABLE = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(time_cost=config["PASSWORD_TIME_COST"], memory_cost=config["PASSWORD_MEMORY_COST"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_dummy_hashes: dict[tuple[int, int], str] = {}


def dummy_hash() -> str:
    """A hash of a random password with today's cost, verified for unknown login names so they cost the same."""
    config = current_app.config
    cost = (config["PASSWORD_TIME_COST"], config["PASSWORD_MEMORY_COST"])
    if cost not in _dummy_hashes:
        _dummy_hashes[cost] = hash_password(secrets.token_urlsafe(16))
    return _dummy_hashes[cost]


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def temporary_password(length: int = 10) -> str:
    return "".join(secrets.choice(_READABLE) for _ in range(length))
