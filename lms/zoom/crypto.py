"""Zoom secret tokens encrypted at rest (Fernet) with a key derived from SECRET_KEY by HKDF-SHA256."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_SALT = b"lms.zoom.webhook-token"
_INFO = b"fernet key v1"


class TokenUnreadable(Exception):
    """The stored token was encrypted under another SECRET_KEY (or is damaged): set it again."""


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_token(token: str, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(token.encode()).decode("ascii")


def decrypt_token(ciphertext: str, secret_key: str) -> str:
    try:
        return _fernet(secret_key).decrypt(ciphertext.encode("ascii")).decode()
    except (InvalidToken, ValueError, UnicodeError) as error:
        raise TokenUnreadable() from error
