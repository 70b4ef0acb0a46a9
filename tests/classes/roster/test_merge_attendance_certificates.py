"""Merging two accounts that both attended a session and both hold a certificate of one class."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from lms.certificates.models import Certificate, CertificateStatus, IssueMode
from lms.certificates.records import issue_certificate
from lms.classes.attendance.models import AttendanceMark, RollCallConfirmation
from lms.classes.attendance.services import confirm_roll_call, set_mark
from lms.classes.roster import membership, merging
from lms.classes.sessions.services import SessionInput, create_session
from tests.classes.roster.helpers import roster_world
from tests.factories import make_user

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.fixture
def merged(app, db_session):
    """Two accounts of Nguyễn Thị Hương in one class, each marked, each confirming, each with a certificate."""
    with app.test_request_context():
        world = roster_world(db_session)
        keep, away = (make_user(db_session, body=world["body"], full_name="Nguyễn Thị Hương") for _ in range(2))
        membership.enrol_many(db_session, world["class"], [keep.id, away.id], actor_id=None, now=NOW)
        class_session = create_session(db_session, world["trainer"], world["class"],
                                       SessionInput(day=date(2026, 12, 1), start=time(7, 30), end=time(11, 30)),
                                       now=NOW - timedelta(days=10))
        confirm_roll_call(db_session, class_session=class_session, user=away, now=NOW - timedelta(days=6, hours=2))
        confirm_roll_call(db_session, class_session=class_session, user=keep, now=NOW - timedelta(days=6, hours=1))
        set_mark(db_session, world["trainer"], class_session=class_session, user_id=keep.id, status="absent",
                 now=NOW - timedelta(days=5))
        set_mark(db_session, world["trainer"], class_session=class_session, user_id=away.id, status="present",
                 now=NOW - timedelta(days=4))
        kept_certificate, away_certificate = (
            issue_certificate(db_session, training_class=world["class"], trainee=person,
                              actor_id=world["organiser"].id, mode=IssueMode.SINGLE, reason="exemption", now=NOW,
                              secret="test-secret", base_url="https://lms.example.vn")
            for person in (keep, away))
        merging.merge_accounts(db_session, keep, away, actor_id=world["organiser"].id, body_id=world["body"].id,
                               now=NOW)
        return {"keep": keep, "session": class_session, "kept": kept_certificate.id, "away": away_certificate.id}


def test_one_roll_call_and_the_last_mark_stay(merged, db_session):
    confirmations = db_session.scalars(select(RollCallConfirmation).where(
        RollCallConfirmation.class_session_id == merged["session"].id)).all()
    assert [c.user_id for c in confirmations] == [merged["keep"].id]
    assert confirmations[0].confirmed_at == NOW - timedelta(days=6, hours=2)  # the earliest confirmation
    marks = db_session.scalars(select(AttendanceMark).where(
        AttendanceMark.class_session_id == merged["session"].id)).all()
    assert [(m.user_id, m.status) for m in marks] == [(merged["keep"].id, "present")]  # the mark set last


def test_one_current_certificate_per_class_and_the_other_points_to_it(merged, db_session):
    kept, away = db_session.get(Certificate, merged["kept"]), db_session.get(Certificate, merged["away"])
    assert kept.user_id == away.user_id == merged["keep"].id
    assert kept.current_key == f"{kept.class_id}:{merged['keep'].id}" and away.current_key is None
    assert away.superseded_by_id == kept.id and away.status_on(NOW.date()) == CertificateStatus.SUPERSEDED
    assert kept.status_on(NOW.date()) == CertificateStatus.VALID
