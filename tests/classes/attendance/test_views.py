"""Attendance pages: role matrix, marks and assignment by one click, the rule form, Zoom emails, the Excel sheet."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.auth.models import User
from lms.classes.attendance.models import AttendanceMarkChange, AttendanceRule, ParticipantEvent
from lms.classes.models import Enrolment
from lms.classes.sessions.models import ClassSession
from tests.classes.conftest import LIVE_ROLES, MANAGERS, check_access
from tests.conftest import login, post_form

OUTSIDERS = {"other_organiser", "other_trainer", "far_trainer"}
ORGANISERS = {"admin", "organiser"}
ROUTES = [
    ("GET", "/classes/{class}/attendance", MANAGERS, None, OUTSIDERS),
    ("GET", "/classes/{class}/attendance.xlsx", MANAGERS, None, OUTSIDERS),
    ("GET", "/classes/{class}/attendance/sessions/{session}", MANAGERS, None, OUTSIDERS),
    ("POST", "/classes/{class}/attendance/sessions/{session}/mark", MANAGERS,
     {"user_id": "{trainee}", "status": "present"}, OUTSIDERS),
    ("POST", "/classes/{class}/attendance/sessions/{session}/assign", MANAGERS,
     {"user_id": "{trainee}", "participant_key": "uuid-khach"}, OUTSIDERS),
    ("POST", "/classes/{class}/attendance/rule", ORGANISERS, {"min_percent": "70"}, {"other_organiser"}),
    ("POST", "/classes/{class}/zoom-emails", ORGANISERS, {"zoom_email-{trainee}": "hv@zoom.vn"}, {"other_organiser"}),
    ("POST", "/classes/{class}/my/zoom-email", {"trainee"}, {"zoom_email": "toi@zoom.vn"},
     {"other_trainee", "far_trainee"}),
]


@pytest.mark.parametrize("role", LIVE_ROLES)
@pytest.mark.parametrize(("method", "template", "allowed", "data", "not_found"), ROUTES,
                         ids=[f"{m} {t}" for m, t, *_ in ROUTES])
def test_attendance_routes(client, live_world, role, method, template, allowed, data, not_found):
    data = {k.format(**live_world.ids): v.format(**live_world.ids) for k, v in (data or {}).items()}
    check_access(client, live_world, role, method, template.format(**live_world.ids), allowed, data, not_found)


def test_one_click_assignment_of_an_unmatched_participant(client, live_world, db_session):
    login(client, live_world.usernames["trainer"])
    page = client.get("/classes/{class}/attendance/sessions/{session}".format(**live_world.ids))
    assert "Khách" in page.get_data(as_text=True)
    response = post_form(client, "/classes/{class}/attendance/sessions/{session}/assign".format(**live_world.ids),
                         {"participant_key": "uuid-khach", "user_id": str(live_world.ids["trainee"])})
    assert response.status_code == 302
    assert db_session.scalar(select(ParticipantEvent.user_id)) == live_world.ids["trainee"]
    page = client.get("/classes/{class}/attendance/sessions/{session}".format(**live_world.ids))
    assert "uuid-khach" not in page.get_data(as_text=True)


def test_marks_with_history_on_screen(client, live_world, db_session):
    login(client, live_world.usernames["trainer"])
    url = "/classes/{class}/attendance/sessions/{session}/mark".format(**live_world.ids)
    post_form(client, url, {"user_id": str(live_world.ids["trainee"]), "status": "absent"})
    post_form(client, url, {"user_id": str(live_world.ids["trainee"]), "status": "excused", "note": "Ốm"})
    bad = post_form(client, url, {"user_id": str(live_world.ids["trainee"]), "status": "sleeping"})
    assert bad.status_code == 302
    changes = db_session.scalars(select(AttendanceMarkChange).order_by(AttendanceMarkChange.id)).all()
    assert [(c.old_status, c.new_status) for c in changes] == [("", "absent"), ("absent", "excused")]
    html = client.get("/classes/{class}/attendance/sessions/{session}".format(**live_world.ids)).get_data(as_text=True)
    assert "Ốm" in html


def test_rule_form_and_bad_values(client, live_world, db_session):
    login(client, live_world.usernames["organiser"])
    url = "/classes/{class}/attendance/rule".format(**live_world.ids)
    assert post_form(client, url, {"min_percent": "abc"}).status_code == 302
    assert db_session.get(AttendanceRule, live_world.ids["class"]) is None
    post_form(client, url, {"min_percent": "75"})
    assert db_session.get(AttendanceRule, live_world.ids["class"]).min_percent == 75


def test_zoom_emails_by_organiser_and_by_the_trainee(client, live_world, db_session, app):
    login(client, live_world.usernames["organiser"])
    trainee_id = live_world.ids["trainee"]
    post_form(client, "/classes/{class}/zoom-emails".format(**live_world.ids), {f"zoom_email-{trainee_id}": "x@"})
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.user_id == trainee_id))
    assert enrolment.zoom_email is None
    post_form(client, "/classes/{class}/zoom-emails".format(**live_world.ids),
              {f"zoom_email-{trainee_id}": "huong.zoom@gmail.com"})
    db_session.expire_all()
    assert db_session.scalar(select(Enrolment.zoom_email).where(Enrolment.user_id == trainee_id)) == \
        "huong.zoom@gmail.com"
    assert "huong.zoom@gmail.com" in client.get("/classes/{class}".format(**live_world.ids)).get_data(as_text=True)
    trainee = app.test_client()
    login(trainee, live_world.usernames["trainee"])
    post_form(trainee, "/classes/{class}/my/zoom-email".format(**live_world.ids), {"zoom_email": "  toi@zoom.vn "})
    db_session.expire_all()
    assert db_session.scalar(select(Enrolment.zoom_email).where(Enrolment.user_id == trainee_id)) == "toi@zoom.vn"


def test_trainees_never_see_other_trainees_attendance(client, live_world, db_session):
    other = db_session.scalar(select(User).where(User.username == live_world.usernames["other_trainee"]))
    db_session.add(Enrolment(class_id=live_world.ids["class"], user_id=other.id, zoom_email="other@zoom.vn"))
    other.full_name = "Trần Văn Khác"
    db_session.commit()
    login(client, live_world.usernames["trainee"])
    html = client.get("/classes/{class}/my".format(**live_world.ids)).get_data(as_text=True)
    assert "Trần Văn Khác" not in html and "other@zoom.vn" not in html
    for path in ("/classes/{class}/attendance", "/classes/{class}/attendance.xlsx"):
        assert client.get(path.format(**live_world.ids)).status_code == 403


def test_excel_sheet_has_vietnamese_headers_and_neutral_cells(client, live_world, db_session):
    trainee = db_session.get(User, live_world.ids["trainee"])
    trainee.full_name = "=HYPERLINK(\"http://x\")"
    class_session = db_session.get(ClassSession, live_world.ids["session"])
    class_session.starts_at -= timedelta(days=5)  # ended: counted
    class_session.ends_at -= timedelta(days=5)
    db_session.commit()
    login(client, live_world.usernames["organiser"])
    response = client.get("/classes/{class}/attendance.xlsx".format(**live_world.ids))
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row[0] == "STT")
    assert header[:3] == ["STT", "Họ và tên", "Đơn vị công tác"] and header[3].startswith("Buổi ")
    assert header[-3:] == ["Tỷ lệ tham dự (%)", "Đạt yêu cầu", "Ghi chú"]
    line = rows[rows.index(header) + 1]
    assert line[1] == "=HYPERLINK(\"http://x\")"
    name_cell = sheet.cell(row=rows.index(header) + 2, column=2)
    assert name_cell.data_type == "s" and name_cell.quotePrefix
    assert line[3] == "Vắng" and line[4] == 0 and line[5] == "Không đạt" and line[6] == "Tham dự 0 % < 80 %"
