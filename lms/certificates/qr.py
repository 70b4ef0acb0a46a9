"""The certificate's QR code as one vector path for reportlab: segno makes the matrix, dark runs become rectangles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import segno
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject

# Error correction M recovers 15 % of the symbol: enough for a smudged or creased print. The verify address with
# its key id, signature and signed fields is about 450 characters, a version 17 symbol (85 modules); drawn 47 mm
# wide with its quiet zone, each module is 0.5 mm, which phone cameras read at a hand's distance.
ERROR_LEVEL = "m"
# segno picks a mask by scoring all eight, which cost 34 of the 41 ms a symbol took. Any mask gives a valid
# symbol; 3 is among the two segno's own scoring picks most often for verify addresses (52 of 200 random ones).
MASK = 3
QUIET_ZONE = 4  # modules of light margin on each side, as ISO/IEC 18004 requires


@dataclass(frozen=True, slots=True)
class QrShape:
    """A QR symbol as PDF path operators in module units (origin top-left of the symbol, y down)."""

    modules: int  # width of the symbol without the quiet zone
    operators: tuple[str, ...]  # one "x y w 1 re" per horizontal run of dark modules


@lru_cache(maxsize=512)
def qr_shape(text: str) -> QrShape:
    """The QR symbol of `text` (error correction M, fixed mask, never a Micro QR), cached by text."""
    code = segno.make(text, error=ERROR_LEVEL, mask=MASK, micro=False, boost_error=False)
    operators: list[str] = []
    for row_index, row in enumerate(code.matrix):
        cells = bytes(row)  # 1 dark, 0 light
        start = cells.find(1)
        while start != -1:
            end = cells.find(0, start)
            end = len(cells) if end == -1 else end
            operators.append(f"{start} {row_index} {end - start} 1 re")
            start = cells.find(1, end)
    return QrShape(modules=len(code.matrix), operators=tuple(operators))


def draw_qr(canvas: Canvas, text: str, *, x: float, y: float, size: float, colour=None, quiet_zone: bool = True) -> None:
    """Draw the QR of `text` as one filled path whose outer square (with its quiet zone) has its lower-left
    corner at (x, y) and side `size` points. The light modules are the page's own background."""
    shape = qr_shape(text)
    total = shape.modules + (2 * QUIET_ZONE if quiet_zone else 0)
    module = size / total
    offset = QUIET_ZONE if quiet_zone else 0
    canvas.saveState()
    # Module units with y pointing down, so the cached operators are used as they are.
    canvas.transform(module, 0, 0, -module, x + offset * module, y + size - offset * module)
    if colour is not None:
        canvas.setFillColor(colour)
    canvas.drawPath(PDFPathObject(code=list(shape.operators)), stroke=0, fill=1)
    canvas.restoreState()

