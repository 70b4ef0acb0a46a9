"""Issued certificates as documents: frozen, identical on every rendering, refused when they would differ."""

from __future__ import annotations

import io
import logging
import zipfile

import pytest

from lms.certificates import documents
from lms.certificates.keys import public_jwks, verify_signature
from lms.certificates.models import CertificateImage
from lms.certificates.payload import parse_qr_text
from tests.certificates.conftest import BASE_URL, issue
from tests.certificates.pdftools import decoded_qr_codes, pdf_text
from tests.certificates.samples import png


def test_first_rendering_stores_its_hash_and_later_ones_are_identical(db_session, finished) -> None:
    certificate = issue(db_session, finished)
    assert certificate.pdf_sha256 is None
    first = documents.certificate_pdf(db_session, certificate, base_url=BASE_URL)
    assert certificate.pdf_sha256 is not None
    assert documents.certificate_pdf(db_session, certificate, base_url=BASE_URL) == first


def test_profile_edits_after_issue_do_not_change_the_pdf(db_session, finished) -> None:
    certificate = issue(db_session, finished)
    first = documents.certificate_pdf(db_session, certificate, base_url=BASE_URL)
    finished.passed.full_name = "Nguyễn Thị Hường"
    db_session.flush()
    again = documents.certificate_pdf(db_session, certificate, base_url=BASE_URL)
    assert again == first and "Nguyễn Thị Hương" in pdf_text(again)[0]


def test_a_rendering_that_differs_is_refused_and_logged(db_session, finished, caplog) -> None:
    certificate = issue(db_session, finished)
    documents.certificate_pdf(db_session, certificate, base_url=BASE_URL)
    certificate.pdf_sha256 = "0" * 64  # as if a font or library upgrade had changed the rendering
    db_session.flush()
    with caplog.at_level(logging.ERROR, logger="lms.certificates.documents"), \
            pytest.raises(documents.DocumentMismatch):
        documents.certificate_pdf(db_session, certificate, base_url=BASE_URL)
    assert certificate.number in caplog.text


def test_the_qr_keeps_the_address_it_was_issued_under(db_session, finished) -> None:
    certificate = issue(db_session, finished)
    first = documents.certificate_pdf(db_session, certificate, base_url=BASE_URL)
    assert documents.certificate_pdf(db_session, certificate, base_url="https://moved.example.vn") == first


def test_qr_from_the_pdf_is_the_verify_address_with_a_valid_signature(db_session, finished) -> None:
    certificate = issue(db_session, finished)
    [scanned] = decoded_qr_codes(documents.certificate_pdf(db_session, certificate, base_url=BASE_URL))
    parsed = parse_qr_text(scanned)
    assert scanned.startswith(f"{BASE_URL}/verify/{certificate.verification_code}?")
    assert parsed.fields.holder_name == "Nguyễn Thị Hương" and parsed.fields.number == certificate.number
    assert verify_signature(public_jwks(db_session), parsed.kid, parsed.message, parsed.signature)


def test_stored_images_are_printed(db_session, finished) -> None:
    certificate = issue(db_session, finished)
    image = CertificateImage(sha256="a" * 64, media_type="image/png", data=png("seal"))
    db_session.add(image)
    db_session.flush()
    certificate.seal_sha256 = image.sha256
    db_session.flush()
    facts = documents.certificate_facts(db_session, certificate, base_url=BASE_URL)
    assert facts.seal == image.data and facts.logo is None


def test_a_class_as_one_pdf_and_as_a_zip_of_single_pdfs(db_session, finished) -> None:
    first = issue(db_session, finished)
    second = issue(db_session, finished, finished.absent, mode="single", reason="Miễn kiểm tra")
    single = documents.certificate_pdf(db_session, first, base_url=BASE_URL)
    pages = pdf_text(documents.class_pdf(db_session, [first, second], base_url=BASE_URL))
    assert len(pages) == 2 and "Nguyễn Thị Hương" in pages[0] and "Trần Văn Út Tám" in pages[1]
    assert second.pdf_sha256 is not None  # the class PDF checked (and here stored) each page's own hash
    archive = zipfile.ZipFile(io.BytesIO(documents.class_zip(db_session, [first, second], base_url=BASE_URL)))
    assert archive.namelist() == [documents.file_name(first), documents.file_name(second)]
    assert archive.read(documents.file_name(first)) == single
    assert documents.class_zip(db_session, [first, second], base_url=BASE_URL) == \
        documents.class_zip(db_session, [first, second], base_url=BASE_URL)


def test_file_names_keep_only_safe_characters(db_session, finished) -> None:
    certificate = issue(db_session, finished)
    certificate.number = "SỞ/KH CN-2026-00001"
    assert documents.file_name(certificate) == "S__KH_CN-2026-00001.pdf"
