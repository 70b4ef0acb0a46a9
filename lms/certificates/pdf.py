"""The certificate PDF (pure: printed facts, image bytes and QR text in, PDF bytes out), A4 landscape, deterministic.

The same facts always give the same bytes: reportlab's invariant mode fixes the document ID to a digest of the
content, and the creation date is the issue date. Text is NFC before drawing, in DejaVu Serif/Sans (full
Vietnamese coverage, from Debian's fonts-dejavu-core), embedded as subsets. The printed document is in Vietnamese
whatever the interface language: it is an administrative document of a Vietnamese body.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import unicodedata
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFZCompress
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from lms.certificates.images import print_ready
from lms.certificates.qr import draw_qr

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
DEFAULT_COLOUR = "#1f4e79"
FONT_DIRS = (os.environ.get("CERTIFICATE_FONT_DIR", ""), "/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    "CertSerif": "DejaVuSerif.ttf",
    "CertSerif-Bold": "DejaVuSerif-Bold.ttf",
}
QR_SIZE = 47 * mm  # a version 17 symbol plus its quiet zone at 0.5 mm a module (see qr.py)
_fonts_lock = threading.Lock()
_fonts_ready = False


class _CachedFlate:
    """reportlab's FlateDecode filter (the same zlib call, so the same bytes) remembering its last outputs: a font
    subset program is the same bytes object for every document with the same letters (see below), and compressing
    two 30 KB programs was about a sixth of a certificate's rendering."""

    pdfname = "FlateDecode"

    def __init__(self):
        self._compressed = lru_cache(maxsize=256)(PDFZCompress.encode)

    def encode(self, content: bytes) -> bytes:
        return self._compressed(content)  # a bytes object caches its own hash: no rehashing per document

    def decode(self, encoded: bytes) -> bytes:
        return PDFZCompress.decode(encoded)


class _SubsetCachingFont(TTFont):
    """A TTFont whose subsets are built and compressed once per set of characters: reportlab builds the subset font
    program of every document afresh, and a class's certificates mostly use the same letters."""

    def __init__(self, name: str, path: str):
        super().__init__(name, path)
        face = self.face
        build = face.makeSubset
        cached = lru_cache(maxsize=256)(lambda key: build(list(key)))
        face.makeSubset = lambda subset: cached(tuple(subset))
        add_objects, flate = face.addSubsetObjects, _CachedFlate()

        def add_subset_objects(doc, fontname, subset):
            reference = add_objects(doc, fontname, subset)
            font_file = doc.idToObject.get(f"fontFile:{face.filename}({fontname})")
            if font_file is not None and font_file.filters == [PDFZCompress]:
                font_file.filters = [flate]
            return reference

        face.addSubsetObjects = add_subset_objects


class FontMissing(RuntimeError):
    """DejaVu fonts are not installed (Debian: fonts-dejavu-core; `make setup` installs it)."""


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """Everything printed on one certificate, as frozen at issue, with the images' bytes and the QR text."""

    number: str
    register_no: str
    holder_name: str
    holder_birth_date: date | None
    holder_unit: str
    course_title: str
    class_name: str
    class_starts_on: date | None
    class_ends_on: date | None
    hours: int | None
    result_text: str
    body_name: str
    issue_place: str
    issued_on: date
    signer_title: str
    signer_name: str
    qr_text: str
    verify_address: str  # the short address printed for those who type it
    primary_colour: str = DEFAULT_COLOUR
    expires_on: date | None = None
    logo: bytes | None = None
    signature: bytes | None = None
    seal: bytes | None = None
    sample: bool = False  # a preview: marked across the page as having no value


def nfc(facts: CertificateFacts) -> CertificateFacts:
    """The same facts with every text in Unicode NFC (names typed with combining marks print and extract alike)."""
    changes = {f.name: unicodedata.normalize("NFC", getattr(facts, f.name))
               for f in fields(facts) if isinstance(getattr(facts, f.name), str)}
    return replace(facts, **changes)


def day_month(value: date) -> str:
    """dd/mm/yyyy, as Vietnamese dates are written."""
    return value.strftime("%d/%m/%Y")


