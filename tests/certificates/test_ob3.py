"""Open Badges 3.0 export: the credential validates against the OB3 schema and its VC-JWT verifies with the JWK set."""

from __future__ import annotations

import base64
import json

import jsonschema_rs
import pytest

from lms.certificates import ob3
from lms.certificates.keys import public_jwks, verify_signature
from tests.certificates.conftest import BASE_URL, NOW, SECRET, issue
from tests.conftest import FIXTURES

SCHEMA = json.loads((FIXTURES / "ob3" / "ob_v3p0_openbadgecredential_schema.json").read_text(encoding="utf-8"))


def _validator():
    return jsonschema_rs.Draft202012Validator(SCHEMA, validate_formats=True)


def _part(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def test_credential_validates_against_the_ob3_schema(db_session, finished) -> None:
    certificate = issue(db_session, finished)
    document = ob3.credential(certificate, base_url=BASE_URL)
    _validator().validate(document)
    assert document["credentialSubject"]["identifier"][0]["identityHash"] == "Nguyễn Thị Hương"
    assert document["id"] == f"{BASE_URL}/verify/{certificate.verification_code}"


@pytest.mark.parametrize("broken", [
    lambda d: d.pop("issuanceDate"),
    lambda d: d["credentialSubject"]["achievement"].pop("criteria"),
    lambda d: d.update(type=["VerifiableCredential"]),
    lambda d: d["issuer"].pop("id"),
    lambda d: d.update({"@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"] * 2}),
    lambda d: d.update(issuanceDate="02/11/2026"),
])
def test_the_schema_refuses_a_credential_missing_a_required_part(db_session, finished, broken) -> None:
    document = ob3.credential(issue(db_session, finished), base_url=BASE_URL)
    broken(document)
    assert not _validator().is_valid(document)


def test_vc_jwt_is_eddsa_signed_by_the_published_key_and_carries_the_credential(db_session, finished) -> None:
    certificate = issue(db_session, finished)
    exported = ob3.export(db_session, certificate, base_url=BASE_URL, secret=SECRET, now=NOW)
    header_segment, claims_segment, signature = exported["jwt"].split(".")
    header, claims = _part(header_segment), _part(claims_segment)
    assert header["alg"] == "EdDSA" and header["kid"].startswith(f"{BASE_URL}/.well-known/lms-certificate-keys.json#")
    kid = header["kid"].rsplit("#", 1)[1]
    assert verify_signature(public_jwks(db_session), kid, f"{header_segment}.{claims_segment}".encode(), signature)
    assert claims["vc"] == exported["credential"] and claims["jti"] == exported["credential"]["id"]
    assert ob3.export(db_session, certificate, base_url=BASE_URL, secret=SECRET, now=NOW) == exported
    forged = f"{header_segment}.{claims_segment[:-2]}xx"
    assert not verify_signature(public_jwks(db_session), kid, forged.encode(), signature)
