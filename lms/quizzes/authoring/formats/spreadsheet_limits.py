"""Limits an uploaded spreadsheet must keep, checked before it is read and while it is: no spreadsheet bombs.

Before anything is unpacked, the zip's table of contents is read: at most MAX_ENTRIES parts and
MAX_UNPACKED_BYTES declared uncompressed size in all (Python's zip reader never unpacks more than a part
declares). The workbook is then opened by openpyxl in read-only mode (rows streamed, never a whole sheet in
memory), and reading stops at the first filled row beyond MAX_ROWS question rows, which refuses the file.
Rows are read up to MAX_COLUMNS columns; a cell longer than MAX_CELL_CHARS makes a problem of its row (its
text is not echoed).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook

from lms.quizzes.authoring.validation import MAX_TEXT_LENGTH

MAX_ENTRIES = 200
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 2000  # question rows below the header
MAX_COLUMNS = 40
MAX_CELL_CHARS = MAX_TEXT_LENGTH


class ExcelFormatError(ValueError):
    """The upload is not a usable .xlsx question file at all (the message says why)."""


_DAMAGED = "Tệp .xlsx bị hỏng hoặc không phải là bảng tính Excel hợp lệ."


def open_workbook(data: bytes) -> Any:
    """``data`` opened read-only after its zip table of contents passed the limits; raises ExcelFormatError."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ExcelFormatError("Tệp .xls (Excel 97-2003) không được hỗ trợ; hãy lưu lại dưới dạng .xlsx.")
    if data[:4] != b"PK\x03\x04":
        raise ExcelFormatError("Tệp tải lên không phải là bảng tính Excel .xlsx.")
    damaged = ExcelFormatError(_DAMAGED)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise damaged from None
    if len(parts) > MAX_ENTRIES:
        raise ExcelFormatError(_("The .xlsx file is made of %(count)d parts, more than the %(limit)d a question "
                                 "file can have.", count=len(parts), limit=MAX_ENTRIES))
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ExcelFormatError(_("The .xlsx file unpacks to %(size)d MB, more than the %(limit)d MB allowed; split "
                                 "it into smaller files.", size=-(-unpacked // 2**20), limit=MAX_UNPACKED_BYTES // 2**20))
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl reports a damaged or foreign archive with many exception types
        raise damaged from exc


def too_many_rows() -> ExcelFormatError:
    return ExcelFormatError(_("The sheet has more than %(limit)d question rows; split it into several files.",
                              limit=MAX_ROWS))


def limited_rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """``(row number, values)`` of the sheet from row 1, at most MAX_COLUMNS values each.

    Reading stops with ExcelFormatError at the first filled row beyond MAX_ROWS rows below the header (empty
    rows there, e.g. formatted ones, are passed over); ExcelFormatError too when the sheet's XML is broken.
    The sheet's declared size is not trusted either way.
    """
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            if number > MAX_ROWS + 1:
                if any(value not in (None, "") for value in values):
                    raise too_many_rows()
                continue
            yield number, tuple(values)
    except ExcelFormatError:
        raise
    except Exception as exc:  # the sheet's XML is parsed only now, in read-only mode
        raise ExcelFormatError(_DAMAGED) from exc


def long_cells(cells: dict[str, str], labels: dict[str, str]) -> list[str]:
    """Messages for the cells of one row longer than MAX_CELL_CHARS (their text is not repeated)."""
    return [_("cell '%(column)s' holds %(length)d characters, more than the %(limit)d allowed",
              column=labels.get(name, name), length=len(text), limit=MAX_CELL_CHARS)
            for name, text in cells.items() if len(text) > MAX_CELL_CHARS]