def place_and_date(place: str, value: date) -> str:
    """"Tiền Giang, ngày 02 tháng 11 năm 2021": a day below 10 and a month below 3 take a leading zero
    (Decree 30/2020/NĐ-CP on administrative documents), so 02/11 and 15/01 but 15/4."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    words = f"ngày {value.day:02d} tháng {month} năm {value.year}"
    return f"{place}, {words}" if place else words.capitalize()


def signer_title_lines(title: str) -> list[str]:
    """The signer's title in capitals, one line per "|" (or line break): "KT. Giám đốc | Phó Giám đốc"."""
    return [part.strip().upper() for part in title.replace("\n", "|").split("|") if part.strip()]


def register_fonts() -> None:
    """Register the certificate fonts with reportlab once per process (later calls return at once)."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _fonts_lock:
        if _fonts_ready:
            return
        # Binary streams instead of ASCII85 text: smaller files, one encoding pass less; every PDF reader takes them.
        rl_config.useA85 = 0
        for name, filename in FONT_FILES.items():
            pdfmetrics.registerFont(_SubsetCachingFont(name, str(_font_path(filename))))
        _fonts_ready = True


def _font_path(filename: str) -> Path:
    for folder in FONT_DIRS:
        if folder and (Path(folder) / filename).is_file():
            return Path(folder) / filename
    raise FontMissing(f"{filename} not found in {', '.join(d for d in FONT_DIRS if d)}: install fonts-dejavu-core")


def render_certificate(facts: CertificateFacts) -> bytes:
    """One certificate as a one-page PDF."""
    return render_certificates([facts])


def render_certificates(many: list[CertificateFacts]) -> bytes:
    """Certificates as one PDF, a page each (a class, for printing); the document date is the first issue date."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1,
                    initialFontName="CertSerif")  # else Helvetica, not embedded, joins the page's fonts
    first = many[0].issued_on if many else date(2000, 1, 1)
    canvas.setDateFormatter(lambda *_now: f"D:{first:%Y%m%d}000000+07'00'")
    canvas.setCreator("LMS")
    canvas.setProducer("LMS (reportlab)")
    for facts in many:
        facts = nfc(facts)
        canvas.setTitle(f"Giấy chứng nhận {facts.number}")
        _draw_page(canvas, facts)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _colour(value: str) -> Color:
    try:
        return HexColor(value) if value and len(value) == 7 and value.startswith("#") else HexColor(DEFAULT_COLOUR)
    except ValueError:
        return HexColor(DEFAULT_COLOUR)


class _JpegImage(ImageReader):
    """A JPEG that reportlab embeds as it is (DCTDecode), named by its SHA-256: drawImage names an image by
    hashing its decoded pixels, which cost milliseconds on every certificate."""

    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data))
        self._content_name = hashlib.sha256(data).digest()
        self._dataA = None  # no alpha channel: a baseline RGB JPEG

    def getRGBData(self):  # noqa: N802 - reportlab's name; only drawImage's naming reads it for a JPEG
        return self._content_name


@lru_cache(maxsize=64)
def _image(data: bytes, kind: str) -> _JpegImage:
    """Prepared once per process and image: a class prints the same logo, signature and seal on every page."""
    return _JpegImage(print_ready(data, kind))


def _draw_image(canvas: Canvas, data: bytes, kind: str, x: float, y: float, width: float, height: float) -> None:
    """Multiply blend: the image's white vanishes, and a seal over a signature looks like ink over ink."""
    canvas.saveState()
    canvas.setBlendMode("Multiply")
    canvas.drawImage(_image(data, kind), x, y, width=width, height=height, preserveAspectRatio=True, anchor="c")
    canvas.restoreState()


def _draw_page(canvas: Canvas, facts: CertificateFacts) -> None:
    colour = _colour(facts.primary_colour)
    _draw_frame(canvas, colour)
    _draw_header(canvas, facts, colour)
    bottom_of_text = _draw_body(canvas, facts, colour)
    _draw_verification(canvas, facts)
    _draw_signature_block(canvas, facts, top=min(bottom_of_text - 22, 200))
    if facts.sample:
        _draw_sample_mark(canvas)


