"""Ed25519 keys that sign certificate QR payloads: private keys encrypted at rest, public keys as a JWK set.

Private keys are sealed with AES-256-GCM under a key derived from SECRET_KEY by HKDF-SHA256 (info
"lms certificate signing key v1", the key id as associated data): changing SECRET_KEY makes the stored
private keys unreadable (rotate with `flask lms certificates rotate-key` after such a change; the old public
keys stay published, so issued certificates keep verifying). `seal`/`unseal` serve other secrets too (a body's
PKCS#12 file) with their own `purpose`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from datetime import datetime

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.certificates.models import SigningKey
from lms.certificates.payload import PayloadError, b64url, b64url_decode

SIGNING_KEY_PURPOSE = "lms certificate signing key v1"
_NONCE_BYTES = 12


class KeyUnavailable(RuntimeError):
    """The current private key cannot be decrypted (SECRET_KEY changed): rotate the key."""


def derive_key(secret: str, purpose: str) -> bytes:
    if not secret:
        raise KeyUnavailable("SECRET_KEY is empty")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode("utf-8")).derive(
        secret.encode("utf-8"))


def seal(secret: str, data: bytes, *, purpose: str, associated: bytes = b"") -> bytes:
    """Encrypt ``data`` with a key derived from ``secret`` for ``purpose``: 12-byte nonce + AES-GCM ciphertext."""
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(derive_key(secret, purpose)).encrypt(nonce, data, associated)


def unseal(secret: str, sealed: bytes, *, purpose: str, associated: bytes = b"") -> bytes:
    """The data `seal` encrypted; raises KeyUnavailable if the secret, purpose or associated data differ."""
    try:
        return AESGCM(derive_key(secret, purpose)).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], associated)
    except (InvalidTag, ValueError) as error:
        raise KeyUnavailable("the sealed data cannot be decrypted with this SECRET_KEY") from error


def key_id_for(public_raw: bytes) -> str:
    """The key id: base64url of the first 6 bytes of SHA-256 of the raw public key (8 characters)."""
    return b64url(hashlib.sha256(public_raw).digest()[:6])


def _new_key(db: Session, secret: str, now: datetime) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    public_raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    private_raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                        serialization.NoEncryption())
    kid = key_id_for(public_raw)
    key = SigningKey(key_id=kid, public_key=public_raw, created_at=now,
                     private_key_encrypted=seal(secret, private_raw, purpose=SIGNING_KEY_PURPOSE,
                                                associated=kid.encode("ascii")))
    db.add(key)
    db.flush()
    return key


def current_key(db: Session, secret: str, now: datetime) -> SigningKey:
    """The key that signs now (the newest not retired); the first one is created on demand."""
    key = db.scalar(select(SigningKey).where(SigningKey.retired_at.is_(None))
                    .order_by(SigningKey.created_at.desc(), SigningKey.key_id).limit(1))
    return key or _new_key(db, secret, now)


def rotate_key(db: Session, secret: str, now: datetime) -> SigningKey:
    """Retire every active key and create a new current one; retired keys stay published for verification."""
    for key in db.scalars(select(SigningKey).where(SigningKey.retired_at.is_(None))):
        key.retired_at = now
    db.flush()
    return _new_key(db, secret, now)


def private_key(key: SigningKey, secret: str) -> Ed25519PrivateKey:
    raw = unseal(secret, key.private_key_encrypted, purpose=SIGNING_KEY_PURPOSE, associated=key.key_id.encode())
    return Ed25519PrivateKey.from_private_bytes(raw)


def sign(db: Session, message: bytes, *, secret: str, now: datetime) -> tuple[str, str]:
    """Sign with the current key: (key id, signature as base64url without padding)."""
    key = current_key(db, secret, now)
    return key.key_id, b64url(private_key(key, secret).sign(message))


def _ordered_keys(db: Session) -> list[SigningKey]:
    keys = db.scalars(select(SigningKey)).all()
    # Current (not retired) keys first, newest first; then retired keys, most recently retired first.
    return sorted(keys, key=lambda k: (k.retired_at is not None, -(k.retired_at or k.created_at).timestamp(),
                                       -k.created_at.timestamp(), k.key_id))


def jwk(key: SigningKey) -> dict:
    """One public key as an RFC 8037 JWK; `lms_status` says whether it still signs (extra members are allowed)."""
    entry = {"kty": "OKP", "crv": "Ed25519", "x": b64url(key.public_key), "kid": key.key_id, "use": "sig",
             "alg": "EdDSA", "lms_created": key.created_at.isoformat(timespec="seconds"),
             "lms_status": "retired" if key.retired_at else "current"}
    if key.retired_at:
        entry["lms_retired"] = key.retired_at.isoformat(timespec="seconds")
    return entry


def public_jwks(db: Session) -> dict:
    """The JWK set published at /.well-known/lms-certificate-keys.json: current key first, retired keys kept."""
    return {"keys": [jwk(key) for key in _ordered_keys(db)]}


def _public_keys(keys) -> dict[str, bytes]:
    """kid -> raw public key from a JWK set, a {kid: raw bytes | Ed25519PublicKey} mapping, or SigningKey rows."""
    if isinstance(keys, Mapping) and "keys" in keys:
        found = {}
        for entry in keys.get("keys") or []:
            if isinstance(entry, Mapping) and entry.get("kty") == "OKP" and entry.get("crv") == "Ed25519":
                try:
                    found[str(entry.get("kid"))] = b64url_decode(str(entry.get("x", "")))
                except PayloadError:
                    continue
        return found
    if isinstance(keys, Mapping):
        return {kid: (value.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
                      if isinstance(value, Ed25519PublicKey) else bytes(value)) for kid, value in keys.items()}
    if isinstance(keys, Iterable):
        return {key.key_id: bytes(key.public_key) for key in keys}
    raise TypeError("keys must be a JWK set, a mapping of key ids or SigningKey rows")


_public_key_cache: dict[str, Ed25519PublicKey] = {}


def published_key(db: Session, kid: str) -> Ed25519PublicKey | None:
    """The public key ``kid`` names, read from the database once per process.

    Only a key whose id is the hash of its own public key (`key_id_for`, as every key made here) is kept: such an
    id can never name another key, and keys are never deleted (retired keys stay published), so the cached key is
    always the stored one. An unknown id is looked up each time (a key made by another worker since is found).
    """
    cached = _public_key_cache.get(kid)
    if cached is not None:
        return cached
    public_raw = db.scalar(select(SigningKey.public_key).where(SigningKey.key_id == kid))
    if public_raw is None or len(public_raw) != 32:
        return None
    public = Ed25519PublicKey.from_public_bytes(bytes(public_raw))
    if key_id_for(bytes(public_raw)) == kid:
        _public_key_cache[kid] = public
    return public


def signature_matches(public: Ed25519PublicKey, message: bytes, signature: str) -> bool:
    """True when ``signature`` (base64url) is ``public``'s Ed25519 signature of ``message``."""
    try:
        public.verify(b64url_decode(signature), message)
    except (InvalidSignature, PayloadError, ValueError):
        return False
    return True


def verify_signature(jwks_or_keys, kid: str, message: bytes, signature: str | bytes) -> bool:
    """True when ``signature`` (base64url text or raw bytes) is the key ``kid``'s Ed25519 signature of ``message``."""
    public_raw = _public_keys(jwks_or_keys).get(kid)
    if public_raw is None or len(public_raw) != 32:
        return False
    try:
        raw_signature = b64url_decode(signature) if isinstance(signature, str) else bytes(signature)
        Ed25519PublicKey.from_public_bytes(public_raw).verify(raw_signature, message)
    except (InvalidSignature, PayloadError, ValueError):
        return False
    return True
