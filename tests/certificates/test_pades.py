"""PAdES: the body's PKCS#12 checked on upload, sealed at rest, and a signed PDF that pyHanko validates."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from lms.certificates import pades
from lms.certificates.keys import KeyUnavailable
from lms.certificates.pdf import render_certificate
from tests.certificates.samples import facts
from tests.certificates.signing_certificate import make_pkcs12

NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


def _validated(signed: bytes, certificate):
    trust_root = asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
    [signature] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[trust_root]))


def test_signed_pdf_validates_against_the_uploaded_certificate() -> None:
    data, certificate = make_pkcs12()
    plain = pades.checked_pkcs12(data, "mat-khau-p12", now=NOW)
    unsigned = render_certificate(facts())
    signed = pades.sign_pdf(unsigned, plain, reason="Giấy chứng nhận STTG-2021-00042", location="Tiền Giang")
    status = _validated(signed, certificate)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert "Sở Khoa học và Công nghệ tỉnh Tiền Giang" in status.signing_cert.subject.human_friendly
    assert signed.startswith(unsigned)  # the rendering whose hash is stored, with the signature appended


def test_a_changed_byte_breaks_the_signature() -> None:
    data, certificate = make_pkcs12()
    signed = pades.sign_pdf(render_certificate(facts()), pades.checked_pkcs12(data, "mat-khau-p12", now=NOW),
                            reason="x", location="y")
    index = signed.index(b"Tr")  # inside the signed first revision
    tampered = signed[:index] + b"X" + signed[index + 1:]
    assert not _validated(tampered, certificate).intact


def test_sealed_at_rest_and_bound_to_the_body() -> None:
    plain = pades.checked_pkcs12(make_pkcs12()[0], "mat-khau-p12", now=NOW)
    stored = pades.sealed(plain, secret="s3cret", body_id=7)
    assert plain not in stored and pades.unsealed(stored, secret="s3cret", body_id=7) == plain
    with pytest.raises(KeyUnavailable):  # another body's row, or another SECRET_KEY, does not open it
        pades.unsealed(stored, secret="s3cret", body_id=8)
    assert pades.identity(plain).subject.startswith("CN=Sở Khoa học")


@pytest.mark.parametrize(("data", "password", "message"), [
    (b"", "x", "Choose the PKCS#12 file"),
    (b"not a pkcs12 file at all", "x", "not a PKCS#12"),
    (None, "wrong password", "not a PKCS#12"),
    (b"0" * (pades.MAX_PKCS12_BYTES + 1), "x", "larger than"),
])
def test_bad_uploads_are_refused_with_a_reason(data, password: str, message: str) -> None:
    with pytest.raises(pades.SigningCertificateRejected, match=message):
        pades.checked_pkcs12(make_pkcs12()[0] if data is None else data, password, now=NOW)


def test_an_expired_certificate_is_refused() -> None:
    data, _certificate = make_pkcs12(days=30)
    with pytest.raises(pades.SigningCertificateRejected, match="valid only from 01/01/2026 to 31/01/2026"):
        pades.checked_pkcs12(data, "mat-khau-p12", now=NOW)
