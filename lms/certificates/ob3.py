"""A certificate as an Open Badges 3.0 OpenBadgeCredential, with a VC-JWT proof signed by the QR's Ed25519 key.

The credential follows OB 3.0 on the W3C VC Data Model 1.1 (contexts, `issuanceDate`, `expirationDate`). Its
proof is the JWT of OB 3.0 section 8.2 ("JSON Web Token Proof Format"): header {"alg": "EdDSA", "typ": "JWT",
"kid"}, payload {"iss", "jti", "nbf", ["exp"], "vc": credential}, signed with the current key of
/.well-known/lms-certificate-keys.json (the same keys as the QR codes). The same certificate exported twice with
the same key gives the same bytes (Ed25519 signatures are deterministic).
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from lms.certificates.keys import current_key, sign
from lms.certificates.models import Certificate
from lms.certificates.payload import b64url, verify_url

CONTEXTS = ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
KEYS_PATH = "/.well-known/lms-certificate-keys.json"


def _urn(base_url: str, *parts: object) -> str:
    """A stable urn:uuid for something that has no page of its own (the issuer, the achievement)."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join([base_url.rstrip("/"), *map(str, parts)])))


def _instant(day: date) -> str:
    return datetime.combine(day, time(0, 0), TIMEZONE).isoformat()


def credential(certificate: Certificate, *, base_url: str) -> dict:
    """The OpenBadgeCredential of a certificate (its id is the certificate's public verify address)."""
    period = ""
    if certificate.class_starts_on and certificate.class_ends_on:
        period = f" ({certificate.class_starts_on:%d/%m/%Y} – {certificate.class_ends_on:%d/%m/%Y})"
    hours = f", {certificate.hours} giờ" if certificate.hours else ""
    achievement = {
        "id": _urn(base_url, "achievement", certificate.organising_body_id, certificate.class_id),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": certificate.course_title,
        "description": f"Hoàn thành khóa đào tạo «{certificate.course_title}», lớp {certificate.class_name}"
                       f"{period}{hours}.",
        "criteria": {"narrative": "Đạt bài kiểm tra cuối khóa của lớp (và điều kiện chuyên cần nếu lớp có điểm danh)."},
        "creator": {"id": _urn(base_url, "body", certificate.organising_body_id), "type": ["Profile"],
                    "name": certificate.body_name},
    }
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                        "identityHash": certificate.holder_name}],
        "achievement": achievement,
    }
    if certificate.result_text:
        subject["result"] = [{"type": ["Result"], "value": certificate.result_text}]
    document = {
        "@context": CONTEXTS,
        "id": verify_url(base_url, certificate.verification_code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Giấy chứng nhận {certificate.number}",
        "issuer": {"id": _urn(base_url, "body", certificate.organising_body_id), "type": ["Profile"],
                   "name": certificate.body_name},
        "issuanceDate": _instant(certificate.issued_on),
        "credentialSubject": subject,
    }
    if certificate.expires_on:
        document["expirationDate"] = datetime.combine(certificate.expires_on, time(23, 59, 59), TIMEZONE).isoformat()
    return document


def vc_jwt(db: Session, document: dict, *, base_url: str, secret: str, now: datetime) -> str:
    """The credential as a compact VC-JWT signed with EdDSA (Ed25519) by the current certificate key."""
    kid = current_key(db, secret, now).key_id
    header = {"alg": "EdDSA", "typ": "JWT", "kid": f"{base_url.rstrip('/')}{KEYS_PATH}#{kid}"}
    claims = {"iss": document["issuer"]["id"], "jti": document["id"],
              "nbf": int(datetime.fromisoformat(document["issuanceDate"]).timestamp()), "vc": document}
    if "expirationDate" in document:
        claims["exp"] = int(datetime.fromisoformat(document["expirationDate"]).timestamp())
    signing_input = f"{_segment(header)}.{_segment(claims)}"
    signed_kid, signature = sign(db, signing_input.encode("ascii"), secret=secret, now=now)
    if signed_kid != kid:
        raise RuntimeError("the signing key changed while the credential was being signed")
    return f"{signing_input}.{signature}"


def _segment(value: dict) -> str:
    return b64url(json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def export(db: Session, certificate: Certificate, *, base_url: str, secret: str, now: datetime) -> dict:
    """What the download holds: the credential and its VC-JWT (the form a wallet imports)."""
    document = credential(certificate, base_url=base_url)
    return {"credential": document, "jwt": vc_jwt(db, document, base_url=base_url, secret=secret, now=now)}
