"""The login slips PDF: eight slips a page with cut lines, Vietnamese text, and a QR code that scans to the site."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from lms.classes.roster.printing import Slip, SlipLabels, render_slips

LABELS = SlipLabels("Thông tin đăng nhập · Lớp ISO 9001", "Địa chỉ", "Tên đăng nhập", "Mật khẩu lần đầu",
                    "Bạn sẽ được yêu cầu đặt mật khẩu mới ở lần đăng nhập đầu tiên.")
SITE = "https://daotao-iso.example.gov.vn"


def slips(count: int) -> list[Slip]:
    return [Slip(f"Nguyễn Thị Hương {i}", f"huongnt{i}", f"Mk{i:08d}", "UBND phường Tân An") for i in range(count)]


def test_eight_slips_a_page_with_every_field():
    reader = PdfReader(io.BytesIO(render_slips(slips(9), site_url=SITE, labels=LABELS)))
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text()
    assert first.count("Mật khẩu lần đầu") == 8 and "Nguyễn Thị Hương 0" in first and "huongnt7" in first
    assert "Mk00000003" in first and f"Địa chỉ: {SITE}" in first and "UBND phường Tân An" in first


def test_no_slips_still_makes_a_pdf():
    assert len(PdfReader(io.BytesIO(render_slips([], site_url=SITE, labels=LABELS))).pages) == 1


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                    reason="needs poppler-utils and zbar-tools (scripts/system-deps.sh)")
def test_the_qr_code_scans_to_the_site(tmp_path):
    (tmp_path / "slips.pdf").write_bytes(render_slips(slips(1), site_url=SITE, labels=LABELS))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "slips.pdf"),
                    str(tmp_path / "page")], check=True)
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")], capture_output=True,
                             text=True, check=True)
    assert scanned.stdout.strip() == SITE
