"""The class report as an Excel workbook: Vietnamese headers, frozen header row, filters, text never a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from lms.reports.classes import ClassReport
from lms.text import set_xlsx_text

CLASS_HEADERS = ["STT", "Họ và tên", "Đơn vị công tác", "Điểm", "Điểm tối đa", "Tỷ lệ (%)", "Kết quả",
                 "Số hiệu chứng chỉ"]
RESULT_WORDS = {"passed": "Đạt", "failed": "Chưa đạt", "not_sat": "Chưa thi", "in_progress": "Đang làm bài"}
_WIDTHS = [6, 30, 36, 9, 11, 10, 12, 20]


def class_report_xlsx(report: ClassReport) -> bytes:
    """One sheet named after the class code; row 1 holds the headers (frozen, with filters), one row per trainee."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"Lớp {report.training_class.code}"[:31]
    sheet.append(CLASS_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, line in enumerate(report.lines, start=1):
        row = index + 1
        sheet.cell(row=row, column=1, value=index)
        set_xlsx_text(sheet.cell(row=row, column=2), line.user.full_name)
        set_xlsx_text(sheet.cell(row=row, column=3), line.unit)
        for column, value in ((4, line.score), (5, line.max_score), (6, line.percent)):
            cell = sheet.cell(row=row, column=column, value=None if value is None else round(value, 2))
            cell.number_format = "0.##"
        sheet.cell(row=row, column=7, value=RESULT_WORDS[line.result])
        set_xlsx_text(sheet.cell(row=row, column=8), line.certificate or "")
    for index, width in enumerate(_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:H{len(report.lines) + 1}"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
