"""Reading an uploaded roster (.xlsx or .csv) into raw rows keyed by field, within the spreadsheet limits."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from lms.quizzes.authoring.formats.spreadsheet_limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    ExcelFormatError,
    open_workbook,
)
from lms.text import fold

FIELDS = ("full_name", "date_of_birth", "gender", "unit", "position", "phone", "email", "zoom_email")
# The template's Vietnamese headers, in this order (English ones are accepted too: HEADER_ALIASES).
TEMPLATE_HEADERS = ("Họ và tên", "Ngày sinh", "Giới tính", "Đơn vị công tác", "Chức vụ", "Số điện thoại", "Email",
                    "Email Zoom")
HEADER_ALIASES = {
    "full_name": ("ho va ten", "ho ten", "ho va ten hoc vien", "full name", "name", "trainee"),
    "date_of_birth": ("ngay sinh", "ngay thang nam sinh", "date of birth", "birth date", "birthday", "dob"),
    "gender": ("gioi tinh", "gender", "sex"),
    "unit": ("don vi cong tac", "don vi", "co quan", "work unit", "unit", "agency"),
    "position": ("chuc vu", "position", "job title", "title"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "phone", "phone number", "mobile"),
    "email": ("email", "e-mail", "thu dien tu", "dia chi email"),
    "zoom_email": ("email zoom", "zoom email", "email dung zoom", "zoom"),
}
_HEADER_FIELD = {alias: field for field, aliases in HEADER_ALIASES.items() for alias in aliases}
HEADER_SEARCH_ROWS = 5  # a title row or two above the header is allowed
# Letters and tone marks Windows-1258 has and Windows-1252 lacks (ă đ ơ ư and the combining tones).
_VIETNAMESE_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u0300\u0301\u0303\u0309\u0323]")


class RosterFileError(ValueError):
    """The upload cannot be read as a roster at all (the message says why, in the user's language)."""


@dataclass
class RawRow:
    number: int  # as the spreadsheet shows it (the header is row 1 when it is the first row)
    cells: dict[str, Any]
    too_long: list[str]  # fields whose cell is longer than MAX_CELL_CHARS (their text is dropped)


def read_roster(data: bytes, filename: str) -> list[RawRow]:
    """The rows below the header, empty rows skipped; raises RosterFileError for an unusable file."""
    if not data.strip():
        raise RosterFileError(_("The file is empty."))
    name = filename.lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    else:
        raise RosterFileError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    return _keyed_rows(rows)


def _xlsx_rows(data: bytes) -> list[tuple[int, tuple[Any, ...]]]:
    try:
        workbook = open_workbook(data)
    except ExcelFormatError as error:
        raise RosterFileError(str(error)) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            if any(value not in (None, "") for value in values):
                if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                    raise _too_many_rows()
                rows.append((number, tuple(values)))
        return rows
    except RosterFileError:
        raise
    except Exception as exc:  # the sheet's XML is parsed only now, in read-only mode
        raise RosterFileError(_("The file is damaged or is not a valid Excel workbook.")) from exc
    finally:
        workbook.close()


def _too_many_rows() -> RosterFileError:
    return RosterFileError(_("The file has more than %(limit)d trainee rows; split it into several files.",
                             limit=MAX_ROWS))


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1258 (Vietnamese Windows), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise RosterFileError(_("The file is not a text CSV file (save it as \"CSV UTF-8\")."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        vietnamese = data.decode("cp1258")
    except UnicodeDecodeError:
        vietnamese = ""
    # Both single-byte code pages read almost any bytes: Windows-1258 wins when its letters of its own appear.
    if _VIETNAMESE_ONLY.search(vietnamese):
        return vietnamese
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        if vietnamese:
            return vietnamese
    raise RosterFileError(_("The file is not a text CSV file (save it as \"CSV UTF-8\")."))


def _csv_rows(data: bytes) -> list[tuple[int, tuple[Any, ...]]]:
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if any(value.strip() for value in values):
                if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                    raise _too_many_rows()
                rows.append((number, tuple(values[:MAX_COLUMNS])))
    except csv.Error as error:
        raise RosterFileError(_("The CSV file cannot be read: %(error)s", error=str(error))) from None
    return rows


def header_field(value: Any) -> str | None:
    """The field a header cell names, or None (numbering columns such as STT are ignored)."""
    return _HEADER_FIELD.get(fold(str(value or "")).strip(" :*."))


def _keyed_rows(rows: list[tuple[int, tuple[Any, ...]]]) -> list[RawRow]:
    index = next((i for i, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS])
                  if "full_name" in map(header_field, values)), None)
    if index is None:
        raise RosterFileError(_("No header row with a \"Họ và tên\" (full name) column was found; "
                                "use the template."))
    columns = {position: field for position, value in enumerate(rows[index][1]) if (field := header_field(value))}
    keyed = []
    for number, values in rows[index + 1:]:
        if number - rows[index][0] > MAX_ROWS:
            raise _too_many_rows()
        cells: dict[str, Any] = {}
        too_long = []
        for position, field in columns.items():
            value = values[position] if position < len(values) else None
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                too_long.append(field)
                value = None
            if field not in cells or cells[field] in (None, ""):
                cells[field] = value
        keyed.append(RawRow(number, cells, too_long))
    if not keyed:
        raise RosterFileError(_("The file has a header but no trainee rows."))
    return keyed
