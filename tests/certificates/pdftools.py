"""Reading certificate PDFs back in tests: pypdf's text, and the QR decoded from a pdftoppm picture by zbarimg."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader


def pdf_text(data: bytes) -> list[str]:
    """The extracted text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def decoded_qr_codes(data: bytes, *, dpi: int = 150, page: int = 1) -> list[str]:
    """Every QR code zbarimg reads on one page rendered at `dpi` (150 dpi is what an office scanner or a phone
    photo of the print gives, give or take)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "certificate.pdf"
        source.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                        str(source), str(Path(folder) / "page")], check=True)
        result = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
                                 str(Path(folder) / "page.png")], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line]
