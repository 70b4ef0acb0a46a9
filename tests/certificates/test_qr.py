"""The QR code drawn as one vector path: decodes to the exact text at print size, fixed mask, cached."""

from __future__ import annotations

import base64
import io

import segno
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from lms.certificates.qr import MASK, draw_qr, qr_shape
from tests.certificates.pdftools import decoded_qr_codes

# As long as a real verify address with key id, signature and signed fields (about 450 characters).
TEXT = ("https://lms.tiengiang.gov.vn/verify/Zx8y_Qw3-Rt5Up7Ka9Lm2NbV4cX6zA1s?k=k20261207"
        "&s=c2lnbmF0dXJlLW9mLXNpeHR5LWZvdXItYnl0ZXMtaW4tYmFzZTY0dXJsLWZvcm0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLQ"
        "&d=" + base64.urlsafe_b64encode("\n".join([
            "STTG-2026-00042", "Nguyễn Thị Hương", "1985",
            "Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 trong cơ quan hành chính nhà nước",
            "2026-12-07", "Sở Khoa học và Công nghệ tỉnh Tiền Giang"]).encode()).rstrip(b"=").decode())


def _page_with_qr(text: str, size_mm: float) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4), invariant=1)
    draw_qr(canvas, text, x=20 * mm, y=20 * mm, size=size_mm * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_qr_at_print_size_decodes_to_the_exact_text() -> None:
    assert decoded_qr_codes(_page_with_qr(TEXT, 47)) == [TEXT]


def test_qr_is_one_path_of_rectangles_not_an_image() -> None:
    page = PdfReader(io.BytesIO(_page_with_qr(TEXT, 47))).pages[0]
    operators = [operator for _operands, operator in ContentStream(page.get_contents(), page.pdf).operations]
    assert b"Do" not in operators and b"BI" not in operators  # no image, inline or not
    assert operators.count(b"re") == len(qr_shape(TEXT).operators)
    assert operators.count(b"f*") + operators.count(b"f") == 1  # the whole symbol is filled once, as one path


def test_shape_matches_segno_matrix_with_level_m_and_the_fixed_mask() -> None:
    code = segno.make(TEXT, error="m", mask=MASK, micro=False, boost_error=False)
    shape = qr_shape(TEXT)
    assert code.error == "M" and code.mask == MASK and shape.modules == len(code.matrix)
    dark = {(r, c) for r, row in enumerate(code.matrix) for c, value in enumerate(row) if value}
    drawn = set()
    for operator in shape.operators:
        x, y, width, _height, _re = operator.split()
        drawn |= {(int(y), int(x) + i) for i in range(int(width))}
    assert drawn == dark


def test_shape_is_cached_by_text() -> None:
    assert qr_shape(TEXT) is qr_shape(TEXT)
