"""Public verification of a certificate: its status, what may be shown, the scanned signature, and the check log.

A public verification shows the minimum that lets an official recognise the holder: name, year of birth (never
the full date), work unit, course, class dates, hours, issuing body, number, issue and expiry dates, and for a
revoked certificate the date and reason. Each check is logged with a keyed hash of the client's address (HMAC-
SHA256 under a key derived from SECRET_KEY, so the log holds no address and the hash cannot be reversed by
trying every address without the secret) and the user agent cut to 255 characters.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from lms.certificates.keys import derive_key, published_key, signature_matches
from lms.certificates.models import Certificate, CertificateCheck, CertificateStatus
from lms.certificates.payload import (
    PayloadError,
    b64url_decode,
    certificate_message,
    fields_from_certificate,
    verify_url,
)
from lms.text import clean_line, fold

ADDRESS_PURPOSE = "lms certificate check address v1"
MAX_CODE_LENGTH = 64


class SignatureState:
    MATCHES = "matches"  # the scanned signature is this certificate's, over exactly the recorded facts
    MISMATCH = "mismatch"  # a signature was given and it does not match (forged, altered or another certificate's)
    ABSENT = "absent"  # the address had no signature (typed by hand, or the form)


@dataclass
class Verification:
    status: str
    certificate: Certificate | None = None
    replacement: Certificate | None = None  # the current certificate that supersedes this one
    signature: str = SignatureState.ABSENT


_BY_CODE = select(Certificate).where(Certificate.verification_code == bindparam("code"))  # built once: every check


def find_by_code(db: Session, code: str) -> Certificate | None:
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    return db.scalar(_BY_CODE, {"code": code})


def find_by_number(db: Session, number: str, holder_name: str) -> Certificate | None:
    """The certificate with this number whose holder's name matches, ignoring case, accents and spacing."""
    number, wanted = clean_line(number), fold(holder_name)
    if not number or not wanted or len(number) > 64:
        return None
    found = db.scalar(select(Certificate).where(func.upper(Certificate.number) == number.upper()))
    return found if found is not None and fold(found.holder_name) == wanted else None


def final_replacement(db: Session, certificate: Certificate) -> Certificate | None:
    """Following the chain of re-issues, the newest certificate (None if this one was not superseded)."""
    seen, current = {certificate.id}, certificate
    while current.superseded_by_id is not None and current.superseded_by_id not in seen:
        seen.add(current.superseded_by_id)
        current = db.get(Certificate, current.superseded_by_id)
    return current if current is not certificate else None


def signature_state(db: Session, certificate: Certificate, kid: str | None, signature: str | None,
                    data: str | None = None) -> str:
    """Whether a scanned k/s (and d, when given) are this certificate's signature over its recorded facts."""
    if not kid and not signature:
        return SignatureState.ABSENT
    if not kid or not signature or len(kid) > 32 or len(signature) > 128:
        return SignatureState.MISMATCH
    if data is not None:
        try:
            if b64url_decode(data) != fields_from_certificate(certificate).data_bytes():
                return SignatureState.MISMATCH
        except PayloadError:
            return SignatureState.MISMATCH
    public = published_key(db, kid)
    ok = public is not None and signature_matches(public, certificate_message(certificate), signature)
    return SignatureState.MATCHES if ok else SignatureState.MISMATCH


def verify(db: Session, certificate: Certificate | None, *, today: date, kid: str | None = None,
           signature: str | None = None, data: str | None = None) -> Verification:
    """The status of a certificate (or NOT FOUND) on ``today``, with the scanned signature judged."""
    if certificate is None:
        return Verification(CertificateStatus.NOT_FOUND)
    status = certificate.status_on(today)
    replacement = final_replacement(db, certificate) if status == CertificateStatus.SUPERSEDED else None
    return Verification(status, certificate, replacement, signature_state(db, certificate, kid, signature, data))


def public_facts(certificate: Certificate, base_url: str) -> dict:
    """What anyone may see of a certificate (dates as ISO text); never the full date of birth."""
    birth = certificate.holder_birth_date
    return {
        "number": certificate.number, "holder_name": certificate.holder_name,
        "birth_year": birth.year if birth else None, "work_unit": certificate.holder_unit,
        "course_title": certificate.course_title, "class_starts_on": _iso(certificate.class_starts_on),
        "class_ends_on": _iso(certificate.class_ends_on), "hours": certificate.hours,
        "issuing_body": certificate.body_name, "issued_on": _iso(certificate.issued_on),
        "expires_on": _iso(certificate.expires_on), "verify_url": verify_url(base_url, certificate.verification_code),
    }


def public_json(result: Verification, base_url: str) -> dict:
    """The body of GET /verify/<code>.json (see docs/certificates.md)."""
    body: dict = {"status": str(result.status), "signature": result.signature, "certificate": None}
    if result.certificate is not None:
        body["certificate"] = public_facts(result.certificate, base_url)
        if result.status == CertificateStatus.REVOKED:
            body["revoked"] = {"on": _iso(result.certificate.revoked_on), "reason": result.certificate.revoked_reason}
        if result.replacement is not None:
            body["superseded_by"] = {"number": result.replacement.number,
                                     "verify_url": verify_url(base_url, result.replacement.verification_code)}
    return body


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@lru_cache(maxsize=4)
def _address_key(secret: str) -> bytes:
    return derive_key(secret, ADDRESS_PURPOSE)


def address_hash(address: str, secret: str) -> str:
    return hmac.new(_address_key(secret), (address or "").encode(), "sha256").hexdigest()


def check_row(result: Verification, *, code: str, address: str, user_agent: str, channel: str, secret: str,
              now: datetime) -> dict:
    """One check-log row: when, which code and certificate, the result, the hashed address and the user agent."""
    return {"certificate_id": result.certificate.id if result.certificate else None,
            "code": (code or "")[:MAX_CODE_LENGTH], "checked_at": now, "address_hash": address_hash(address, secret),
            "user_agent": (user_agent or "")[:255], "result": str(result.status), "channel": channel}


def check_counts(db: Session, certificate_ids: list[int]) -> dict[int, int]:
    """How many times each certificate was checked (page, JSON or form); certificates never checked are absent."""
    if not certificate_ids:
        return {}
    rows = db.execute(select(CertificateCheck.certificate_id, func.count()).where(
        CertificateCheck.certificate_id.in_(certificate_ids)).group_by(CertificateCheck.certificate_id))
    return {certificate_id: total for certificate_id, total in rows}


def last_checked(db: Session, certificate_ids: list[int]) -> dict[int, datetime]:
    """When each certificate was last checked, for the staff's register."""
    if not certificate_ids:
        return {}
    rows = db.execute(select(CertificateCheck.certificate_id, func.max(CertificateCheck.checked_at)).where(
        CertificateCheck.certificate_id.in_(certificate_ids)).group_by(CertificateCheck.certificate_id))
    return dict(rows.all())
