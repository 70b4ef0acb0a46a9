"""Results of one test as CSV (UTF-8 with BOM, for Excel) and as an Excel workbook, with Vietnamese headers.

Trainees who never started the test are listed as "Chưa thi" after those who did; dates of birth only for
organisers and administrators (``with_birth_dates``).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from lms.quizzes.models import AttemptState, CloseReason
from lms.quizzes.results.reports import ResultRow
from lms.quizzes.results.summary import NotSat
from lms.text import csv_text, set_xlsx_text

EXPORT_HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Đơn vị công tác", "Lớp", "Lần làm", "Bắt đầu", "Nộp bài",
                  "Thời gian làm (phút)", "Điểm", "Điểm tối đa", "Tỷ lệ (%)", "Kết quả", "Trạng thái", "Lần được tính"]
_EXPORT_STATES = {CloseReason.SUBMITTED: "Đã nộp bài", CloseReason.DEADLINE: "Hết giờ, tự động nộp",
                  CloseReason.SWEEP: "Hết giờ, hệ thống đóng"}


NOT_SAT = "Chưa thi"
BIRTH_COLUMN = EXPORT_HEADERS.index("Ngày sinh")


def export_headers(with_birth_dates: bool = True) -> list[str]:
    return EXPORT_HEADERS if with_birth_dates else [h for i, h in enumerate(EXPORT_HEADERS) if i != BIRTH_COLUMN]


def export_table(rows: list[ResultRow], tz_name: str, *, not_sat: list[NotSat] = (),
                 with_birth_dates: bool = True) -> list[list]:
    """One list of values per attempt, then one per trainee who never started, in export_headers() order;
    times are naive Vietnam wall-clock times."""
    table = _attempt_values(rows, ZoneInfo(tz_name))
    for item in not_sat:
        user = item.user
        table.append([len(table) + 1, user.full_name, user.date_of_birth, user.work_unit.name if user.work_unit
                      else "", item.class_name, None, None, None, None, None, None, None, NOT_SAT, NOT_SAT, ""])
    if not with_birth_dates:
        table = [[v for i, v in enumerate(values) if i != BIRTH_COLUMN] for values in table]
    return table


def _attempt_values(rows: list[ResultRow], zone: ZoneInfo) -> list[list]:
    table = []
    for index, row in enumerate(rows, start=1):
        attempt, user = row.attempt, row.user
        is_open = attempt.state == AttemptState.OPEN
        table.append([
            index, user.full_name, user.date_of_birth, user.work_unit.name if user.work_unit else "", row.class_name,
            attempt.number, _wall(attempt.started_at, zone), _wall(attempt.closed_at, zone), row.duration_minutes,
            None if is_open else _rounded(attempt.score, 2), None if is_open else attempt.max_score,
            None if is_open else _rounded(attempt.percent, 1), "" if is_open else ("Đạt" if attempt.passed else "Chưa đạt"),
            "Đang làm bài" if is_open else _EXPORT_STATES.get(attempt.close_reason, "Đã đóng"),
            "x" if row.counted else "",
        ])
    return table


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _wall(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    return value.astimezone(zone).replace(tzinfo=None) if value else None


def results_csv(rows: list[ResultRow], tz_name: str, *, not_sat: list[NotSat] = (),
                with_birth_dates: bool = True) -> bytes:
    """UTF-8 with a BOM so Excel reads the Vietnamese letters; dates dd/mm/yyyy; no cell can run as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(export_headers(with_birth_dates))
    table = export_table(rows, tz_name, not_sat=not_sat, with_birth_dates=with_birth_dates)
    writer.writerows([_csv_cell(value) for value in values] for values in table)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:g}"
    return csv_text(value) if isinstance(value, str) else str(value)


def results_xlsx(rows: list[ResultRow], tz_name: str, *, not_sat: list[NotSat] = (),
                 with_birth_dates: bool = True) -> bytes:
    """One sheet, Vietnamese headers, real dates shown dd/mm/yyyy; text is stored as text, never as a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    sheet.append(export_headers(with_birth_dates))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    table = export_table(rows, tz_name, not_sat=not_sat, with_birth_dates=with_birth_dates)
    for row_index, values in enumerate(table, start=2):
        for column, value in enumerate(values, start=1):
            _xlsx_cell(sheet.cell(row=row_index, column=column), value)
    widths = [6, 28, 12, 30, 18, 8, 17, 17, 10, 8, 10, 10, 10, 22, 12]
    if not with_birth_dates:
        del widths[BIRTH_COLUMN]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "C2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _xlsx_cell(cell, value) -> None:
    if isinstance(value, str):
        set_xlsx_text(cell, value)  # the one rule for every spreadsheet the platform writes
        return
    cell.value = value
    if isinstance(value, datetime):
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"
