"""Withdrawn (and pending) trainees count nowhere: class and programme reports, their attendance, the dashboard's
open tests and class sizes, and a class's capacity check; their enrolment stays in the history."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from lms.classes.management.services import ClassSettings, update
from lms.classes.models import Enrolment, EnrolmentStatus
from lms.classes.sessions.services import SessionInput, create_session
from lms.db import utcnow
from lms.errors import RuleViolation
from lms.reports.classes import class_reports
from lms.reports.dashboard import dashboard
from lms.reports.programme import programme_report
from tests.conftest import login
from tests.reports.conftest import NOW


def _set_status(db_session, programme, key: str, training_class, status: str) -> None:
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.class_id == training_class.id,
                                                          Enrolment.user_id == programme.users[key].id))
    enrolment.status = status


@pytest.fixture
def withdrawn(db_session, programme):
    # Bình (failed, 4/8) withdrawn from the 2025 class; Em (passed) only pending in the 2026 class.
    _set_status(db_session, programme, "binh", programme.old_class, EnrolmentStatus.WITHDRAWN)
    _set_status(db_session, programme, "em", programme.new_class, EnrolmentStatus.PENDING)
    db_session.commit()
    return programme


def test_reports_leave_them_out(db_session, withdrawn):
    old = class_reports(db_session, [withdrawn.old_class], now=NOW)[0]
    assert [line.user.full_name for line in old.lines] == ["Nguyễn Văn An", "Trần Văn Cường"]
    assert (old.enrolled, old.sat, old.passed) == (2, 1, 1) and old.pass_rate == 50.0
    report = programme_report(db_session, [withdrawn.old_class, withdrawn.new_class], date_from=None, date_to=None,
                              commune_label="-", district_label="-", now=NOW)
    assert (report.total.participants, report.total.passed, report.total.certified) == (3, 2, 2)
    assert "Phường Bến Thành" not in [g.label for g in report.by_unit]
    # Percentages 100 (An) and 75 (Dung) only.
    assert report.histogram == [0, 0, 0, 0, 0, 0, 0, 1, 0, 1]


def test_attendance_in_reports_leaves_them_out(db_session, withdrawn):
    create_session(db_session, withdrawn.users["organiser"], withdrawn.old_class,
                   SessionInput(day=date(2025, 6, 10), start=time(7, 30), end=time(11, 30)), now=NOW)
    db_session.commit()
    report = programme_report(db_session, [withdrawn.old_class], date_from=None, date_to=None,
                              commune_label="-", district_label="-", now=NOW)
    assert report.total.attendance_counted == 2 and report.total.attendance_average == 0.0


def test_dashboard_leaves_them_out(client, db_session, withdrawn):
    data = dashboard(db_session, withdrawn.users["organiser"], now=utcnow(), tz_name="Asia/Ho_Chi_Minh")
    assert [(t.opening.training_class.name, t.enrolled, t.submitted) for t in data.open_tests] == [
        ("Lớp Long Thành 2025", 2, 1), ("Lớp Đồng Nai 2026", 1, 1)]
    day = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    assert [len(c.active_enrolments) for c in dashboard(db_session, withdrawn.users["organiser"], now=day,
                                                        tz_name="Asia/Ho_Chi_Minh").in_progress] == [1]
    login(client, withdrawn.users["organiser"].username)
    html = client.get(f"/classes/{withdrawn.old_class.id}/report").get_data(as_text=True)
    assert "Lê Thị Bình" not in html and "Nguyễn Văn An" in html


def test_capacity_counts_active_trainees_only(db_session, withdrawn):
    training_class, organiser = withdrawn.old_class, withdrawn.users["organiser"]

    def settings(capacity: int) -> ClassSettings:
        return ClassSettings(name=training_class.name, course_id=training_class.course_id,
                             quiz_id=training_class.quiz_id, starts_on=training_class.starts_on,
                             ends_on=training_class.ends_on, trainer_ids=[t.id for t in training_class.trainers],
                             capacity=capacity)

    update(db_session, organiser, training_class, settings(2), now=NOW)  # An and Cường; Bình is withdrawn
    assert training_class.capacity == 2
    with pytest.raises(RuleViolation):
        update(db_session, organiser, training_class, settings(1), now=NOW)
