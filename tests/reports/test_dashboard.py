"""The organiser's dashboard: classes in progress, tests open now, who has not started, certificates this month."""

from __future__ import annotations

from datetime import UTC, datetime

from lms.db import utcnow
from lms.reports.dashboard import dashboard
from tests.conftest import post_form
from tests.factories import PASSWORD

TZ = "Asia/Ho_Chi_Minh"


def test_open_tests_and_who_has_not_started(db_session, programme):
    data = dashboard(db_session, programme.users["organiser"], now=utcnow(), tz_name=TZ)
    assert [(t.opening.training_class.name, t.enrolled, t.submitted, [u.full_name for u in t.not_started])
            for t in data.open_tests] == [("Lớp Long Thành 2025", 3, 2, ["Trần Văn Cường"]),
                                          ("Lớp Đồng Nai 2026", 2, 2, [])]
    assert data.not_started == 1 and data.certificates_this_month == 2
    far = dashboard(db_session, programme.users["other_organiser"], now=utcnow(), tz_name=TZ)
    assert [t.opening.training_class.name for t in far.open_tests] == ["Lớp của Sở khác"]
    assert far.certificates_this_month == 0


def test_classes_in_progress_on_their_days_only(db_session, programme):
    on_the_day = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
    assert [c.name for c in dashboard(db_session, programme.users["organiser"], now=on_the_day,
                                      tz_name=TZ).in_progress] == ["Lớp Đồng Nai 2026"]
    day_after = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
    assert dashboard(db_session, programme.users["organiser"], now=day_after, tz_name=TZ).in_progress == []
    certificates_next_year = dashboard(db_session, programme.users["organiser"],
                                       now=datetime(2030, 1, 5, tzinfo=UTC), tz_name=TZ).certificates_this_month
    assert certificates_next_year == 0


def test_organisers_land_on_the_dashboard(client, programme):
    response = post_form(client, "/login", {"identifier": programme.users["organiser"].username,
                                            "password": PASSWORD})
    assert response.headers["Location"] == "/dashboard"
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Trần Văn Cường" in html and "Lớp của Sở khác" not in html
    post_form(client, "/logout")
    response = post_form(client, "/login", {"identifier": programme.users["trainer"].username, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def _session(db_session, programme, training_class, day, start, end, title=""):
    from lms.classes.sessions.services import SessionInput, create_session
    actor = programme.users["other_organiser" if training_class is programme.far_class else "organiser"]
    return create_session(db_session, actor, training_class,
                          SessionInput(day=day, start=start, end=end, title=title), now=utcnow())


def test_upcoming_sessions_in_the_next_seven_days(db_session, programme):
    from datetime import date, time
    # 07/12/2026 08:00 in Vietnam. Running now and within 7 days: listed; ended, or 8 days ahead: not.
    now = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    running = _session(db_session, programme, programme.new_class, date(2026, 12, 7), time(7, 30), time(11, 30))
    _session(db_session, programme, programme.new_class, date(2026, 12, 6), time(7, 30), time(11, 30))  # ended
    later = _session(db_session, programme, programme.old_class, date(2026, 12, 13), time(13, 30), time(17, 0),
                     "Ôn tập")
    _session(db_session, programme, programme.old_class, date(2026, 12, 15), time(7, 30), time(11, 30))  # too far
    _session(db_session, programme, programme.far_class, date(2026, 12, 8), time(7, 30), time(11, 30))
    db_session.commit()
    data = dashboard(db_session, programme.users["organiser"], now=now, tz_name=TZ)
    assert [s.id for s in data.upcoming_sessions] == [running.id, later.id]
    far = dashboard(db_session, programme.users["other_organiser"], now=now, tz_name=TZ)
    assert [s.training_class.name for s in far.upcoming_sessions] == ["Lớp của Sở khác"]


def test_dashboard_page_links_upcoming_sessions_to_their_class(client, db_session, programme):
    from datetime import timedelta

    from lms.classes.sessions.services import to_local
    soon = to_local(utcnow() + timedelta(days=2))
    _session(db_session, programme, programme.old_class, soon.date(), soon.time().replace(hour=7, minute=30,
             second=0, microsecond=0), soon.time().replace(hour=11, minute=30, second=0, microsecond=0), "Buổi 1")
    db_session.commit()
    post_form(client, "/login", {"identifier": programme.users["organiser"].username, "password": PASSWORD})
    html = client.get("/dashboard").get_data(as_text=True)
    block = html.split('id="upcoming-sessions"')[1].split("</ul>")[0]
    assert f'href="/classes/{programme.old_class.id}"' in block and "Buổi 1" in block
    assert f"{soon:%d/%m/%Y}, 07:30–11:30" in block and "Buổi học" in html.split('id="dashboard-counts"')[1]
