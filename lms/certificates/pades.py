"""PAdES signatures on certificate PDFs with the organising body's own PKCS#12 (pyHanko), sealed at rest.

The uploaded PKCS#12 is opened with its password once, checked (a private key matching a certificate that is
valid now), re-packed without a password and sealed (AES-GCM, key derived from SECRET_KEY, bound to the body's
id) before it is stored. Signing appends an incremental update to the rendered PDF, so the signed file begins
with the exact bytes of the unsigned rendering whose hash the certificate keeps; the signature itself (and its
signing time, from the clock) differs on every download.
"""

from __future__ import annotations

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from lms.certificates.keys import seal, unseal
from lms.forms import N_

MAX_PKCS12_BYTES = 64 * 1024
PURPOSE = "certificate-pkcs12"


class SigningCertificateRejected(ValueError):
    """An uploaded PKCS#12 that cannot sign; `message` says why in English (the view translates it)."""

    def __init__(self, message: str, **values):
        super().__init__(message % values if values else message)
        self.message = message
        self.values = values


@dataclass(frozen=True)
class SigningIdentity:
    """What the settings page shows of the signing certificate."""

    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    serial: str


def _loaded(data: bytes, password: bytes | None):
    try:
        return pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError) as error:
        raise SigningCertificateRejected(N_("The file is not a PKCS#12 (.p12 or .pfx) file, or the password is "
                                            "wrong.")) from error


def checked_pkcs12(data: bytes, password: str, *, now: datetime) -> bytes:
    """The PKCS#12 checked and re-packed without a password, or SigningCertificateRejected saying why."""
    if not data:
        raise SigningCertificateRejected(N_("Choose the PKCS#12 file (.p12 or .pfx)."))
    if len(data) > MAX_PKCS12_BYTES:
        raise SigningCertificateRejected(N_("The file is larger than %(limit)s KB: it is not a signing certificate."),
                                         limit=MAX_PKCS12_BYTES // 1024)
    key, certificate, chain = _loaded(data, password.encode("utf-8") if password else None)
    if key is None or certificate is None:
        raise SigningCertificateRejected(N_("The file must hold both the private key and its certificate."))
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
        raise SigningCertificateRejected(N_("Only RSA, elliptic-curve and Ed25519 keys can sign PDFs."))
    raw = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*raw) != certificate.public_key().public_bytes(*raw):
        raise SigningCertificateRejected(N_("The private key does not belong to the certificate."))
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise SigningCertificateRejected(N_("The certificate is valid only from %(start)s to %(end)s."),
                                         start=certificate.not_valid_before_utc.strftime("%d/%m/%Y"),
                                         end=certificate.not_valid_after_utc.strftime("%d/%m/%Y"))
    return pkcs12.serialize_key_and_certificates(b"signing", key, certificate, chain or None,
                                                 serialization.NoEncryption())


def sealed(plain_pkcs12: bytes, *, secret: str, body_id: int) -> bytes:
    return seal(secret, plain_pkcs12, purpose=PURPOSE, associated=str(body_id).encode())


def unsealed(sealed_pkcs12: bytes, *, secret: str, body_id: int) -> bytes:
    return unseal(secret, sealed_pkcs12, purpose=PURPOSE, associated=str(body_id).encode())


def identity(plain_pkcs12: bytes) -> SigningIdentity:
    _key, certificate, _chain = pkcs12.load_key_and_certificates(plain_pkcs12, None)
    return SigningIdentity(subject=certificate.subject.rfc4514_string(), issuer=certificate.issuer.rfc4514_string(),
                           not_before=certificate.not_valid_before_utc, not_after=certificate.not_valid_after_utc,
                           serial=format(certificate.serial_number, "X"))


def certificate_of(plain_pkcs12: bytes) -> x509.Certificate:
    return pkcs12.load_key_and_certificates(plain_pkcs12, None)[1]


def sign_pdf(pdf: bytes, plain_pkcs12: bytes, *, reason: str, location: str) -> bytes:
    """The PDF with a PAdES baseline signature (an invisible signature field) appended as an incremental update.

    pyHanko signs through asyncio.run, which refuses to start inside a thread already running an event loop (an
    asyncio server, or a browser driver in the same test process): there the signing runs in its own thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _sign_pdf(pdf, plain_pkcs12, reason=reason, location=location)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_sign_pdf, pdf, plain_pkcs12, reason=reason, location=location).result()


def _sign_pdf(pdf: bytes, plain_pkcs12: bytes, *, reason: str, location: str) -> bytes:
    signer = signers.SimpleSigner.load_pkcs12_data(plain_pkcs12, other_certs=[], passphrase=None)
    metadata = signers.PdfSignatureMetadata(field_name="Signature1", reason=reason, location=location,
                                            md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = signers.PdfSigner(metadata, signer=signer).sign_pdf(writer, in_place=False)
    return output.getvalue()

