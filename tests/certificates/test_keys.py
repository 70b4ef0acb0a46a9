"""Signing keys: created on demand, encrypted at rest, rotated, published as a JWK set that keeps old keys."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.certificates import keys
from lms.certificates.models import SigningKey
from tests.certificates.conftest import NOW, SECRET


def test_first_key_is_created_on_demand_and_reused(db_session):
    first = keys.current_key(db_session, SECRET, NOW)
    assert keys.current_key(db_session, SECRET, NOW) is first
    assert len(first.public_key) == 32 and len(first.key_id) == 8
    raw = keys.private_key(first, SECRET).private_bytes_raw()
    assert raw not in first.private_key_encrypted


def test_private_key_needs_the_same_secret(db_session):
    key = keys.current_key(db_session, SECRET, NOW)
    with pytest.raises(keys.KeyUnavailable):
        keys.private_key(key, "another-secret")


def test_sign_and_verify_against_the_jwks(db_session):
    kid, signature = keys.sign(db_session, b"hello", secret=SECRET, now=NOW)
    jwks = keys.public_jwks(db_session)
    assert jwks["keys"][0]["kid"] == kid and jwks["keys"][0]["kty"] == "OKP" and jwks["keys"][0]["crv"] == "Ed25519"
    assert "d" not in jwks["keys"][0]
    assert keys.verify_signature(jwks, kid, b"hello", signature)
    assert keys.verify_signature(db_session.query(SigningKey).all(), kid, b"hello", signature)
    assert not keys.verify_signature(jwks, kid, b"hellO", signature)
    assert not keys.verify_signature(jwks, kid, b"hello", "not base64!")


def test_rotation_keeps_old_keys_listed_after_the_current_one(db_session):
    old_kid, old_signature = keys.sign(db_session, b"old", secret=SECRET, now=NOW)
    new = keys.rotate_key(db_session, SECRET, NOW + timedelta(days=1))
    new_kid, _ = keys.sign(db_session, b"new", secret=SECRET, now=NOW + timedelta(days=2))
    assert new_kid == new.key_id != old_kid
    jwks = keys.public_jwks(db_session)
    assert [entry["kid"] for entry in jwks["keys"]] == [new_kid, old_kid]
    assert jwks["keys"][1]["lms_status"] == "retired"
    assert keys.verify_signature(jwks, old_kid, b"old", old_signature)


def test_seal_is_bound_to_purpose_and_associated_data():
    sealed = keys.seal(SECRET, b"pkcs12 bytes", purpose="body pkcs12", associated=b"7")
    assert keys.unseal(SECRET, sealed, purpose="body pkcs12", associated=b"7") == b"pkcs12 bytes"
    for purpose, associated in (("other", b"7"), ("body pkcs12", b"8")):
        with pytest.raises(keys.KeyUnavailable):
            keys.unseal(SECRET, sealed, purpose=purpose, associated=associated)
