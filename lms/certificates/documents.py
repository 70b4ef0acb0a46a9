"""Issued certificates as PDFs (one, a class as one PDF, a ZIP of single PDFs), checked against the first rendering.

An issued certificate's PDF is never stored, only its SHA-256: each download renders it again from the frozen
facts and stored images, and a rendering that differs from the first one is refused and logged (a changed font
or library, a changed PUBLIC_BASE_URL), never handed out as a silently different document.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from lms.certificates.models import Certificate, CertificateEvent, CertificateImage
from lms.certificates.payload import qr_text, verify_url
from lms.certificates.pdf import CertificateFacts, render_certificate, render_certificates
from lms.errors import DomainError

log = logging.getLogger(__name__)
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # a fixed entry date, so the same certificates always give the same ZIP


class DocumentMismatch(DomainError):
    """A rendering differs from the certificate's first one: refused, the administrators must look."""

    status = 500


def issued_base_url(db: Session, certificate: Certificate, default: str) -> str:
    """The site address the certificate was issued under (from its issue event): its QR keeps pointing there
    even after PUBLIC_BASE_URL changes."""
    details = db.scalar(select(CertificateEvent.details).where(
        CertificateEvent.certificate_id == certificate.id, CertificateEvent.action.in_(("issued", "reissued")))
        .order_by(CertificateEvent.id).limit(1))
    suffix = f"/verify/{certificate.verification_code}"
    address = (details or {}).get("verify_url", "")
    return address[: -len(suffix)] if address.endswith(suffix) else default.rstrip("/")


def _images(db: Session, hashes: set[str]) -> dict[str, bytes]:
    if not hashes:
        return {}
    rows = db.execute(select(CertificateImage.sha256, CertificateImage.data).where(CertificateImage.sha256.in_(hashes)))
    return {sha256: data for sha256, data in rows}


def certificate_facts(db: Session, certificate: Certificate, *, base_url: str,
                      images: dict[str, bytes] | None = None) -> CertificateFacts:
    """What the certificate prints: its frozen fields, its stored images and its QR text."""
    wanted = {h for h in (certificate.logo_sha256, certificate.signature_sha256, certificate.seal_sha256) if h}
    images = images if images is not None and wanted <= images.keys() else _images(db, wanted)
    base = issued_base_url(db, certificate, base_url)
    return CertificateFacts(
        number=certificate.number, register_no=certificate.register_no, holder_name=certificate.holder_name,
        holder_birth_date=certificate.holder_birth_date, holder_unit=certificate.holder_unit,
        course_title=certificate.course_title, class_name=certificate.class_name,
        class_starts_on=certificate.class_starts_on, class_ends_on=certificate.class_ends_on, hours=certificate.hours,
        result_text=certificate.result_text, body_name=certificate.body_name, issue_place=certificate.issue_place,
        issued_on=certificate.issued_on, signer_title=certificate.signer_title, signer_name=certificate.signer_name,
        qr_text=qr_text(certificate, base), verify_address=verify_url(base, certificate.verification_code),
        primary_colour=certificate.primary_colour, expires_on=certificate.expires_on,
        logo=images.get(certificate.logo_sha256 or ""), signature=images.get(certificate.signature_sha256 or ""),
        seal=images.get(certificate.seal_sha256 or ""),
    )


def _checked(db: Session, certificate: Certificate, data: bytes) -> bytes:
    """The rendering if it matches the stored hash; the hash is stored (flushed, not committed) on the first one."""
    digest = hashlib.sha256(data).hexdigest()
    if certificate.pdf_sha256 is None:
        # Only where still empty: two first downloads at once both store the same digest, or the later one
        # finds the earlier one's and is checked against it below.
        stored = db.execute(update(Certificate).where(Certificate.id == certificate.id, Certificate.pdf_sha256.is_(None))
                            .values(pdf_sha256=digest).execution_options(synchronize_session=False)).rowcount
        if stored == 1:  # ours is the first: the object learns it without reading the row back
            set_committed_value(certificate, "pdf_sha256", digest)
        else:
            db.refresh(certificate, attribute_names=["pdf_sha256"])
    if certificate.pdf_sha256 != digest:
        log.error("certificate %s (id %s): rendering %s differs from the first rendering %s; download refused",
                  certificate.number, certificate.id, digest, certificate.pdf_sha256)
        raise DocumentMismatch(_("The PDF of certificate %(number)s could not be reproduced exactly as it was issued, "
                                 "so it is not handed out. The administrators have been told.",
                                 number=certificate.number))
    return data


def certificate_pdf(db: Session, certificate: Certificate, *, base_url: str) -> bytes:
    """The certificate's PDF, identical to its first rendering (DocumentMismatch otherwise)."""
    return _checked(db, certificate, render_certificate(certificate_facts(db, certificate, base_url=base_url)))


def _all_images(db: Session, certificates: list[Certificate]) -> dict[str, bytes]:
    return _images(db, {h for c in certificates for h in (c.logo_sha256, c.signature_sha256, c.seal_sha256) if h})


def class_pdf(db: Session, certificates: list[Certificate], *, base_url: str) -> bytes:
    """The certificates as one PDF, a page each, for printing; each page's certificate is first checked against
    its own hash, so a page never differs from the single PDF its holder downloads."""
    images = _all_images(db, certificates)
    facts = [certificate_facts(db, c, base_url=base_url, images=images) for c in certificates]
    for certificate, printed in zip(certificates, facts, strict=True):
        _checked(db, certificate, render_certificate(printed))
    return render_certificates(facts)


def file_name(certificate: Certificate) -> str:
    """The certificate's number as a file name (characters other than letters, digits, "-", "_" and "." → "_")."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", certificate.number) + ".pdf"


def class_zip(db: Session, certificates: list[Certificate], *, base_url: str, sign=None) -> bytes:
    """A ZIP of the certificates' single PDFs named by number; `sign(pdf, certificate)` signs each one when given."""
    images = _all_images(db, certificates)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for certificate in certificates:
            data = _checked(db, certificate, render_certificate(
                certificate_facts(db, certificate, base_url=base_url, images=images)))
            archive.writestr(zipfile.ZipInfo(file_name(certificate), date_time=ZIP_DATE), sign(data, certificate) if sign else data)
    return output.getvalue()
