"""Report pages and files: who may open them (a second body's staff get 404), the Excel and PDF contents, and the
SVG charts' bars against the numbers."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lms.reports.charts import BAR_AREA, ROW_AREA
from tests.conftest import login

ROLES = ["anonymous", "admin", "organiser", "other_organiser", "trainer", "other_trainer", "far_trainer", "an",
         "far_trainee"]
CLASS_ROUTES = ["/classes/{old}/report", "/classes/{old}/report.xlsx", "/classes/{old}/report.pdf"]
BODY_ROUTES = ["/dashboard", "/reports/programme", "/reports/programme.pdf", "/reports/programme.xlsx", "/reports/quality", "/reports/quality?quiz_id={quiz}"]
SVG = "{http://www.w3.org/2000/svg}"


def _path(template: str, programme) -> str:
    return template.format(old=programme.old_class.id, quiz=programme.quiz.id)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template", CLASS_ROUTES + BODY_ROUTES)
def test_route_access(client, programme, role, template):
    if role != "anonymous":
        login(client, programme.users[role].username)
    response = client.get(_path(template, programme))
    allowed = {"admin", "organiser"} | ({"trainer"} if template in CLASS_ROUTES else set())
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in allowed:
        assert response.status_code == 200
    elif template in CLASS_ROUTES and role in ("other_organiser", "other_trainer", "far_trainer"):
        assert response.status_code == 404  # not their class: it does not exist for them
    elif template in BODY_ROUTES and role == "other_organiser":
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_class_report_page(client, programme):
    login(client, programme.users["trainer"].username)
    html = client.get(_path("/classes/{old}/report", programme)).get_data(as_text=True)
    assert "8/8 (100 %)" in html and "4/8 (50 %)" in html and "ISO-2025-0001" in html and "Chưa thi" in html
    totals = html.split('id="class-totals"')[1].split("</p>")[0]
    assert "đạt: 1 (33,3 %)" in totals and "chứng chỉ: 1 (33,3 %)" in totals


def test_class_report_excel(client, programme):
    login(client, programme.users["organiser"].username)
    response = client.get(_path("/classes/{old}/report.xlsx", programme))
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("STT", "Họ và tên", "Đơn vị công tác", "Chuyên cần (%)", "Đạt yêu cầu chuyên cần", "Điểm",
                       "Điểm tối đa", "Tỷ lệ (%)", "Kết quả", "Số hiệu chứng chỉ")
    # No session: attendance left blank, never 0.
    assert tuple(rows[1:]) == ((1, "Nguyễn Văn An", "Xã An Phước", None, None, 8, 8, 100, "Đạt", "ISO-2025-0001"),
                        (2, "Lê Thị Bình", "Phường Bến Thành", None, None, 4, 8, 50, "Chưa đạt", None),
                        (3, "Trần Văn Cường", "Sở Nội vụ", None, None, None, None, None, "Chưa thi", None))
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J4" and sheet["A1"].font.bold


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_class_report_pdf(client, programme):
    login(client, programme.users["organiser"].username)
    data = client.get(_path("/classes/{old}/report.pdf", programme)).data
    reader = PdfReader(io.BytesIO(data))
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    text = _pdf_text(data)
    for expected in ("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH ĐỒNG NAI", "BÁO CÁO KẾT QUẢ LỚP HỌC", "Lớp Long Thành 2025",
                     "Nguyễn Văn An", "ISO-2025-0001", "Trần Văn Cường", "Chưa thi", "đạt: 1 (33,3 %)"):
        assert expected in text, expected


def test_programme_page_numbers_and_charts(client, programme):
    login(client, programme.users["organiser"].username)
    ids = f"class_ids={programme.old_class.id}&class_ids={programme.new_class.id}"
    html = client.get(f"/reports/programme?date_from=01/01/2025&date_to=31/12/2026&{ids}").get_data(as_text=True)
    totals = html.split('id="programme-totals"')[1].split("</p>")[0]
    assert "2 lớp, 5 học viên" in totals and "3 (60 %)" in totals and "2 (40 %)" in totals
    assert "Lớp của Sở khác" not in html and "Huyện Long Thành" in html
    rates = ET.fromstring(html.split('id="pass-rate-chart">')[1].split("</figure>")[0])
    bars = rates.findall(f"{SVG}rect")
    assert [(b.get("data-label"), float(b.get("data-value"))) for b in bars] == [
        ("Lớp Long Thành 2025", 33.3), ("Lớp Đồng Nai 2026", 100.0)]
    assert [round(float(b.get("width")), 1) for b in bars] == [round(ROW_AREA * 0.333, 1), float(ROW_AREA)]
    histogram = ET.fromstring(html.split('id="histogram">')[1].split("</figure>")[0])
    counts = [int(b.get("data-value")) for b in histogram.findall(f"{SVG}rect")]
    assert counts == [0, 0, 0, 0, 0, 1, 0, 1, 0, 2]
    heights = [float(b.get("height")) for b in histogram.findall(f"{SVG}rect")]
    assert heights[9] == BAR_AREA and heights[5] == BAR_AREA / 2 and heights[0] == 0


def test_programme_date_range_and_bad_dates(client, programme):
    login(client, programme.users["organiser"].username)
    html = client.get("/reports/programme?date_from=01/01/2026").get_data(as_text=True)
    assert "Lớp Đồng Nai 2026" in html and "Lớp Long Thành 2025" not in html.split('id="programme-totals"')[1]
    assert client.get("/reports/programme?date_from=32/01/2026").status_code == 400
    assert client.get(f"/reports/programme?class_ids={programme.far_class.id}").status_code == 400


def test_programme_pdf_has_the_numbers(client, programme):
    login(client, programme.users["organiser"].username)
    text = _pdf_text(client.get("/reports/programme.pdf?date_from=01/01/2025").data)
    for expected in ("BÁO CÁO KẾT QUẢ ĐÀO TẠO", "Số học viên: 5; đã thi: 4; đạt: 3 (60 %)", "Xã An Phước",
                     "Huyện Long Thành", "Tỷ lệ đạt theo lớp", "33,3 %"):
        assert expected in text, expected


def test_another_body_sees_none_of_it(client, programme):
    login(client, programme.users["other_organiser"].username)
    html = client.get("/reports/programme").get_data(as_text=True)
    assert "Lớp của Sở khác" in html and "Nguyễn Văn An" not in html and "Lớp Long Thành" not in html
    quality = client.get("/reports/quality").get_data(as_text=True)
    assert "Lớp Long Thành" not in quality


def test_formula_like_names_stay_text_in_the_excel_report(client, db_session, programme):
    programme.users["binh"].full_name = '=HYPERLINK("http://x","Bình")'
    db_session.commit()
    login(client, programme.users["organiser"].username)
    sheet = load_workbook(io.BytesIO(client.get(_path("/classes/{old}/report.xlsx", programme)).data)).active
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(row[1].value))
    assert cell.data_type == "s" and cell.quotePrefix and cell.value.startswith("=HYPERLINK")


def test_programme_excel_has_a_sheet_per_breakdown(client, programme):
    login(client, programme.users["organiser"].username)
    book = load_workbook(io.BytesIO(client.get("/reports/programme.xlsx?date_from=01/01/2025").data))
    assert book.sheetnames == ["Theo lớp", "Theo đơn vị", "Theo xã, phường", "Theo huyện cũ"]
    rows = list(book["Theo lớp"].iter_rows(values_only=True))
    assert rows == [("Lớp", "Học viên", "Đã thi", "Đạt", "Tỷ lệ đạt (%)", "Chứng chỉ", "Tỷ lệ cấp chứng chỉ (%)",
                     "Chuyên cần bình quân (%)", "Tỷ lệ đạt yêu cầu chuyên cần (%)"),
                    ("Lớp Long Thành 2025", 3, 2, 1, 33.3, 1, 33.3, None, None),
                    ("Lớp Đồng Nai 2026", 2, 2, 2, 100, 1, 50, None, None)]
    assert book["Theo huyện cũ"].freeze_panes == "A2" and book["Theo xã, phường"].auto_filter.ref == "A1:I4"
