"""Printable A4 reports (reportlab, DejaVu fonts): the class report and the programme report.

Each page is headed with the organising body. Pure functions: plain report data in, PDF bytes out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from lms.numbers import format_number, format_percent
from lms.reports.charts import Bar, column_chart_drawing, row_chart_drawing
from lms.reports.classes import ClassReport
from lms.reports.excel import RESULT_WORDS, RULE_WORDS
from lms.reports.programme import Group, ProgrammeReport, histogram_labels

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
_registered: set[str] = set()


@dataclass(frozen=True)
class Letterhead:
    body_name: str
    body_address: str
    printed_on: date


def register_fonts(font_dir: str) -> None:
    """Register DejaVu Sans (regular and bold) once per process: they cover every Vietnamese letter."""
    if FONT in _registered:
        return
    folder = Path(font_dir)
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    _registered.add(FONT)


def _styles() -> dict[str, ParagraphStyle]:
    return {"title": ParagraphStyle("title", fontName=BOLD, fontSize=14, leading=18, alignment=1, spaceAfter=4),
            "text": ParagraphStyle("text", fontName=FONT, fontSize=9.5, leading=13),
            "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=11, leading=15, spaceBefore=8, spaceAfter=4),
            "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=10.5)}


def _document(buffer: io.BytesIO, letterhead: Letterhead, title: str) -> tuple[SimpleDocTemplate, callable]:
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=25 * mm,
                            bottomMargin=15 * mm, title=title, author=letterhead.body_name)

    def on_page(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(BOLD, 10)
        canvas.drawString(15 * mm, A4[1] - 12 * mm, letterhead.body_name.upper())
        canvas.setFont(FONT, 8)
        canvas.drawString(15 * mm, A4[1] - 16.5 * mm, letterhead.body_address)
        canvas.line(15 * mm, A4[1] - 19 * mm, A4[0] - 15 * mm, A4[1] - 19 * mm)
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm,
                               f"In ngày {letterhead.printed_on:%d/%m/%Y} · Trang {document.page}")
        canvas.restoreState()

    return doc, on_page


def _table(rows: list[list], widths: list[float], styles) -> Table:
    cells = [[Paragraph(_escape(str(value)), styles["cell"]) for value in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def class_report_pdf(report: ClassReport, letterhead: Letterhead, *, font_dir: str) -> bytes:
    """The class report on A4: the class's facts, the totals, then one row per trainee."""
    register_fonts(font_dir)
    styles, buffer = _styles(), io.BytesIO()
    training_class = report.training_class
    doc, on_page = _document(buffer, letterhead, f"Báo cáo kết quả lớp {training_class.name}")
    dates = " – ".join(d.strftime("%d/%m/%Y") for d in (training_class.starts_on, training_class.ends_on) if d)
    story = [Paragraph("BÁO CÁO KẾT QUẢ LỚP HỌC", styles["title"]),
             Paragraph(_escape(f"Lớp: {training_class.name} (mã {training_class.code}) · Khóa học: "
                               f"{training_class.course.title}" + (f" · Thời gian: {dates}" if dates else "")),
                       styles["text"]),
             Paragraph(_escape(f"Bài kiểm tra: {report.quiz.title if report.quiz else 'chưa có'}"), styles["text"]),
             Paragraph(_escape(_totals_sentence(report.enrolled, report.sat, report.passed, report.certified)),
                       styles["text"]), Spacer(1, 6)]
    rows = [["STT", "Họ và tên", "Đơn vị công tác", "Chuyên cần", "Điểm", "Kết quả", "Số hiệu chứng chỉ"]]
    for index, line in enumerate(report.lines, start=1):
        score = (f"{format_number(line.score, 2, 'vi')}/{format_number(line.max_score, 2, 'vi')}"
                 if line.score is not None else "—")
        rows.append([index, line.user.full_name, line.unit, attendance_text(line.attendance, line.attendance_met),
                     score, RESULT_WORDS[line.result], line.certificate or ""])
    story.append(_table(rows, [9 * mm, 38 * mm, 40 * mm, 24 * mm, 18 * mm, 18 * mm, 33 * mm], styles))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def attendance_text(percent: float | None, met: bool | None) -> str:
    """"85,0 % (Đạt)"; blank when the class records no attendance."""
    if percent is None:
        return ""
    return f"{format_percent(percent, 1, 'vi')} ({RULE_WORDS[met]})"


