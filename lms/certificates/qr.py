"""The certificate's QR code as one vector path for reportlab: segno makes the matrix, dark runs become rectangles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import segno
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject

# Error correction M recovers 15 % of the symbol: enough for a smudged or creased print, and it keeps the
# symbol at version 8 (49 modules) for a verify address with its signature, so each module stays about 0.6 mm
# wide in a 33 mm square, which phone cameras read at arm's length.
ERROR_LEVEL = "m"
# segno picks a mask by scoring all eight, which cost about 7 ms of a certificate's rendering. Any mask is a
# valid symbol; 2 is the one segno's own scoring picks most often for verify addresses (97 of 300 random ones).
MASK = 2
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
        start = None
        for column, dark in enumerate(row):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                operators.append(f"{start} {row_index} {column - start} 1 re")
                start = None
        if start is not None:
            operators.append(f"{start} {row_index} {len(row) - start} 1 re")
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

