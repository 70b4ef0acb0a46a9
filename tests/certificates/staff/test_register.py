"""The register: search without diacritics, filters, paging, the Excel export read back with openpyxl."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from lms.certificates.records import local_date, reissue_certificate, revoke_certificate
from lms.certificates.register.export import HEADERS
from lms.certificates.register.search import RegisterQuery, page_of, search_register
from lms.db import utcnow
from tests.certificates.staff.conftest import issue_to
from tests.conftest import login


def _three(app, db_session, sat):
    """The passer's certificate re-issued, the absent one's revoked: valid, superseded and revoked."""
    first = issue_to(app, db_session, sat, sat.passer)
    exempt = issue_to(app, db_session, sat, sat.users["absent"], reason="Miễn thi")
    with app.test_request_context():
        new = reissue_certificate(db_session, first, actor_id=None, reason="Sửa đơn vị",
                                  corrections={"holder_unit": "=HYPERLINK(\"http://x\")"}, now=utcnow(),
                                  secret=app.config["SECRET_KEY"], base_url=app.config["PUBLIC_BASE_URL"])
        revoke_certificate(db_session, exempt, actor_id=None, reason="Nhầm lớp", revoked_on=date(2026, 11, 5),
                           now=utcnow())
    db_session.commit()
    return first, new, exempt


def test_search_finds_names_without_diacritics_and_filters_status_and_dates(app, db_session, sat):
    first, new, exempt = _three(app, db_session, sat)
    body_id = sat.training_class.organising_body_id
    today = local_date(utcnow())  # issued_on is the date in Vietnam

    def numbers(**query) -> list[str]:
        return [c.number for c in search_register(db_session, body_id=body_id, query=RegisterQuery(**query),
                                                  today=today)]

    assert numbers(text="nguyen thi huong") == [new.number, first.number]
    assert numbers(text="NGUYỄN THỊ HƯƠNG") == [new.number, first.number]
    assert numbers(text="út tám") == numbers(text="ut tam") == [exempt.number]
    assert numbers(text=new.number) == [new.number]
    assert numbers(status="valid") == [new.number]
    assert numbers(status="superseded") == [first.number]
    assert numbers(status="revoked") == [exempt.number]
    assert numbers(issued_from=date(2000, 1, 1), issued_to=date(2000, 12, 31)) == []
    assert len(numbers(issued_from=today, issued_to=today)) == 3
    assert search_register(db_session, body_id=body_id + 1000, query=RegisterQuery(), today=today) == []


def test_paging():
    result = page_of(list(range(120)), 3, size=50)
    assert (result.items, result.page, result.pages, result.total) == (list(range(100, 120)), 3, 3, 120)
    assert page_of([], 9).page == 1


def test_the_page_and_the_excel_export(client, app, db_session, sat):
    first, new, exempt = _three(app, db_session, sat)
    login(client, "btc.cc")
    page = client.get("/certificates/register?q=nguyen+thi+huong").get_data(as_text=True)
    assert new.number in page and first.number in page and exempt.number not in page
    assert client.get("/certificates/register?issued_from=99/99/2026").status_code == 400
    response = client.get("/certificates/register.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[3]] == HEADERS
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows[new.number][3] == "Nguyễn Thị Hương" and rows[new.number][11] == "Còn hiệu lực"
    assert rows[first.number][11] == "Đã được thay thế" and rows[first.number][14] == new.number
    assert rows[exempt.number][11] == "Đã thu hồi" and rows[exempt.number][13] == "Nhầm lớp"
    # The one formula rule: a unit that looks like a formula stays text, never evaluated.
    unit_cell = next(r for r in sheet.iter_rows(min_row=4) if r[1].value == new.number)[5]
    assert unit_cell.value.startswith("=HYPERLINK") and unit_cell.data_type == "s" and unit_cell.quotePrefix


def test_another_body_sees_an_empty_register(client, app, db_session, sat):
    certificate = issue_to(app, db_session, sat, sat.passer)
    login(client, "btc.xa")
    page = client.get("/certificates/register").get_data(as_text=True)
    assert certificate.number not in page
