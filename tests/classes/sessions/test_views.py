"""Session pages: the role matrix of every route, adding a series over HTTP, messages, the trainee's class page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.classes.sessions.models import ClassSession
from tests.classes.conftest import LIVE_ROLES, MANAGERS, check_access
from tests.conftest import login, post_form

OUTSIDERS = {"other_organiser", "other_trainer", "far_trainer"}
SESSION_FORM = {"day": "03/11/2026", "start": "7:30", "end": "11:30", "meeting_url": "https://meet.jit.si/iso"}
ROUTES = [
    ("GET", "/classes/{class}/sessions", MANAGERS, None),
    ("POST", "/classes/{class}/sessions", MANAGERS, SESSION_FORM),
    ("POST", "/classes/{class}/sessions/series", MANAGERS,
     {"first_day": "03/11/2026", "last_day": "03/11/2026", "time_ranges": "7:30-11:30"}),
    ("GET", "/classes/{class}/sessions/{session}/edit", MANAGERS, None),
    ("POST", "/classes/{class}/sessions/{session}/edit", MANAGERS, SESSION_FORM),
    ("POST", "/classes/{class}/sessions/{session}/delete", MANAGERS, None),
]


@pytest.mark.parametrize("role", LIVE_ROLES)
@pytest.mark.parametrize(("method", "template", "allowed", "data"), ROUTES, ids=[f"{m} {t}" for m, t, *_ in ROUTES])
def test_session_routes(client, live_world, role, method, template, allowed, data):
    check_access(client, live_world, role, method, template.format(**live_world.ids), allowed, data,
                 not_found=OUTSIDERS)


@pytest.mark.parametrize("role", LIVE_ROLES)
def test_trainee_class_page_is_for_enrolled_trainees_only(client, live_world, role):
    check_access(client, live_world, role, "GET", "/classes/{class}/my".format(**live_world.ids), {"trainee"},
                 not_found={"other_trainee", "far_trainee"})


@pytest.mark.parametrize("role", LIVE_ROLES)
def test_my_classes_is_for_trainees(client, live_world, role):
    check_access(client, live_world, role, "GET", "/my-classes", {"trainee", "other_trainee", "far_trainee"})


def test_my_classes_lists_only_my_classes(client, live_world, app):
    login(client, live_world.usernames["trainee"])
    assert f"/classes/{live_world.ids['class']}/my" in client.get("/my-classes").get_data(as_text=True)
    far = app.test_client()
    login(far, live_world.usernames["far_trainee"])
    assert f"/classes/{live_world.ids['class']}/my" not in far.get("/my-classes").get_data(as_text=True)


def sessions_count(db_session, class_id) -> int:
    return db_session.scalar(select(func.count()).select_from(ClassSession).where(ClassSession.class_id == class_id))


def test_series_over_http_and_its_messages(client, live_world, db_session):
    login(client, live_world.usernames["trainer"])
    url = f"/classes/{live_world.ids['class']}/sessions/series"
    response = post_form(client, url, {"first_day": "01/11/2026", "last_day": "02/11/2026",
                                       "time_ranges": "7:30–11:30, 13:30–17:00"})
    assert response.status_code == 302
    assert sessions_count(db_session, live_world.ids["class"]) == 1 + 4
    bad = post_form(client, url, {"first_day": "02/11/2026", "last_day": "01/11/2026", "time_ranges": "7:30-11:30"})
    assert bad.status_code == 422 and "Ngày cuối không được trước ngày đầu." in bad.get_data(as_text=True)
    bad = post_form(client, url, {"first_day": "2026-11-01", "last_day": "01/11/2026", "time_ranges": "7:30-11:30"})
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.get_data(as_text=True)
    assert sessions_count(db_session, live_world.ids["class"]) == 5


def test_a_bad_link_is_explained_and_nothing_added(client, live_world, db_session):
    login(client, live_world.usernames["organiser"])
    response = post_form(client, f"/classes/{live_world.ids['class']}/sessions",
                         {**SESSION_FORM, "meeting_url": "javascript:alert(1)", "start": "7h30"})
    assert response.status_code == 422
    assert "http://" in response.get_data(as_text=True)
    assert sessions_count(db_session, live_world.ids["class"]) == 1


def test_trainee_page_shows_the_next_session_and_join_button(client, live_world):
    login(client, live_world.usernames["trainee"])
    html = client.get(f"/classes/{live_world.ids['class']}/my").get_data(as_text=True)
    assert "https://zoom.us/j/81234567890" in html and "07:30–11:30" in html


def test_staff_class_page_lists_the_sessions(client, live_world):
    login(client, live_world.usernames["trainer"])
    html = client.get(f"/classes/{live_world.ids['class']}").get_data(as_text=True)
    assert "07:30–11:30" in html and f"/classes/{live_world.ids['class']}/sessions" in html


def test_trainee_sees_only_their_own_attendance(client, live_world, db_session):
    from datetime import timedelta

    from lms.classes.sessions.models import ClassSession

    class_session = db_session.get(ClassSession, live_world.ids["session"])
    class_session.starts_at -= timedelta(days=3)  # ended: counted, and nobody was there
    class_session.ends_at -= timedelta(days=3)
    db_session.commit()
    login(client, live_world.usernames["trainee"])
    html = client.get(f"/classes/{live_world.ids['class']}/my").get_data(as_text=True)
    assert "chuyên cần 0 % &lt; 80 %" in html
