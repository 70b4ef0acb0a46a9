"""The class and programme reports as Excel workbooks: Vietnamese headers, frozen header rows and filters.

Text goes through lms.text.set_xlsx_text, so a name never runs as a formula.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from lms.reports.classes import ClassReport
from lms.reports.programme import Group, ProgrammeReport
from lms.text import set_xlsx_text

CLASS_HEADERS = ["STT", "Họ và tên", "Đơn vị công tác", "Chuyên cần (%)", "Đạt yêu cầu chuyên cần", "Điểm",
                 "Điểm tối đa", "Tỷ lệ (%)", "Kết quả", "Số hiệu chứng chỉ"]
RESULT_WORDS = {"passed": "Đạt", "failed": "Chưa đạt", "not_sat": "Chưa thi", "in_progress": "Đang làm bài"}
RULE_WORDS = {True: "Đạt", False: "Chưa đạt", None: ""}  # None: the class records no attendance (left blank)
_WIDTHS = [6, 30, 36, 11, 13, 9, 11, 10, 12, 20]


def class_report_xlsx(report: ClassReport) -> bytes:
    """One sheet named after the class code; row 1 holds the headers (frozen, with filters), one row per trainee."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"Lớp {report.training_class.code}"[:31]
    sheet.append(CLASS_HEADERS)
    _style_header(sheet)
    for index, line in enumerate(report.lines, start=1):
        row = index + 1
        sheet.cell(row=row, column=1, value=index)
        set_xlsx_text(sheet.cell(row=row, column=2), line.user.full_name)
        set_xlsx_text(sheet.cell(row=row, column=3), line.unit)
        for column, value in ((4, line.attendance), (6, line.score), (7, line.max_score), (8, line.percent)):
            cell = sheet.cell(row=row, column=column, value=None if value is None else round(value, 2))
            cell.number_format = "0.##"
        sheet.cell(row=row, column=5, value=RULE_WORDS[line.attendance_met] or None)
        sheet.cell(row=row, column=9, value=RESULT_WORDS[line.result])
        set_xlsx_text(sheet.cell(row=row, column=10), line.certificate or "")
    for index, width in enumerate(_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:J{len(report.lines) + 1}"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _style_header(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")


GROUP_HEADERS = ["Học viên", "Đã thi", "Đạt", "Tỷ lệ đạt (%)", "Chứng chỉ", "Tỷ lệ cấp chứng chỉ (%)",
                 "Chuyên cần bình quân (%)", "Tỷ lệ đạt yêu cầu chuyên cần (%)"]


def programme_report_xlsx(report: ProgrammeReport) -> bytes:
    """One sheet per breakdown (class, work unit, commune/ward, former district when any), each with its header
    row frozen and filters on."""
    book = Workbook()
    book.remove(book.active)
    sections = [("Theo lớp", "Lớp", report.by_class), ("Theo đơn vị", "Đơn vị công tác", report.by_unit),
                ("Theo xã, phường", "Xã, phường, đặc khu", report.by_commune)]
    if report.by_district:
        sections.append(("Theo huyện cũ", "Huyện (cũ)", report.by_district))
    for title, first, groups in sections:
        _group_sheet(book.create_sheet(title), first, groups)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _group_sheet(sheet, first: str, groups: list[Group]) -> None:
    sheet.append([first, *GROUP_HEADERS])
    _style_header(sheet)
    for row, group in enumerate(groups, start=2):
        set_xlsx_text(sheet.cell(row=row, column=1), group.label)
        values = (group.participants, group.sat, group.passed, _rate(group.pass_rate), group.certified,
                  _rate(group.certified_rate), _rate(group.attendance_average), _rate(group.attendance_met_rate))
        for column, value in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=value)
    for letter, width in zip("ABCDEFGHI", (40, 10, 9, 9, 12, 11, 18, 14, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:I{len(groups) + 1}"


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
