"""Charts drawn on the server: SVG for the pages (no JavaScript) and the same bars as reportlab drawings for PDFs.

Pure functions: numbers in, SVG text or a Drawing out. Every bar carries its value (data-value) so a test can
check the picture against the numbers. Columns suit short labels (score bands); rows suit long ones (classes).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import HexColor

WIDTH, BAR_AREA, LABEL_ROOM, TOP = 640, 180, 24, 20  # columns: bar heights up to BAR_AREA
ROW, LABEL_WIDTH, ROW_AREA = 24, 230, 330  # rows: bar widths up to ROW_AREA
BAR_COLOUR, AXIS_COLOUR = "#2f6f9f", "#555555"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # the bar's number: a count, or a percentage
    text: str  # the number as printed beside the bar ("12", "56,7 %")


def _columns(bars: list[Bar], scale_max: float) -> list[tuple[Bar, float, float, float]]:
    """(bar, x, width, height) for every column, heights in proportion to scale_max."""
    slot = (WIDTH - 40) / max(len(bars), 1)
    width = max(min(slot * 0.7, 60), 4)
    top = scale_max or 1
    return [(bar, 30 + index * slot + (slot - width) / 2, width, BAR_AREA * max(bar.value, 0) / top)
            for index, bar in enumerate(bars)]


def _rows(bars: list[Bar], scale_max: float) -> list[tuple[Bar, float, float]]:
    """(bar, y of the row's top, bar length) for every row, lengths in proportion to scale_max."""
    top = scale_max or 1
    return [(bar, 4 + index * ROW, ROW_AREA * max(bar.value, 0) / top) for index, bar in enumerate(bars)]


def _open_svg(width: float, height: float, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height:.0f}" '
            f'width="100%" aria-label={quoteattr(title)}><title>{escape(title)}</title>')


def _rect(x: float, y: float, width: float, height: float, bar: Bar) -> str:
    return (f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'fill="{BAR_COLOUR}" data-value="{bar.value:g}" data-label={quoteattr(bar.label)}/>')


def column_chart_svg(bars: list[Bar], *, scale_max: float, title: str) -> str:
    """Vertical bars with their value above and a short label below (e.g. score bands)."""
    base = TOP + BAR_AREA
    parts = [_open_svg(WIDTH, base + LABEL_ROOM, title),
             f'<line x1="25" y1="{base}" x2="{WIDTH - 5}" y2="{base}" stroke="{AXIS_COLOUR}"/>']
    for bar, x, width, height in _columns(bars, scale_max):
        centre = x + width / 2
        parts += [_rect(x, base - height, width, height, bar),
                  f'<text x="{centre:.1f}" y="{base - height - 4:.1f}" font-size="11" text-anchor="middle">'
                  f'{escape(bar.text)}</text>',
                  f'<text x="{centre:.1f}" y="{base + 15}" font-size="10" text-anchor="middle">'
                  f'{escape(_short(bar.label, 12))}</text>']
    return "".join(parts) + "</svg>"


def row_chart_svg(bars: list[Bar], *, scale_max: float, title: str) -> str:
    """Horizontal bars, one row per item, its label on the left and its value after the bar (e.g. classes)."""
    parts = [_open_svg(WIDTH, 8 + ROW * len(bars), title),
             f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{8 + ROW * len(bars)}" stroke="{AXIS_COLOUR}"/>']
    for bar, y, length in _rows(bars, scale_max):
        parts += [f'<text x="{LABEL_WIDTH - 6}" y="{y + 15:.1f}" font-size="11" text-anchor="end">'
                  f'{escape(_short(bar.label, 36))}</text>',
                  _rect(LABEL_WIDTH, y + 3, length, ROW - 8, bar),
                  f'<text x="{LABEL_WIDTH + length + 5:.1f}" y="{y + 15:.1f}" font-size="11">{escape(bar.text)}</text>']
    return "".join(parts) + "</svg>"


def column_chart_drawing(bars: list[Bar], *, scale_max: float, font: str, scale: float = 0.75) -> Drawing:
    """column_chart_svg for reportlab (y grows upwards there), scaled to fit an A4 page."""
    drawing = Drawing(WIDTH * scale, (TOP + BAR_AREA + LABEL_ROOM) * scale)
    base = LABEL_ROOM
    drawing.add(Line(25, base, WIDTH - 5, base, strokeColor=HexColor(AXIS_COLOUR)))
    for bar, x, width, height in _columns(bars, scale_max):
        centre = x + width / 2
        drawing.add(Rect(x, base, width, height, fillColor=HexColor(BAR_COLOUR), strokeColor=None))
        drawing.add(String(centre, base + height + 3, bar.text, fontName=font, fontSize=9, textAnchor="middle"))
        drawing.add(String(centre, base - 14, _short(bar.label, 12), fontName=font, fontSize=8, textAnchor="middle"))
    drawing.scale(scale, scale)
    return drawing


def row_chart_drawing(bars: list[Bar], *, scale_max: float, font: str, scale: float = 0.75) -> Drawing:
    """row_chart_svg for reportlab, scaled to fit an A4 page."""
    height = 8 + ROW * len(bars)
    drawing = Drawing(WIDTH * scale, height * scale)
    drawing.add(Line(LABEL_WIDTH, 0, LABEL_WIDTH, height, strokeColor=HexColor(AXIS_COLOUR)))
    for bar, y, length in _rows(bars, scale_max):
        baseline = height - y - 15  # the SVG's y counted from the top
        drawing.add(String(LABEL_WIDTH - 6, baseline, _short(bar.label, 36), fontName=font, fontSize=9,
                           textAnchor="end"))
        drawing.add(Rect(LABEL_WIDTH, height - y - ROW + 5, length, ROW - 8, fillColor=HexColor(BAR_COLOUR),
                         strokeColor=None))
        drawing.add(String(LABEL_WIDTH + length + 5, baseline, bar.text, fontName=font, fontSize=9))
    drawing.scale(scale, scale)
    return drawing


def _short(label: str, most: int) -> str:
    """Cut in the middle: names of one series often share a long start and differ at the end ("khóa 1")."""
    if len(label) <= most:
        return label
    head = (most - 1) * 2 // 5
    return label[:head].rstrip() + "…" + label[len(label) - (most - 1 - head):].lstrip()
