"""Attendance: roll calls, trainer marks and their history, the class rule with its percent and reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import Role
from lms.classes.attendance import services
from lms.classes.attendance.models import ParticipantEvent
from lms.classes.attendance.summary import attendance_summary
from lms.classes.sessions.services import SessionInput, create_session
from lms.errors import Forbidden, NotFound, RuleViolation
from tests.factories import load_fixture_content, make_body, make_class, make_user

BEFORE = datetime(2026, 10, 20, tzinfo=UTC)
AFTER = datetime(2026, 11, 5, tzinfo=UTC)


@pytest.fixture
def world(app_ctx, db_session):
    course = load_fixture_content(db_session)
    body, other = make_body(db_session), make_body(db_session)
    w = {
        "organiser": make_user(db_session, Role.ORGANISER, body=body),
        "other_organiser": make_user(db_session, Role.ORGANISER, body=other),
        "trainer": make_user(db_session, Role.TRAINER, body=body),
        "second_trainer": make_user(db_session, Role.TRAINER, body=body),
        "trainee": make_user(db_session, body=body, full_name="Nguyễn Thị Hương"),
        "second": make_user(db_session, body=body, full_name="Lê Văn An"),
        "outsider": make_user(db_session, body=body, full_name="Phạm Văn Bình"),
    }
    w["class"] = make_class(db_session, body=body, course=course, trainers=[w["trainer"]],
                            trainees=[w["trainee"], w["second"]])
    w["sessions"] = [create_session(db_session, w["trainer"], w["class"],
                                    SessionInput(day=date(2026, 11, 1), start=start, end=end), now=BEFORE)
                     for start, end in ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 30)))]
    return w


def zoom(db_session, class_session, user, start_minute: int, end_minute: int, key: str = "p") -> None:
    for kind, minute in (("join", start_minute), ("leave", end_minute)):
        db_session.add(ParticipantEvent(class_session_id=class_session.id, user_id=user.id, participant_key=key,
                                        kind=kind, at=class_session.starts_at + timedelta(minutes=minute)))
    db_session.flush()


def test_roll_call_is_idempotent_and_only_for_enrolled_trainees(world, db_session):
    first_session = world["sessions"][0]
    first = services.confirm_roll_call(db_session, class_session=first_session, user=world["trainee"], now=AFTER)
    again = services.confirm_roll_call(db_session, class_session=first_session, user=world["trainee"],
                                       now=AFTER + timedelta(minutes=1))
    assert again.id == first.id and again.confirmed_at == AFTER
    assert services.roll_call_count(db_session, first_session) == 1
    for user in (world["outsider"], world["trainer"]):
        with pytest.raises(Forbidden):
            services.confirm_roll_call(db_session, class_session=first_session, user=user, now=AFTER)


def test_rule_percent_and_reason(world, db_session):
    morning, afternoon = world["sessions"]
    zoom(db_session, morning, world["trainee"], 0, 240)
    zoom(db_session, afternoon, world["trainee"], 0, 24)  # 240 + 24 of 480 minutes: 55 %
    summary = attendance_summary(db_session, world["class"], AFTER)
    hương = summary[world["trainee"].id]
    assert round(hương.percent) == 55 and not hương.meets_rule
    assert hương.reason == "chuyên cần 55 % < 80 %"
    assert summary[world["second"].id].percent == 0
    services.confirm_roll_call(db_session, class_session=afternoon, user=world["trainee"], now=AFTER)
    hương = attendance_summary(db_session, world["class"], AFTER)[world["trainee"].id]
    assert hương.percent == 100 and hương.meets_rule and hương.reason == "chuyên cần 100 % ≥ 80 %"


def test_a_summary_of_some_trainees_equals_theirs_in_the_whole_class(world, db_session):
    morning, afternoon = world["sessions"]
    zoom(db_session, morning, world["trainee"], 0, 240)
    zoom(db_session, afternoon, world["second"], 0, 120)
    services.set_mark(db_session, world["trainer"], class_session=morning, user_id=world["second"].id,
                      status="late", now=AFTER)
    whole = attendance_summary(db_session, world["class"], AFTER)
    for user in (world["trainee"], world["second"]):
        some = attendance_summary(db_session, world["class"], AFTER, user_ids=[user.id])
        assert list(some) == [user.id]
        assert (some[user.id].percent, some[user.id].reason) == (whole[user.id].percent, whole[user.id].reason)
    assert attendance_summary(db_session, world["class"], AFTER, user_ids=[]) == {}


def test_marks_override_and_excused_sessions_are_not_counted(world, db_session):
    morning, afternoon = world["sessions"]
    zoom(db_session, morning, world["second"], 0, 240)
    services.set_mark(db_session, world["trainer"], class_session=afternoon, user_id=world["second"].id,
                      status="excused", now=AFTER)
    second = attendance_summary(db_session, world["class"], AFTER)[world["second"].id]
    assert second.percent == 100 and second.counted_minutes == 240
    services.set_mark(db_session, world["trainer"], class_session=morning, user_id=world["second"].id,
                      status="absent", now=AFTER)
    assert attendance_summary(db_session, world["class"], AFTER)[world["second"].id].percent == 0
    services.set_mark(db_session, world["trainer"], class_session=morning, user_id=world["second"].id,
                      status="late", now=AFTER)
    assert attendance_summary(db_session, world["class"], AFTER)[world["second"].id].percent == 100


def test_sessions_not_ended_are_not_counted_and_the_rule_is_the_class_rule(world, db_session):
    summary = attendance_summary(db_session, world["class"], BEFORE)
    assert summary[world["trainee"].id].percent is None and summary[world["trainee"].id].meets_rule
    zoom(db_session, world["sessions"][0], world["trainee"], 0, 120)
    services.set_rule(db_session, world["organiser"], world["class"], min_percent=25, now=AFTER)
    hương = attendance_summary(db_session, world["class"], AFTER)[world["trainee"].id]
    assert hương.meets_rule and hương.reason == "chuyên cần 25 % ≥ 25 %"
    with pytest.raises(RuleViolation):
        services.set_rule(db_session, world["organiser"], world["class"], min_percent=120, now=AFTER)
    for actor in ("trainer", "other_organiser"):
        with pytest.raises(Forbidden):
            services.set_rule(db_session, world[actor], world["class"], min_percent=50, now=AFTER)


def test_mark_history_says_who_changed_what_and_when(world, db_session):
    morning = world["sessions"][0]
    uid = world["trainee"].id
    services.set_mark(db_session, world["trainer"], class_session=morning, user_id=uid, status="absent", now=AFTER)
    later = AFTER + timedelta(hours=1)
    services.set_mark(db_session, world["organiser"], class_session=morning, user_id=uid, status="excused",
                      note="Giấy mời họp", now=later)
    services.set_mark(db_session, world["organiser"], class_session=morning, user_id=uid, status="excused",
                      note="Giấy mời họp", now=later)  # unchanged: no new line
    history = services.mark_history(db_session, world["class"])
    assert [(h.old_status, h.new_status, h.changed_by_id, h.changed_at) for h in history] == [
        ("absent", "excused", world["organiser"].id, later), ("", "absent", world["trainer"].id, AFTER)]
    assert history[0].note == "Giấy mời họp"
    audit = list(db_session.scalars(select(AuditEntry).where(AuditEntry.action == "attendance.mark")))
    assert len(audit) == 2
    services.set_mark(db_session, world["trainer"], class_session=morning, user_id=uid, status=None, now=later)
    assert services.mark_history(db_session, world["class"])[0].new_status == ""


def test_marks_refused_to_outsiders_and_for_bad_values(world, db_session):
    morning = world["sessions"][0]
    with pytest.raises(Forbidden):
        services.set_mark(db_session, world["second_trainer"], class_session=morning, user_id=world["trainee"].id,
                          status="present", now=AFTER)
    with pytest.raises(RuleViolation):
        services.set_mark(db_session, world["trainer"], class_session=morning, user_id=world["trainee"].id,
                          status="here", now=AFTER)
    with pytest.raises(NotFound):
        services.set_mark(db_session, world["trainer"], class_session=morning, user_id=world["outsider"].id,
                          status="present", now=AFTER)