def _draw_sample_mark(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFillColor(Color(0.8, 0.1, 0.1, alpha=0.22))
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(24)
    canvas.setFont("CertSerif-Bold", 54)
    canvas.drawCentredString(0, 10, "BẢN XEM THỬ")
    canvas.setFont("CertSerif-Bold", 22)
    canvas.drawCentredString(0, -24, "KHÔNG CÓ GIÁ TRỊ CHỨNG NHẬN")
    canvas.restoreState()


def _draw_frame(canvas: Canvas, colour: Color) -> None:
    canvas.saveState()
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(3.2)
    canvas.rect(16, 16, PAGE_WIDTH - 32, PAGE_HEIGHT - 32)
    canvas.setLineWidth(0.8)
    canvas.rect(23, 23, PAGE_WIDTH - 46, PAGE_HEIGHT - 46)
    canvas.setFillColor(colour)
    for x, y in ((23, 23), (PAGE_WIDTH - 23, 23), (23, PAGE_HEIGHT - 23), (PAGE_WIDTH - 23, PAGE_HEIGHT - 23)):
        canvas.rect(x - 4, y - 4, 8, 8, stroke=0, fill=1)  # small squares where the two frames' corners meet
    canvas.restoreState()


def _fit(text: str, font: str, size: float, width: float, smallest: float = 7) -> float:
    """The largest font size up to `size` at which `text` fits on one line of `width` points."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _centred(canvas: Canvas, text: str, x: float, y: float, font: str, size: float, width: float) -> float:
    size = _fit(text, font, size, width)
    canvas.setFont(font, size)
    canvas.drawCentredString(x, y, text)
    return pdfmetrics.stringWidth(text, font, size)


def _draw_header(canvas: Canvas, facts: CertificateFacts, colour: Color) -> None:
    top = PAGE_HEIGHT - 62
    left_x = 250 if facts.logo else 205
    if facts.logo:
        _draw_image(canvas, facts.logo, "logo", 40, top - 44, 70, 70)
    lines = simpleSplit(facts.body_name.upper(), "CertSerif-Bold", 12, 250)[:3]
    y = top + 6 * (len(lines) - 1)
    canvas.setFillColor(black)
    for line in lines:
        width = _centred(canvas, line, left_x, y, "CertSerif-Bold", 12, 260)
        y -= 15
    canvas.setLineWidth(0.7)
    canvas.line(left_x - min(width, 120) / 2, y + 9, left_x + min(width, 120) / 2, y + 9)
    right_x = 615
    _centred(canvas, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right_x, top + 6, "CertSerif-Bold", 12, 330)
    width = _centred(canvas, "Độc lập - Tự do - Hạnh phúc", right_x, top - 10, "CertSerif-Bold", 12.5, 330)
    canvas.line(right_x - width / 2, top - 14, right_x + width / 2, top - 14)


def _draw_body(canvas: Canvas, facts: CertificateFacts, colour: Color) -> float:
    """The title and the holder's facts, centred; returns the baseline of the last line drawn."""
    centre = PAGE_WIDTH / 2
    canvas.setFillColor(colour)
    _centred(canvas, "GIẤY CHỨNG NHẬN", centre, PAGE_HEIGHT - 158, "CertSerif-Bold", 38, 600)
    canvas.setFillColor(black)
    _centred(canvas, "Chứng nhận ông/bà", centre, PAGE_HEIGHT - 192, "CertSerif", 13, 600)
    canvas.setFillColor(colour)
    _centred(canvas, facts.holder_name, centre, PAGE_HEIGHT - 224, "CertSerif-Bold", 27, 640)
    canvas.setFillColor(black)
    y = PAGE_HEIGHT - 250
    if facts.holder_birth_date:
        _centred(canvas, f"Ngày sinh: {day_month(facts.holder_birth_date)}", centre, y, "CertSerif", 12.5, 680)
        y -= 17
    if facts.holder_unit:
        for line in simpleSplit(f"Đơn vị công tác: {facts.holder_unit}", "CertSerif", 12.5, 660)[:2]:
            _centred(canvas, line, centre, y, "CertSerif", 12.5, 680)
            y -= 17
    _centred(canvas, "Đã hoàn thành khóa đào tạo", centre, y - 5, "CertSerif", 13, 600)
    y -= 28
    canvas.setFillColor(colour)
    for line in simpleSplit(facts.course_title, "CertSerif-Bold", 16, 640)[:3]:
        _centred(canvas, line, centre, y, "CertSerif-Bold", 16, 680)
        y -= 20
    canvas.setFillColor(black)
    y -= 2
    for line in _class_lines(facts):
        _centred(canvas, line, centre, y, "CertSerif", 12, 680)
        y -= 16
    return y + 16


def _class_title(name: str) -> str:
    """"Lớp " before the class's name, unless the name starts with it already ("Lớp nhận thức …")."""
    return name if name[:4].casefold() == "lớp " else f"Lớp {name}"


def _class_lines(facts: CertificateFacts) -> list[str]:
    when = ""
    if facts.class_starts_on and facts.class_ends_on and facts.class_starts_on != facts.class_ends_on:
        when = f" từ ngày {day_month(facts.class_starts_on)} đến ngày {day_month(facts.class_ends_on)}"
    elif facts.class_starts_on or facts.class_ends_on:
        when = f" ngày {day_month(facts.class_starts_on or facts.class_ends_on)}"
    length = f", thời lượng {facts.hours} giờ" if facts.hours else ""
    lines = [f"{_class_title(facts.class_name)}{when}{length}".strip()]
    if facts.result_text:
        lines.append(f"Kết quả: {facts.result_text}")
    if facts.expires_on:
        lines.append(f"Giấy chứng nhận có giá trị đến hết ngày {day_month(facts.expires_on)}")
    return lines


def _draw_verification(canvas: Canvas, facts: CertificateFacts) -> None:
    """Bottom left: the QR code, the number, the register entry and the address to type."""
    x, y = 38, 34
    draw_qr(canvas, facts.qr_text, x=x, y=y, size=QR_SIZE)
    text_x = x + QR_SIZE + 6
    canvas.setFillColor(black)
    canvas.setFont("CertSerif", 10)
    canvas.drawString(text_x, y + 100, "Số hiệu:")
    canvas.drawString(text_x, y + 82, "Số vào sổ:")
    canvas.setFont("CertSerif-Bold", 11)
    canvas.drawString(text_x + 58, y + 100, facts.number)
    canvas.drawString(text_x + 58, y + 82, facts.register_no)
    canvas.setFont("CertSerif", 9)
    canvas.drawString(text_x, y + 58, "Quét mã QR hoặc mở địa chỉ dưới đây để kiểm tra:")
    address_lines = _address_lines(facts.verify_address, "CertSerif", 9, 215)
    canvas.setFont("CertSerif", 9)
    for index, line in enumerate(address_lines[:3]):
        canvas.drawString(text_x, y + 46 - 11 * index, line)


def _address_lines(address: str, font: str, size: float, width: float) -> list[str]:
    """The address on one line, else broken after its last "/" (before the code), else anywhere: never at a
    hyphen of the code, which a reader would take for a line-end hyphen."""
    if pdfmetrics.stringWidth(address, font, size) <= width:
        return [address]
    head, slash, code = address.rpartition("/")
    if slash and pdfmetrics.stringWidth(head + slash, font, size) <= width \
            and pdfmetrics.stringWidth(code, font, size) <= width:
        return [head + slash, code]
    lines, line = [], ""
    for character in address:
        if line and pdfmetrics.stringWidth(line + character, font, size) > width:
            lines.append(line)
            line = ""
        line += character
    return [*lines, line]


def _draw_signature_block(canvas: Canvas, facts: CertificateFacts, *, top: float) -> None:
    """Bottom right: place and date, the signer's title, the signature and seal images, the signer's name."""
    centre = 640
    canvas.setFillColor(black)
    _centred(canvas, place_and_date(facts.issue_place, facts.issued_on), centre, top, "CertSerif", 12.5, 300)
    y = top - 18
    for line in signer_title_lines(facts.signer_title)[:3]:
        _centred(canvas, line.strip(), centre, y, "CertSerif-Bold", 12.5, 300)
        y -= 16
    name_y = 44
    if facts.seal:
        _draw_image(canvas, facts.seal, "seal", centre - 120, name_y + 6, 96, 96)
    if facts.signature:
        _draw_image(canvas, facts.signature, "signature", centre - 75, name_y + 16, 150, max(24, min(64, y - name_y - 18)))
    if facts.signer_name:
        _centred(canvas, facts.signer_name, centre, name_y, "CertSerif-Bold", 14, 300)
