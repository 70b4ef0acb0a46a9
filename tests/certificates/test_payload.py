"""The QR payload: round trip, canonical bytes, NFC, and refusal of malformed texts (no database)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.certificates.keys import key_id_for, verify_signature
from lms.certificates.payload import (
    PayloadError,
    SignedFields,
    b64url,
    parse_qr_text,
    qr_text,
    signed_message,
)

CODE = "Abcdefghijklmnopqrstuvwxyz012345"
FIELDS = SignedFields(CODE, "STG-2026-00001", "Nguyễn Thị Hương", 1985,
                      "Xây dựng, áp dụng HTQLCL theo TCVN ISO 9001:2015", date(2026, 11, 2),
                      "Sở Khoa học và Công nghệ tỉnh Tiền Giang")


class Cert:
    """Just the attributes qr_text reads, as a Certificate row has them."""

    def __init__(self, fields: SignedFields, key: Ed25519PrivateKey) -> None:
        self.verification_code, self.number, self.holder_name = fields.code, fields.number, fields.holder_name
        self.holder_birth_date = date(fields.birth_year, 4, 17) if fields.birth_year else None
        self.course_title, self.issued_on, self.body_name = fields.course_title, fields.issued_on, fields.body_name
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = key_id_for(raw)
        self.signature = b64url(key.sign(signed_message(fields)))
        self.keys = {self.key_id: raw}


def test_signed_message_is_the_documented_bytes():
    expected = ("LMSCERT1\n" + CODE + "\nSTG-2026-00001\nNguyễn Thị Hương\n1985\n"
                "Xây dựng, áp dụng HTQLCL theo TCVN ISO 9001:2015\n2026-11-02\n"
                "Sở Khoa học và Công nghệ tỉnh Tiền Giang").encode()
    assert signed_message(FIELDS) == expected
    assert signed_message(replace(FIELDS, birth_year=None)).split(b"\n")[4] == b""


def test_qr_round_trip_verifies_offline():
    cert = Cert(FIELDS, Ed25519PrivateKey.generate())
    text = qr_text(cert, "https://lms.example.vn/")
    assert text.startswith(f"https://lms.example.vn/verify/{CODE}?k={cert.key_id}&s=")
    parsed = parse_qr_text(text)
    assert parsed.base_url == "https://lms.example.vn" and parsed.code == CODE and parsed.kid == cert.key_id
    assert parsed.fields == FIELDS
    assert verify_signature(cert.keys, parsed.kid, parsed.message, parsed.signature)
    assert len(text) < 420


def test_nfd_and_nfc_names_sign_the_same_bytes():
    decomposed = replace(FIELDS, holder_name=unicodedata.normalize("NFD", FIELDS.holder_name),
                         body_name=unicodedata.normalize("NFD", FIELDS.body_name))
    assert signed_message(decomposed) == signed_message(FIELDS)


@pytest.mark.parametrize("change", [
    {"number": "STG-2026-00002"}, {"holder_name": "Nguyễn Thị Hướng"}, {"birth_year": 1986},
    {"course_title": "Khóa khác"}, {"issued_on": date(2026, 11, 3)}, {"body_name": "Sở KH&CN tỉnh Long An"},
    {"code": "Zbcdefghijklmnopqrstuvwxyz012345"},
])
def test_every_changed_field_fails_the_signature(change):
    cert = Cert(FIELDS, Ed25519PrivateKey.generate())
    assert not verify_signature(cert.keys, cert.key_id, signed_message(replace(FIELDS, **change)), cert.signature)


def test_a_changed_signature_or_key_fails():
    cert = Cert(FIELDS, Ed25519PrivateKey.generate())
    parsed = parse_qr_text(qr_text(cert, "https://x.vn"))
    flipped = ("B" if parsed.signature[0] == "A" else "A") + parsed.signature[1:]
    assert not verify_signature(cert.keys, parsed.kid, parsed.message, flipped)
    assert not verify_signature(cert.keys, "unknown", parsed.message, parsed.signature)
    other = Cert(FIELDS, Ed25519PrivateKey.generate())
    assert not verify_signature(other.keys, other.key_id, parsed.message, parsed.signature)


@pytest.mark.parametrize("text", [
    "", "not a url", "ftp://x.vn/verify/" + CODE, "https://x.vn/check/" + CODE + "?k=a&s=" + "A" * 86,
    "https://x.vn/verify/short?k=a&s=" + "A" * 86, "https://x.vn/verify/" + CODE + "?s=" + "A" * 86,
    "https://x.vn/verify/" + CODE + "?k=a&s=" + "A" * 10, "https://x.vn/verify/" + CODE + "?k=a&k=b&s=" + "A" * 86,
    "https://x.vn/verify/" + CODE + "?k=a&s=" + "A" * 86 + "&d=" + b64url(b"only\ntwo"),
    "https://x.vn/verify/" + CODE + "?k=a&s=" + "A" * 86 + "&d=" + b64url(b"a\nb\n85\nc\n2026-11-02\nd"),
    "https://x.vn/verify/" + CODE + "?k=a&s=" + "A" * 86 + "&d=" + b64url(b"a\nb\n1985\nc\n02/11/2026\nd"),
    "https://x.vn/verify/" + CODE + "?k=a&s=" + "A" * 86 + "&d=" + b64url(
        unicodedata.normalize("NFD", "a\nHương\n\nc\n2026-11-02\nd").encode()),
    "https://x.vn/verify/" + CODE + "?k=a&s=" + "A" * 86 + "&d=%%%",
])
def test_malformed_qr_texts_are_refused(text):
    with pytest.raises(PayloadError):
        parse_qr_text(text)


def test_the_online_form_without_fields_parses():
    parsed = parse_qr_text(f"https://x.vn/lms/verify/{CODE}?k=abc&s=" + "A" * 86)
    assert parsed.fields is None and parsed.base_url == "https://x.vn/lms"
    with pytest.raises(PayloadError):
        parsed.message  # noqa: B018


def test_fields_with_a_line_break_cannot_be_signed():
    with pytest.raises(PayloadError):
        signed_message(replace(FIELDS, holder_name="Nguyễn\nThị"))


def test_the_documented_test_vector():
    """docs/certificates.md's vector: a verifier written from the page alone must agree with the code."""
    import hashlib
    import re
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "certificates.md").read_text(encoding="utf-8")
    seed = re.search(r"secret key\) `([0-9a-f]{64})`", doc).group(1)
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed))
    fields = replace(FIELDS, code="dAuw8RgYHKe9HDEEyI3Sz1MhzuanSfwG")
    message = signed_message(fields)
    cert = Cert(fields, key)
    text = qr_text(cert, "https://daotaoiso.example.gov.vn")
    assert f"\n{text}\n" in doc and f"{len(text)} characters" in doc
    assert f"the {len(message)} bytes" in doc and hashlib.sha256(message).hexdigest() in doc
    assert f"`{cert.signature}`" in doc and f"`{cert.key_id}`" in doc
    example = re.search(r"Example \(shown as UTF-8.*?```\n(.*?)\n```", doc, re.S).group(1)
    assert example.encode() == message
