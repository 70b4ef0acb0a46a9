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
