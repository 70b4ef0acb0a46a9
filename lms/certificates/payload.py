"""The QR payload of a certificate and the exact bytes its Ed25519 signature covers (pure: no database, no Flask).

docs/certificates.md states the format byte for byte. In short, the QR text is one URL::

    {PUBLIC_BASE_URL}/verify/{code}?k={kid}&s={signature}&d={data}

- ``code``: the certificate's verification code (URL-safe base64 characters, 32 of them from
  ``secrets.token_urlsafe(24)``);
- ``kid``: the id of the signing key in the published JWK set;
- ``signature``: the 64-byte Ed25519 signature, base64url without padding (86 characters);
- ``data``: base64url without padding of the UTF-8 bytes of the six signed fields joined by LF (0x0A):
  number, holder name, year of birth (four digits, or empty), course title, issue date (YYYY-MM-DD),
  issuing body name; all in Unicode NFC, none containing a control character.

The signed message is ``b"LMSCERT1\\n" + code + b"\\n" + base64url_decode(data)``, so a verifier with no
network decodes ``data``, rebuilds the message, and checks the signature with the key ``kid``.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlsplit

MESSAGE_PREFIX = b"LMSCERT1"
FIELD_SEPARATOR = "\n"
FIELD_NAMES = ("number", "holder_name", "birth_year", "course_title", "issued_on", "body_name")
_CODE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_KID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class PayloadError(ValueError):
    """A QR text or a field that does not follow the format (the message says what is wrong, in English)."""


@dataclass(frozen=True)
class SignedFields:
    """What the signature covers: the verification code and the six fields printed on the certificate."""

    code: str
    number: str
    holder_name: str
    birth_year: int | None
    course_title: str
    issued_on: date
    body_name: str

    def as_lines(self) -> list[str]:
        return [_clean(self.number, "number"), _clean(self.holder_name, "holder_name"),
                "" if self.birth_year is None else f"{self.birth_year:04d}", _clean(self.course_title, "course_title"),
                self.issued_on.isoformat(), _clean(self.body_name, "body_name")]

    def data_bytes(self) -> bytes:
        """The UTF-8 bytes carried (base64url) in the QR's ``d`` parameter."""
        return FIELD_SEPARATOR.join(self.as_lines()).encode("utf-8")


@dataclass(frozen=True)
class ParsedQr:
    """A QR text taken apart; ``fields`` is None when the text carries no ``d`` (the online form)."""

    base_url: str
    code: str
    kid: str
    signature: str  # base64url, no padding
    fields: SignedFields | None

    @property
    def message(self) -> bytes:
        if self.fields is None:
            raise PayloadError("the QR text carries no signed fields (no d parameter)")
        return signed_message(self.fields)


def _clean(text: str, name: str) -> str:
    value = unicodedata.normalize("NFC", text or "")
    if _CONTROL.search(value):
        raise PayloadError(f"{name} contains a control character or line break")
    return value


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text or "") or len(text) % 4 == 1:
        raise PayloadError("not base64url text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise PayloadError("not base64url text") from error


def signed_message(fields: SignedFields) -> bytes:
    """The exact bytes signed: b"LMSCERT1" LF code LF number LF name LF year LF course LF date LF body."""
    if not _CODE.match(fields.code or ""):
        raise PayloadError("the verification code must be 16 to 64 URL-safe base64 characters")
    return MESSAGE_PREFIX + b"\n" + fields.code.encode("ascii") + b"\n" + fields.data_bytes()


def fields_from_data(code: str, data: bytes) -> SignedFields:
    """The six fields from the bytes of ``d``; refuses anything that would not sign to the same bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PayloadError("the signed fields are not UTF-8") from error
    parts = text.split(FIELD_SEPARATOR)
    if len(parts) != len(FIELD_NAMES):
        raise PayloadError(f"the signed data holds {len(parts)} fields, not {len(FIELD_NAMES)}")
    number, name, year, course, issued, body = parts
    if year and not re.fullmatch(r"\d{4}", year):
        raise PayloadError("the year of birth must be four digits or empty")
    try:
        issued_on = date.fromisoformat(issued) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", issued) else None
    except ValueError:
        issued_on = None
    if issued_on is None:
        raise PayloadError("the issue date must be YYYY-MM-DD")
    fields = SignedFields(code, number, name, int(year) if year else None, course, issued_on, body)
    if fields.data_bytes() != data:
        raise PayloadError("the signed fields are not in canonical form (Unicode NFC, no control characters)")
    return fields


def fields_from_certificate(certificate) -> SignedFields:
    """The signed fields of a Certificate (any object with its attribute names)."""
    birth = certificate.holder_birth_date
    return SignedFields(certificate.verification_code, certificate.number, certificate.holder_name, birth.year if birth else None,
                        certificate.course_title, certificate.issued_on, certificate.body_name)


def certificate_message(certificate) -> bytes:
    """The bytes a Certificate's signature covers."""
    return signed_message(fields_from_certificate(certificate))


def verify_url(base_url: str, code: str) -> str:
    """The short address printed under the QR code, for those who type it."""
    return f"{base_url.rstrip('/')}/verify/{code}"


def qr_text(certificate, base_url: str) -> str:
    """The whole text of the QR code: the verify address with the key id, the signature and the signed fields."""
    data = b64url(fields_from_certificate(certificate).data_bytes())
    return f"{verify_url(base_url, certificate.verification_code)}?k={certificate.key_id}&s={certificate.signature}&d={data}"


def parse_qr_text(text: str) -> ParsedQr:
    """Take a scanned QR text apart; raises PayloadError saying what is wrong."""
    parts = urlsplit((text or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PayloadError("the QR text is not an http(s) address")
    prefix, marker, code = parts.path.rpartition("/verify/")
    if not marker or not _CODE.match(code):
        raise PayloadError("the address has no /verify/<code> part")
    query = parse_qs(parts.query, keep_blank_values=True)
    if any(len(values) != 1 for values in query.values()):
        raise PayloadError("a parameter appears more than once")
    kid, signature = query.get("k", [""])[0], query.get("s", [""])[0]
    if not _KID.match(kid):
        raise PayloadError("the key id (k) is missing or malformed")
    if len(b64url_decode(signature)) != 64:
        raise PayloadError("the signature (s) is not 64 bytes of base64url")
    fields = fields_from_data(code, b64url_decode(query["d"][0])) if "d" in query else None
    return ParsedQr(f"{parts.scheme}://{parts.netloc}{prefix}", code, kid, signature, fields)
