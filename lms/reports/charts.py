"""Charts drawn on the server: SVG for the pages (no JavaScript) and the same bars as reportlab drawings for PDFs.

Pure functions: numbers in, SVG text or a Drawing out. Every bar carries its value (data-value) so a test can
check the picture against the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics.shapes import Drawing, Line, Rect, String

WIDTH, BAR_AREA, LABEL_ROOM, TOP = 640, 180, 70, 20
BAR_COLOUR, AXIS_COLOUR = "#2f6f9f", "#555555"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # the bar's number: a count, or a percentage
    text: str  # the number as printed above the bar ("12", "56,7 %")


def _geometry(bars: list[Bar], scale_max: float) -> list[tuple[Bar, float, float, float]]:
    """(bar, x, width, height) for every bar, heights in proportion to scale_max."""
    slot = (WIDTH - 40) / max(len(bars), 1)
    width = max(min(slot * 0.7, 60), 4)
    top = scale_max or 1
    return [(bar, 30 + index * slot + (slot - width) / 2, width, BAR_AREA * max(bar.value, 0) / top)
            for index, bar in enumerate(bars)]


def bar_chart_svg(bars: list[Bar], *, scale_max: float, title: str) -> str:
    """A vertical bar chart as an SVG element with a title for screen readers."""
    height = TOP + BAR_AREA + LABEL_ROOM
    base = TOP + BAR_AREA
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
             f'width="100%" aria-label={quoteattr(title)}><title>{escape(title)}</title>',
             f'<line x1="25" y1="{base}" x2="{WIDTH - 5}" y2="{base}" stroke="{AXIS_COLOUR}"/>']
    for bar, x, width, bar_height in _geometry(bars, scale_max):
        centre = x + width / 2
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{base - bar_height:.1f}" width="{width:.1f}" '
                     f'height="{bar_height:.1f}" fill="{BAR_COLOUR}" data-value="{bar.value:g}" '
                     f'data-label={quoteattr(bar.label)}/>')
        parts.append(f'<text x="{centre:.1f}" y="{base - bar_height - 4:.1f}" font-size="11" '
                     f'text-anchor="middle">{escape(bar.text)}</text>')
        parts.append(f'<text x="{centre:.1f}" y="{base + 14}" font-size="10" text-anchor="end" '
                     f'transform="rotate(-35 {centre:.1f} {base + 14})">{escape(_short(bar.label))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_drawing(bars: list[Bar], *, scale_max: float, font: str, scale: float = 0.75) -> Drawing:
    """The same chart for reportlab (y grows upwards there), scaled to fit an A4 page."""
    height = TOP + BAR_AREA + LABEL_ROOM
    drawing = Drawing(WIDTH * scale, height * scale)
    base = LABEL_ROOM
    items = [Line(25, base, WIDTH - 5, base, strokeColor=_colour(AXIS_COLOUR))]
    for bar, x, width, bar_height in _geometry(bars, scale_max):
        centre = x + width / 2
        items.append(Rect(x, base, width, bar_height, fillColor=_colour(BAR_COLOUR), strokeColor=None))
        items.append(String(centre, base + bar_height + 3, bar.text, fontName=font, fontSize=9, textAnchor="middle"))
        items.append(String(centre, base - 12, _short(bar.label, 14), fontName=font, fontSize=7, textAnchor="middle"))
    for item in items:
        drawing.add(item)
    drawing.scale(scale, scale)
    return drawing


def _short(label: str, most: int = 24) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"


def _colour(hex_text: str):
    from reportlab.lib.colors import HexColor

    return HexColor(hex_text)
