"""Late saves count only as far as the server saw the page in time, and every one is in the attempt log."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms.quizzes.models import Attempt, AttemptEvent
from lms.quizzes.taking.attempts import AnswerSave
from lms.quizzes.taking.lateness import judge_late_save, record_contact
from tests.conftest import fetch_csrf, login
from tests.quizzes.taking.attempt_helpers import CONTACT, item_at, item_of_type, reread, save, start
from tests.quizzes.taking.test_api import api
from tests.quizzes.taking.test_api import start as start_over_http


def _log(session, attempt, kind: str) -> list[dict]:
    query = select(AttemptEvent.detail).where(AttemptEvent.attempt_id == attempt.id, AttemptEvent.kind == kind)
    return list(session.scalars(query.order_by(AttemptEvent.id)))


def test_a_late_save_from_a_page_not_heard_from_before_the_deadline_is_refused_and_logged(db_session, ex, clock):
    attempt = start(db_session, ex, clock)  # the page was last heard from at the start, ten minutes before
    tf = item_of_type(attempt, "true_false")
    clock.now = attempt.deadline_at + timedelta(seconds=5)
    outcome = save(db_session, attempt, clock, AnswerSave(tf.position, {"value": True}, seq=1))
    assert outcome.applied == [] and outcome.stale == [tf.position]
    assert item_at(reread(db_session, attempt), tf.position).answer is None
    [refused] = _log(db_session, attempt, "late_refused")
    assert refused["positions"] == [tf.position] and refused["reason"] == "no_contact"
    assert refused["late_by_s"] == 5.0 and refused["contact_before_deadline_s"] == 600.0
    assert _log(db_session, attempt, "late_accepted") == []


def test_a_late_save_after_contact_shortly_before_the_deadline_is_taken_and_logged(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    tf, short = item_of_type(attempt, "true_false"), item_of_type(attempt, "short")
    clock.now = attempt.deadline_at - timedelta(seconds=CONTACT - 1)
    save(db_session, attempt, clock, AnswerSave(short.position, {"text": "PDCA"}, seq=1))  # a save is contact too
    clock.now = attempt.deadline_at + timedelta(seconds=8)
    outcome = save(db_session, attempt, clock, AnswerSave(tf.position, {"value": True}, seq=2),
                   AnswerSave(short.position, {"text": "ISO"}, seq=3, changed_before_deadline=False))
    assert outcome.applied == [tf.position] and outcome.stale == [short.position]
    [accepted] = _log(db_session, attempt, "late_accepted")
    assert accepted == {"late_by_s": 8.0, "contact_before_deadline_s": CONTACT - 1, "positions": [tf.position]}
    [refused] = _log(db_session, attempt, "late_refused")
    assert refused["reason"] == "changed_after_deadline" and refused["positions"] == [short.position]


def test_contact_after_the_deadline_does_not_vouch_for_the_next_late_save(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    tf, short = item_of_type(attempt, "true_false"), item_of_type(attempt, "short")
    clock.now = attempt.deadline_at + timedelta(seconds=2)
    assert record_contact(db_session, attempt.id, now=clock.now) is False
    save(db_session, attempt, clock, AnswerSave(tf.position, {"value": True}, seq=1))
    clock.now = attempt.deadline_at + timedelta(seconds=6)
    outcome = save(db_session, attempt, clock, AnswerSave(short.position, {"text": "PDCA"}, seq=2))
    assert outcome.applied == [] and reread(db_session, attempt).last_contact_at is None
    assert len(_log(db_session, attempt, "late_refused")) == 2


def test_the_contact_window_is_the_configured_one(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    attempt.last_contact_at = attempt.deadline_at - timedelta(seconds=30)
    late = attempt.deadline_at + timedelta(seconds=3)
    assert judge_late_save(attempt, now=late, contact_seconds=30).trusted
    assert not judge_late_save(attempt, now=late, contact_seconds=29.9).trusted


def test_the_contact_ping_over_http(client, exam, db_session):
    attempt = start_over_http(client, exam)
    url = f"/api/v1/attempts/{attempt['id']}/contact"
    response = api(client, "POST", url, {})
    assert response.status_code == 200 and response.json["ok"] is True
    assert 9 * 60 < response.json["remaining_seconds"] <= 10 * 60
    stored = db_session.scalar(select(Attempt.last_contact_at).where(Attempt.id == attempt["id"]))
    assert stored is not None
    client.post("/logout", data={"csrf_token": fetch_csrf(client)})
    assert api(client, "POST", url, {}).status_code == 401  # anonymous
    login(client, exam.other_trainee.username)
    assert api(client, "POST", url, {}).status_code == 404  # another trainee's attempt is not even named


def test_the_test_page_pings_in_the_last_minutes(client, exam):
    attempt = start_over_http(client, exam)
    page = client.get(f"/attempts/{attempt['id']}").get_data(as_text=True)
    assert f'data-api-contact="/api/v1/attempts/{attempt["id"]}/contact"' in page
    assert 'data-contact-seconds="60"' in page
