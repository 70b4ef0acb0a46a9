"""Zoom's webhook signature (v0) and URL-validation answer: pure functions over bytes, no Flask."""

from __future__ import annotations

import hashlib
import hmac

MAX_CLOCK_SKEW_SECONDS = 300


def _hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """"v0=" + hex HMAC-SHA256(secret, "v0:{timestamp}:{raw body}"), as Zoom sends in x-zm-signature."""
    return "v0=" + _hmac_hex(secret, b"v0:" + timestamp.encode("ascii") + b":" + body)


def timestamp_is_fresh(timestamp: str | None, now_seconds: float) -> bool:
    """A decimal Unix time (seconds) at most five minutes from now, either way."""
    if not timestamp or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    return abs(int(timestamp) - now_seconds) <= MAX_CLOCK_SKEW_SECONDS


def is_signed(secret: str, *, timestamp: str | None, signature: str | None, body: bytes, now_seconds: float) -> bool:
    """True only for a fresh timestamp and a matching signature (compared in constant time)."""
    if not signature or not timestamp_is_fresh(timestamp, now_seconds):
        return False
    return hmac.compare_digest(sign(secret, timestamp, body).encode(), signature.encode("utf-8", "replace"))


def url_validation_answer(secret: str, plain_token: str) -> dict[str, str]:
    """The answer to endpoint.url_validation: the plain token and its hex HMAC-SHA256 under the secret."""
    return {"plainToken": plain_token, "encryptedToken": _hmac_hex(secret, plain_token.encode())}
