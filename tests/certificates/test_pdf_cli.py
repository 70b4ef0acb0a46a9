"""`flask lms certificates pdf NUMBER --output FILE`: the download's bytes, the hash stored, a clear error otherwise."""

from __future__ import annotations

from lms.certificates.models import Certificate
from lms.db import get_session
from tests.certificates.conftest import issue
from tests.certificates.pdftools import pdf_text


def _pdf(app, number: str, output) -> object:
    return app.test_cli_runner().invoke(args=["lms", "certificates", "pdf", number, "--output", str(output)])


def test_pdf_command_writes_the_same_bytes_every_time_and_stores_the_hash(app, db_session, finished, tmp_path):
    certificate = issue(db_session, finished)
    db_session.commit()
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    result = _pdf(app, certificate.number, first)
    assert result.exit_code == 0, result.output
    assert "unsigned" in result.output and "is valid" in result.output
    assert _pdf(app, certificate.number, second).exit_code == 0
    assert first.read_bytes() == second.read_bytes() and "Nguyễn Thị Hương" in pdf_text(first.read_bytes())[0]
    assert get_session().get(Certificate, certificate.id).pdf_sha256 is not None


def test_an_unknown_number_is_an_error(app, db_session, tmp_path) -> None:
    result = _pdf(app, "KHONG-CO", tmp_path / "x.pdf")
    assert result.exit_code != 0 and "no certificate numbered KHONG-CO" in result.output
    assert not (tmp_path / "x.pdf").exists()
