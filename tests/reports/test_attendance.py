"""Attendance in the class and programme reports, against values worked out by hand.

Lớp Long Thành 2025 has two ended sessions on 10/06/2025: 07:30–11:30 (240 min) and 13:30–15:30 (120 min); its rule
is the default 80 %. An: present at both → 360/360 = 100 %, met. Bình: present, then absent → 240/360 = 66,7 %,
not met. Cường: excused from the first (not counted), late at the second → 120/120 = 100 %, met.
Lớp Đồng Nai 2026 has one session, on 20/12/2026, not ended by NOW: it records no attendance (blank, not 0).
"""

from __future__ import annotations

import io
from datetime import date, time

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lms.classes.attendance.services import set_mark
from lms.classes.sessions.services import SessionInput, create_session
from lms.reports.classes import class_reports
from lms.reports.programme import programme_report
from tests.conftest import login
from tests.reports.conftest import NOW


@pytest.fixture
def attended(db_session, programme):
    organiser = programme.users["organiser"]
    first, second = (create_session(db_session, organiser, programme.old_class,
                                    SessionInput(day=date(2025, 6, 10), start=start, end=end), now=NOW)
                     for start, end in ((time(7, 30), time(11, 30)), (time(13, 30), time(15, 30))))
    create_session(db_session, organiser, programme.new_class,
                   SessionInput(day=date(2026, 12, 20), start=time(7, 30), end=time(11, 30)), now=NOW)
    users = programme.users
    for session, key, status in ((first, "an", "present"), (second, "an", "present"), (first, "binh", "present"),
                                 (second, "binh", "absent"), (first, "cuong", "excused"), (second, "cuong", "late")):
        set_mark(db_session, organiser, class_session=session, user_id=users[key].id, status=status, now=NOW)
    db_session.commit()
    return programme


def test_class_report_attendance_column(db_session, attended, monkeypatch):
    old, new = class_reports(db_session, [attended.old_class, attended.new_class], now=NOW)
    assert old.records_attendance and not new.records_attendance
    assert [(line.user.full_name, round(line.attendance, 2), line.attendance_met) for line in old.lines] == [
        ("Nguyễn Văn An", 100.0, True), ("Lê Thị Bình", 66.67, False), ("Trần Văn Cường", 100.0, True)]
    assert [(line.attendance, line.attendance_met) for line in new.lines] == [(None, None), (None, None)]


def test_programme_attendance_by_class_unit_and_commune(db_session, attended):
    report = programme_report(db_session, [attended.old_class, attended.new_class], date_from=None, date_to=None,
                              commune_label="(không thuộc xã)", district_label="(không thuộc huyện)", now=NOW)

    def rows(groups):
        return [(g.label, g.attendance_counted, None if g.attendance_average is None else round(g.attendance_average, 2),
                 None if g.attendance_met_rate is None else round(g.attendance_met_rate, 2)) for g in groups]

    # (100 + 66,67 + 100) / 3 = 88,89 %; 2 of 3 meet the rule. The 2026 class has nothing counted.
    assert rows(report.by_class) == [("Lớp Long Thành 2025", 3, 88.89, 66.67), ("Lớp Đồng Nai 2026", 0, None, None)]
    assert rows([report.total]) == [("", 3, 88.89, 66.67)]
    assert rows(report.by_unit) == [("Phường Bến Thành", 1, 66.67, 0.0), ("Sở Nội vụ", 1, 100.0, 100.0),
                                    ("Xã An Phước", 1, 100.0, 100.0), ("—", 0, None, None)]
    assert rows(report.by_commune) == [("Phường Bến Thành", 1, 66.67, 0.0), ("Xã An Phước", 1, 100.0, 100.0),
                                       ("(không thuộc xã)", 1, 100.0, 100.0)]


def test_class_report_page_excel_and_pdf_show_attendance(client, attended):
    login(client, attended.users["organiser"].username)
    html = client.get(f"/classes/{attended.old_class.id}/report").get_data(as_text=True)
    cells = [part.split("</td>")[0] for part in html.split('class="num nowrap attendance">')[1:]]
    assert "66,7 %" in cells[1] and "Chưa đạt yêu cầu" in cells[1] and "100 %" in cells[0] and "Đạt yêu cầu" in cells[0]
    sheet = load_workbook(io.BytesIO(client.get(f"/classes/{attended.old_class.id}/report.xlsx").data)).active
    assert [row[3:5] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        (100, "Đạt"), (66.67, "Chưa đạt"), (100, "Đạt")]
    new_sheet = load_workbook(io.BytesIO(client.get(f"/classes/{attended.new_class.id}/report.xlsx").data)).active
    assert [row[3:5] for row in new_sheet.iter_rows(min_row=2, values_only=True)] == [(None, None), (None, None)]
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(
        client.get(f"/classes/{attended.old_class.id}/report.pdf").data)).pages)  # cells wrap: spaces only
    assert "Chuyên cần" in text and "66,7 % (Chưa đạt)" in text and "100 % (Đạt)" in text


def test_programme_page_excel_and_pdf_show_attendance(client, attended):
    login(client, attended.users["organiser"].username)
    html = client.get("/reports/programme?date_from=01/01/2025").get_data(as_text=True)
    assert "Chuyên cần bình quân" in html and "88,9 %" in html and "66,7 %" in html
    book = load_workbook(io.BytesIO(client.get("/reports/programme.xlsx?date_from=01/01/2025").data))
    by_class = list(book["Theo lớp"].iter_rows(min_row=2, values_only=True))
    assert [row[7:] for row in by_class] == [(88.9, 66.7), (None, None)]
    by_commune = {row[0]: row[7:] for row in book["Theo xã, phường"].iter_rows(min_row=2, values_only=True)}
    assert by_commune["Phường Bến Thành"] == (66.7, 0) and by_commune["Xã An Phước"] == (100, 100)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(
        client.get("/reports/programme.pdf?date_from=01/01/2025").data)).pages)
    assert "Chuyên cần bình quân" in text and "88,9 %" in text
