"""Class sessions: Vietnam times stored as UTC, links, Zoom ids, series and who may manage them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import Role
from lms.classes.sessions import services
from lms.classes.sessions.services import SessionInput
from lms.errors import Forbidden, NotFound, RuleViolation
from tests.factories import load_fixture_content, make_body, make_class, make_user

NOW = datetime(2026, 10, 20, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english(app_ctx):
    """Messages are checked in English here; tests/classes/sessions/test_views.py reads them in Vietnamese."""
    with force_locale("en"):
        yield


@pytest.fixture
def world(app_ctx, db_session):
    course = load_fixture_content(db_session)
    body, other = make_body(db_session), make_body(db_session)
    w = {
        "organiser": make_user(db_session, Role.ORGANISER, body=body),
        "other_organiser": make_user(db_session, Role.ORGANISER, body=other),
        "trainer": make_user(db_session, Role.TRAINER, body=body),
        "second_trainer": make_user(db_session, Role.TRAINER, body=body),
        "trainee": make_user(db_session, body=body),
    }
    w["class"] = make_class(db_session, body=body, course=course, trainers=[w["trainer"]], trainees=[w["trainee"]])
    return w


def data(**kwargs) -> SessionInput:
    values = {"day": date(2026, 11, 1), "start": time(7, 30), "end": time(11, 30),
              "meeting_url": "https://us06web.zoom.us/j/81234567890?pwd=abc"}
    return SessionInput(**{**values, **kwargs})


def test_times_are_stored_in_utc_and_the_zoom_id_read_from_the_link(world, db_session):
    created = services.create_session(db_session, world["trainer"], world["class"], data(), now=NOW)
    assert created.starts_at == datetime(2026, 11, 1, 0, 30, tzinfo=UTC)
    assert created.ends_at == datetime(2026, 11, 1, 4, 30, tzinfo=UTC)
    assert services.to_local(created.starts_at).strftime("%H:%M %d/%m/%Y") == "07:30 01/11/2026"
    assert created.zoom_meeting_id == "81234567890"
    assert created.minutes == 240
    audit = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "class_session.create"))
    assert audit.target_id == created.id


@pytest.mark.parametrize("url", ["https://meet.google.com/abc-defg-hij", "https://meet.jit.si/LopISO2026", ""])
def test_any_web_link_is_accepted(world, db_session, url):
    created = services.create_session(db_session, world["organiser"], world["class"], data(meeting_url=url), now=NOW)
    assert created.meeting_url == url and created.zoom_meeting_id is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.vn/a", "zoom.us/j/123", "https:///nohost"])
def test_links_other_than_http_are_refused(world, db_session, url):
    with pytest.raises(RuleViolation, match="http"):
        services.create_session(db_session, world["trainer"], world["class"], data(meeting_url=url), now=NOW)


def test_zoom_id_with_spaces_and_bad_ids(world, db_session):
    created = services.create_session(db_session, world["trainer"], world["class"],
                                      data(zoom_meeting_id="812 3456 7890", meeting_url=""), now=NOW)
    assert created.zoom_meeting_id == "81234567890"
    with pytest.raises(RuleViolation, match="9 to 11 digits"):
        services.create_session(db_session, world["trainer"], world["class"], data(zoom_meeting_id="12ab"), now=NOW)


def test_end_before_start_and_foreign_trainer_are_refused(world, db_session):
    with pytest.raises(RuleViolation, match="end after it starts"):
        services.create_session(db_session, world["trainer"], world["class"], data(start=time(11), end=time(7)),
                                now=NOW)
    with pytest.raises(RuleViolation, match="class's trainers"):
        services.create_session(db_session, world["trainer"], world["class"],
                                data(trainer_id=world["second_trainer"].id), now=NOW)


def test_series_of_two_days_and_two_ranges_gives_four_sessions(world, db_session):
    ranges = services.parse_time_ranges("7:30–11:30, 13h30-17h00")
    created = services.create_series(db_session, world["organiser"], world["class"], first_day=date(2026, 11, 1),
                                     last_day=date(2026, 11, 2), time_ranges=ranges, template=data(), now=NOW)
    local = [services.to_local(s.starts_at).strftime("%d/%m %H:%M") for s in created]
    assert local == ["01/11 07:30", "01/11 13:30", "02/11 07:30", "02/11 13:30"]
    assert [s.id for s in services.list_sessions(db_session, world["class"])] == [s.id for s in created]


@pytest.mark.parametrize(("text", "message"), [
    ("", "at least one time range"),
    ("7:30 to 11:30", "7:30–11:30"),
    ("25:00-26:00", "not a time of day"),
])
def test_series_time_ranges_are_explained(text, message, app_ctx):
    with pytest.raises(RuleViolation, match=message):
        services.parse_time_ranges(text)


def test_series_days_and_overlaps_are_explained(world, db_session):
    make = services.create_series
    with pytest.raises(RuleViolation, match="last day must not be before"):
        make(db_session, world["organiser"], world["class"], first_day=date(2026, 11, 2), last_day=date(2026, 11, 1),
             time_ranges=[(time(7, 30), time(11, 30))], template=data(), now=NOW)
    with pytest.raises(RuleViolation, match="overlap"):
        make(db_session, world["organiser"], world["class"], first_day=date(2026, 11, 1), last_day=date(2026, 11, 1),
             time_ranges=services.parse_time_ranges("7:30-11:30, 11:00-12:00"), template=data(), now=NOW)
    with pytest.raises(RuleViolation, match="at most 62 days"):
        make(db_session, world["organiser"], world["class"], first_day=date(2026, 1, 1), last_day=date(2026, 12, 1),
             time_ranges=[(time(7, 30), time(11, 30))], template=data(), now=NOW)
    assert services.list_sessions(db_session, world["class"]) == []


def test_edit_and_delete_are_audited(world, db_session):
    created = services.create_session(db_session, world["trainer"], world["class"], data(), now=NOW)
    services.update_session(db_session, world["trainer"], created, data(title="Buổi 1", start=time(8)), now=NOW)
    assert created.title == "Buổi 1" and created.starts_at == datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
    services.delete_session(db_session, world["organiser"], created, now=NOW)
    assert services.list_sessions(db_session, world["class"]) == []
    actions = set(db_session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "class_session")))
    assert actions == {"class_session.create", "class_session.update", "class_session.delete"}


def test_who_manages_sessions(world, db_session):
    assert services.can_manage_sessions(world["organiser"], world["class"])
    assert services.can_manage_sessions(world["trainer"], world["class"])
    for outsider in ("other_organiser", "second_trainer", "trainee"):
        assert not services.can_manage_sessions(world[outsider], world["class"])
        with pytest.raises(Forbidden):
            services.create_session(db_session, world[outsider], world["class"], data(), now=NOW)
    with pytest.raises(NotFound):
        services.managed_class(db_session, world["other_organiser"], world["class"].id)
    with pytest.raises(NotFound):
        services.managed_class(db_session, world["second_trainer"], world["class"].id)


def test_current_and_next_session(world, db_session):
    first = services.create_session(db_session, world["trainer"], world["class"], data(), now=NOW)
    second = services.create_session(db_session, world["trainer"], world["class"],
                                     data(start=time(13, 30), end=time(17)), now=NOW)
    at = datetime(2026, 11, 1, 0, 10, tzinfo=UTC)  # 7:10 in Vietnam: 20 minutes before the first
    assert services.current_or_next_session(db_session, world["class"], at) == first
    assert services.current_session(db_session, world["class"], at) == first
    lunch = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 12:00
    assert services.current_or_next_session(db_session, world["class"], lunch) == second
    assert services.current_session(db_session, world["class"], lunch) is None
    assert services.current_or_next_session(db_session, world["class"], datetime(2026, 12, 1, tzinfo=UTC)) is None