def _totals_sentence(enrolled: int, sat: int, passed: int, certified: int) -> str:
    rate = format_percent(100 * passed / enrolled, 1, "vi") if enrolled else "—"
    certified_rate = format_percent(100 * certified / enrolled, 1, "vi") if enrolled else "—"
    return (f"Số học viên: {enrolled}; đã thi: {sat}; đạt: {passed} ({rate}); "
            f"được cấp chứng chỉ: {certified} ({certified_rate}).")


def _group_rows(first: str, groups: list[Group]) -> list[list]:
    rows = [[first, "Học viên", "Đã thi", "Đạt", "Tỷ lệ đạt", "Chứng chỉ", "Chuyên cần bình quân",
             "Đạt yêu cầu chuyên cần"]]
    for group in groups:
        rows.append([group.label, group.participants, group.sat, group.passed,
                     format_percent(group.pass_rate, 1, "vi"), group.certified,
                     _or_blank(group.attendance_average), _or_blank(group.attendance_met_rate)])
    return rows


def _or_blank(value: float | None) -> str:
    return "" if value is None else format_percent(value, 1, "vi")


def programme_report_pdf(report: ProgrammeReport, letterhead: Letterhead, *, font_dir: str) -> bytes:
    """The programme report on A4: the summary sentence, each breakdown, the histogram and the pass-rate bars."""
    register_fonts(font_dir)
    styles, buffer = _styles(), io.BytesIO()
    doc, on_page = _document(buffer, letterhead, "Báo cáo kết quả chương trình đào tạo")
    span = " – ".join(d.strftime("%d/%m/%Y") for d in (report.date_from, report.date_to) if d)
    total = report.total
    story = [Paragraph("BÁO CÁO KẾT QUẢ ĐÀO TẠO HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG", styles["title"]),
             Paragraph(_escape(f"Thời gian: {span or 'tất cả'} · Số lớp: {len(report.classes)}"), styles["text"]),
             Paragraph(_escape(_totals_sentence(total.participants, total.sat, total.passed, total.certified)),
                       styles["text"])]
    widths = [46 * mm, 17 * mm, 15 * mm, 13 * mm, 18 * mm, 18 * mm, 26 * mm, 27 * mm]
    sections = [("Theo lớp", "Lớp", report.by_class), ("Theo đơn vị công tác", "Đơn vị", report.by_unit),
                ("Theo xã, phường, đặc khu", "Xã, phường", report.by_commune)]
    if report.by_district:
        sections.append(("Theo huyện cũ (các lớp trước ngày 01/07/2025)", "Huyện (cũ)", report.by_district))
    for heading, first, groups in sections:
        story += [Paragraph(heading, styles["h2"]), _table(_group_rows(first, groups), widths, styles)]
    story += [Paragraph("Phân bố điểm (tỷ lệ %)", styles["h2"]),
              column_chart_drawing(histogram_bars(report), scale_max=max(report.histogram or [0]) or 1, font=FONT),
              Paragraph("Tỷ lệ đạt theo lớp", styles["h2"]),
              row_chart_drawing(pass_rate_bars(report.by_class, "vi"), scale_max=100, font=FONT)]
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def histogram_bars(report: ProgrammeReport) -> list[Bar]:
    return [Bar(label, count, str(count)) for label, count in zip(histogram_labels(), report.histogram, strict=True)]


def pass_rate_bars(groups: list[Group], locale: str | None = None) -> list[Bar]:
    return [Bar(group.label, round(group.pass_rate or 0.0, 1), format_percent(group.pass_rate or 0.0, 1, locale))
            for group in groups]
