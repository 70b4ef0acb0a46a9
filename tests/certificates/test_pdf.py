"""The certificate PDF: exact Vietnamese text, the QR read back from a picture of it, identical bytes, fonts, dates."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from lms.certificates.pdf import place_and_date, render_certificate, render_certificates
from tests.certificates.pdftools import decoded_qr_codes, pdf_text
from tests.certificates.samples import NAMES, facts


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_extracted_text_holds_the_name_exactly(name: str, form: str) -> None:
    text = pdf_text(render_certificate(facts(unicodedata.normalize(form, name))))[0]
    assert name in text  # NFC, as stored: a name typed with combining marks is printed composed


def test_every_printed_fact_is_in_the_text() -> None:
    text = pdf_text(render_certificate(facts()))[0]
    for expected in ("GIẤY CHỨNG NHẬN", "STTG-2021-00042", "42/2021", "07/03/1985", "Tân Mỹ Chánh",
                     "Tiền Giang, ngày 02 tháng 11 năm 2021", "PHÓ GIÁM ĐỐC", "Đặng Kim Lợi", "16 giờ",
                     "Đạt (27/30 điểm)", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Độc lập - Tự do - Hạnh phúc",
                     "https://lms.tiengiang.gov.vn/verify/", "Zx8y_Qw3-Rt5Up7Ka9Lm2NbV4cX6zA1s"):
        assert expected in text, expected


def test_the_qr_read_from_a_picture_of_the_pdf_is_the_exact_text() -> None:
    sample = facts(NAMES[2])
    assert decoded_qr_codes(render_certificate(sample)) == [sample.qr_text]


def test_same_facts_give_identical_bytes_and_the_issue_date_as_creation_date() -> None:
    first, second = render_certificate(facts()), render_certificate(facts())
    assert first == second
    reader = PdfReader(io.BytesIO(first))
    assert reader.metadata["/CreationDate"].startswith("D:20211102")
    assert first != render_certificate(facts(number="STTG-2021-00043"))


def test_fonts_are_embedded_subsets_and_images_are_jpeg() -> None:
    page = PdfReader(io.BytesIO(render_certificate(facts()))).pages[0]
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font \
            else font["/FontDescriptor"]
        assert "/FontFile2" in descriptor and "+" in str(font["/BaseFont"])
    images = [image.get_object() for image in page["/Resources"]["/XObject"].values()]
    assert len(images) == 3 and all(image["/Filter"] in ("/DCTDecode", ["/DCTDecode"]) for image in images)


def test_without_images_or_optional_facts_the_page_still_renders() -> None:
    sample = facts(images=False, holder_birth_date=None, holder_unit="", hours=None, result_text="",
                   class_starts_on=None, class_ends_on=None, signer_title="", signer_name="")
    text = pdf_text(render_certificate(sample))[0]
    assert "Ngày sinh" not in text and "Kết quả" not in text and NAMES[0] in text


def test_a_class_is_one_pdf_a_page_each() -> None:
    data = render_certificates([facts(name, number=f"STTG-2021-{i:05d}") for i, name in enumerate(NAMES, 1)])
    pages = pdf_text(data)
    assert len(pages) == 3 and all(name in page for name, page in zip(NAMES, pages, strict=True))
    assert decoded_qr_codes(data, page=3) == [facts(NAMES[2], number="STTG-2021-00003").qr_text]


@pytest.mark.parametrize(("day", "expected"), [
    (date(2021, 11, 2), "Tiền Giang, ngày 02 tháng 11 năm 2021"),
    (date(2022, 1, 15), "Tiền Giang, ngày 15 tháng 01 năm 2022"),
    (date(2022, 4, 30), "Tiền Giang, ngày 30 tháng 4 năm 2022"),
])
def test_place_and_date_in_words(day: date, expected: str) -> None:
    assert place_and_date("Tiền Giang", day) == expected


def test_date_in_words_without_a_place() -> None:
    assert place_and_date("", date(2021, 11, 2)) == "Ngày 02 tháng 11 năm 2021"


@pytest.mark.parametrize(("class_name", "printed"), [
    ("ISO-TG-2021-03", "Lớp ISO-TG-2021-03 từ ngày"),
    ("Lớp nhận thức ISO 9001:2015 – khóa 1", "Lớp nhận thức ISO 9001:2015 – khóa 1 từ ngày"),
    ("lớp bồi dưỡng ISO", "lớp bồi dưỡng ISO từ ngày"),
])
def test_the_class_line_says_lop_once(class_name: str, printed: str) -> None:
    text = " ".join(pdf_text(render_certificate(facts(class_name=class_name)))[0].split())
    assert printed in text
    assert "Lớp Lớp" not in text and "Lớp lớp" not in text


def test_font_programs_are_compressed_once_with_the_same_bytes_as_reportlab():
    import zlib

    from lms.certificates.pdf import _CachedFlate

    program = bytes(range(256)) * 120
    flate = _CachedFlate()
    first = flate.encode(program)
    assert first == zlib.compress(program) and flate.decode(first) == program
    assert flate.encode(program) is first  # the second document reuses the first one's compressed program
