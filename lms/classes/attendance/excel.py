"""The attendance sheet as an Excel workbook with Vietnamese headings, the form a Sở KH&CN files with its report."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lms.classes.attendance.sheet import NO_RECORD, ROLL_CALL, UPCOMING, ZOOM, AttendanceSheet, SheetCell
from lms.text import set_xlsx_text

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
CELL_WORDS = {"present": "Có mặt", "late": "Đi muộn", "excused": "Vắng có phép", "absent": "Vắng",
              ROLL_CALL: "Có mặt (điểm danh)", NO_RECORD: "Vắng", UPCOMING: ""}
HEADERS_BEFORE = ["STT", "Họ và tên", "Đơn vị công tác"]
HEADERS_AFTER = ["Tỷ lệ tham dự (%)", "Đạt yêu cầu", "Ghi chú"]


def cell_text(cell: SheetCell) -> str:
    if cell.state == ZOOM:
        return f"{cell.zoom_minutes} phút (Zoom)"
    text = CELL_WORDS.get(cell.state, cell.state)
    return f"{text} ({cell.zoom_minutes} phút Zoom)" if cell.zoom_minutes and cell.state != UPCOMING else text


def session_heading(class_session) -> str:
    start, end = class_session.starts_at.astimezone(VIETNAM), class_session.ends_at.astimezone(VIETNAM)
    return f"Buổi {start:%d/%m/%Y} {start:%H:%M}–{end:%H:%M}"


def attendance_workbook(sheet: AttendanceSheet) -> bytes:
    """One worksheet: title lines, then the table; every text cell goes through the formula-neutralising rule."""
    book = Workbook()
    ws = book.active
    ws.title = "Điểm danh"
    training_class = sheet.training_class
    titles = ["DANH SÁCH THEO DÕI THAM DỰ LỚP HỌC", f"Lớp: {training_class.name}",
              f"Khóa đào tạo: {training_class.course.title}", f"Đơn vị tổ chức: {training_class.organising_body.name}",
              f"Yêu cầu: tham dự ít nhất {sheet.min_percent} % thời lượng các buổi học (không tính buổi vắng có phép)"]
    for line, text in enumerate(titles, start=1):
        set_xlsx_text(ws.cell(row=line, column=1), text)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    header_row = len(titles) + 2
    headers = HEADERS_BEFORE + [session_heading(s) for s in sheet.sessions] + HEADERS_AFTER
    for column, text in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=column)
        set_xlsx_text(cell, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, row in enumerate(sheet.rows, start=1):
        line = header_row + index
        ws.cell(row=line, column=1, value=index)
        set_xlsx_text(ws.cell(row=line, column=2), row.user.full_name)
        set_xlsx_text(ws.cell(row=line, column=3), row.user.work_unit.name if row.user.work_unit else "")
        for offset, cell in enumerate(row.cells):
            set_xlsx_text(ws.cell(row=line, column=4 + offset), cell_text(cell))
        tail = 4 + len(row.cells)
        percent = row.summary.percent
        ws.cell(row=line, column=tail, value=round(percent, 1) if percent is not None else None)
        set_xlsx_text(ws.cell(row=line, column=tail + 1), "Đạt" if row.summary.meets_rule else "Không đạt")
        note = "" if row.summary.meets_rule else f"Tham dự {int(percent or 0)} % < {sheet.min_percent} %"
        set_xlsx_text(ws.cell(row=line, column=tail + 2), note)
    for column, width in enumerate([6, 28, 30] + [18] * len(sheet.sessions) + [12, 12, 24], start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
