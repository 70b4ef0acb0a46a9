"""The login slips of a class as one A4 PDF: eight slips a page, cut lines, the address as text and QR code."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core: covers Vietnamese
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
COLUMNS, ROWS = 2, 4
_fonts_registered = False


@dataclass(frozen=True)
class Slip:
    full_name: str
    username: str
    password: str
    unit: str = ""


@dataclass(frozen=True)
class SlipLabels:
    """The slip's wording, already translated by the caller."""

    title: str
    address: str
    username: str
    password: str
    change_note: str


def _register_fonts() -> None:
    global _fonts_registered
    if not _fonts_registered:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        _fonts_registered = True


def render_slips(slips: list[Slip], *, site_url: str, labels: SlipLabels) -> bytes:
    """One PDF; every slip carries the site address (text and QR), the user name and the first password."""
    _register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(labels.title)
    width, height = A4
    slip_w, slip_h = width / COLUMNS, height / ROWS
    qr = segno.make(site_url, error="m")
    for index, slip in enumerate(slips):
        position = index % (COLUMNS * ROWS)
        if index and position == 0:
            canvas.showPage()
        if position == 0:
            _cut_lines(canvas, width, height, slip_w, slip_h)
        column, row = position % COLUMNS, position // COLUMNS
        _slip(canvas, slip, qr, site_url, labels, x=column * slip_w, top=height - row * slip_h, width=slip_w)
    if not slips:
        canvas.setFont(FONT, 12)
        canvas.drawString(20 * mm, height - 30 * mm, labels.title)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _cut_lines(canvas: Canvas, width: float, height: float, slip_w: float, slip_h: float) -> None:
    canvas.saveState()
    canvas.setDash(3, 3)
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.5)
    for column in range(1, COLUMNS):
        canvas.line(column * slip_w, 0, column * slip_w, height)
    for row in range(1, ROWS):
        canvas.line(0, row * slip_h, width, row * slip_h)
    canvas.restoreState()


def _fit(text: str, font: str, size: float, room: float) -> str:
    while text and pdfmetrics.stringWidth(text, font, size) > room:
        text = text[:-2] + "…"
    return text


def _wrap(text: str, font: str, size: float, room: float) -> list[str]:
    lines: list[str] = []
    for word in text.split(" "):
        if lines and pdfmetrics.stringWidth(f"{lines[-1]} {word}", font, size) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(_fit(word, font, size, room))
    return lines


def _slip(canvas: Canvas, slip: Slip, qr, site_url: str, labels: SlipLabels, *, x: float, top: float,
          width: float) -> None:
    margin, qr_size = 7 * mm, 26 * mm
    room = width - 2 * margin
    text_room = room - qr_size - 3 * mm
    y = top - margin - 4 * mm
    canvas.setFont(FONT, 8)
    canvas.drawString(x + margin, y, _fit(labels.title, FONT, 8, room))
    y -= 7 * mm
    canvas.setFont(BOLD, 12)
    canvas.drawString(x + margin, y, _fit(slip.full_name, BOLD, 12, text_room))
    if slip.unit:
        y -= 5 * mm
        canvas.setFont(FONT, 8)
        canvas.drawString(x + margin, y, _fit(slip.unit, FONT, 8, text_room))
    lines = [(labels.username, slip.username), (labels.password, slip.password)]
    y -= 8 * mm
    for label, value in lines:
        canvas.setFont(FONT, 9)
        canvas.drawString(x + margin, y, label)
        canvas.setFont(BOLD, 12)
        canvas.drawString(x + margin, y - 5 * mm, _fit(value, BOLD, 12, text_room))
        y -= 11 * mm
    canvas.setFont(FONT, 8)
    canvas.drawString(x + margin, y, _fit(f"{labels.address}: {site_url}", FONT, 8, room))
    for number, line in enumerate(_wrap(labels.change_note, FONT, 8, room)[:2], start=1):
        canvas.drawString(x + margin, y - number * 4 * mm, line)
    _qr(canvas, qr, x=x + width - margin - qr_size, y=top - margin - 8 * mm - qr_size, size=qr_size)


def _qr(canvas: Canvas, qr, *, x: float, y: float, size: float) -> None:
    """The QR code as filled squares (vector, sharp at any print size), with its quiet zone of 2 modules."""
    matrix = [list(row) for row in qr.matrix]
    modules = len(matrix) + 4
    cell = size / modules
    canvas.saveState()
    canvas.setFillGray(0)
    for row_index, row in enumerate(matrix):
        for column_index, dark in enumerate(row):
            if dark:
                canvas.rect(x + (column_index + 2) * cell, y + size - (row_index + 3) * cell, cell, cell,
                            stroke=0, fill=1)
    canvas.restoreState()
