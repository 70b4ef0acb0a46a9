"""Page events: a size limit on the detail, a rate per attempt and minute, and a log that keeps what matters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.errors import RuleViolation
from lms.quizzes.models import AttemptEvent
from lms.quizzes.taking.events import DROPPED, MAX_DETAIL_BYTES, PAGE_EVENT_KINDS, record_page_event
from tests.conftest import fetch_csrf, login
from tests.quizzes.taking.attempt_helpers import CLIENT, start
from tests.quizzes.taking.test_api import api
from tests.quizzes.taking.test_api import start as start_over_http

LIMIT = 30


def page_events(session, attempt_id: int) -> list[AttemptEvent]:
    session.expire_all()
    return list(session.scalars(select(AttemptEvent).where(AttemptEvent.attempt_id == attempt_id,
                                                           AttemptEvent.kind.in_([*PAGE_EVENT_KINDS, DROPPED]))
                                .order_by(AttemptEvent.id)))


def record(session, attempt, clock, kind="hidden", **detail):
    return record_page_event(session, attempt, kind, now=clock.now, client=CLIENT, detail=detail or None,
                             per_minute=LIMIT)


def test_a_burst_keeps_its_first_events_then_one_line_with_the_count_and_the_last(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    outcomes = []
    for number in range(100):
        outcomes.append(record(db_session, attempt, clock, "hidden" if number % 2 else "visible", n=number))
        clock.advance(milliseconds=100)
    assert [o.logged for o in outcomes] == [True] * LIMIT + [False] * 70
    log = page_events(db_session, attempt.id)
    assert len(log) == LIMIT + 1
    assert [line.detail["n"] for line in log[:LIMIT]] == list(range(LIMIT))  # the first of the burst
    summary = log[-1]
    assert summary.kind == DROPPED and summary.detail["count"] == 70
    assert summary.detail["last"] == {"kind": "hidden", "at": (clock.now - timedelta(milliseconds=100)).isoformat(),
                                      "detail": {"n": 99}}  # the last of the burst
    assert summary.at == clock.now - timedelta(milliseconds=100)


def test_retry_after_is_when_the_oldest_event_leaves_the_minute(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    first_at = clock.now
    for _number in range(LIMIT):
        assert record(db_session, attempt, clock).logged
        clock.advance(seconds=1)
    refused = record(db_session, attempt, clock)  # 30 s after the first
    assert not refused.logged and refused.retry_after == 30
    clock.now = first_at + timedelta(seconds=60)  # the first has left the window
    assert record(db_session, attempt, clock).logged
    assert not record(db_session, attempt, clock).logged


def test_a_new_burst_after_a_quiet_minute_gets_its_own_summary(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    for _round in range(2):
        for _number in range(LIMIT + 5):
            record(db_session, attempt, clock)
        clock.advance(minutes=2)
    summaries = [line for line in page_events(db_session, attempt.id) if line.kind == DROPPED]
    assert [line.detail["count"] for line in summaries] == [5, 5]


def test_the_rate_is_per_attempt(db_session, ex, clock):
    mine = start(db_session, ex, clock)
    other = start(db_session, ex, clock, user=ex.other_trainee)
    for _number in range(LIMIT):
        record(db_session, mine, clock)
    assert not record(db_session, mine, clock).logged
    assert record(db_session, other, clock).logged


def test_server_lines_do_not_count_against_the_rate(db_session, ex, clock):
    attempt = start(db_session, ex, clock)  # logs "start"
    for _number in range(LIMIT):
        assert record(db_session, attempt, clock).logged


def test_a_large_detail_is_refused(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    assert record(db_session, attempt, clock, text="x" * (MAX_DETAIL_BYTES - 20)).logged
    with pytest.raises(RuleViolation):
        record(db_session, attempt, clock, text="x" * MAX_DETAIL_BYTES)
    with pytest.raises(RuleViolation):  # counted in bytes, not characters
        record(db_session, attempt, clock, text="ệ" * (MAX_DETAIL_BYTES // 2))


# --------------------------------------------------------------------------- over HTTP


def events_url(attempt) -> str:
    return f"/api/v1/attempts/{attempt['id']}/events"


def test_the_31st_event_in_a_minute_is_a_429_with_retry_after(client, exam, db_session):
    attempt = start_over_http(client, exam)
    statuses = [api(client, "POST", events_url(attempt), {"kind": "hidden", "detail": {"n": n}}).status_code
                for n in range(LIMIT)]
    assert statuses == [200] * LIMIT
    refused = api(client, "POST", events_url(attempt), {"kind": "visible", "detail": {"n": "last"}})
    assert refused.status_code == 429
    assert refused.json["error"]["status"] == 429 and "giây" in refused.json["error"]["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    summary = page_events(db_session, attempt["id"])[-1]
    assert summary.kind == DROPPED and summary.detail["count"] == 1 and summary.detail["last"]["detail"] == {
        "n": "last"}


def test_the_rate_holds_across_workers(app, client, exam, db_session):
    """Two clients stand for two workers: nothing is counted in a process, only in the attempt log."""
    attempt = start_over_http(client, exam)
    second = app.test_client()
    login(second, exam.trainee.username)
    statuses = [api(worker, "POST", events_url(attempt), {"kind": "hidden"}).status_code
                for _number in range(LIMIT // 2) for worker in (client, second)]
    assert statuses == [200] * LIMIT
    assert api(second, "POST", events_url(attempt), {"kind": "hidden"}).status_code == 429


def test_a_large_detail_is_a_422_over_http(client, exam):
    attempt = start_over_http(client, exam)
    response = api(client, "POST", events_url(attempt), {"kind": "hidden", "detail": {"x": "y" * 2000}})
    assert response.status_code == 422 and "1024" in response.json["error"]["message"]


def test_the_document_gives_the_429(client):
    responses = client.get("/api/openapi.json").json["paths"]["/api/v1/attempts/{attempt_id}/events"]["post"][
        "responses"]
    assert "Retry-After" in responses["429"]["headers"]


def test_staff_see_the_summary_line(client, exam, db_session):
    attempt = start_over_http(client, exam)
    for _number in range(LIMIT + 3):
        api(client, "POST", events_url(attempt), {"kind": "offline"})
    client.post("/logout", data={"csrf_token": fetch_csrf(client)})
    login(client, exam.trainer.username)
    html = client.get(f"/attempts/{attempt['id']}/review").get_data(as_text=True)
    assert "Quá nhiều sự kiện trang" in html
    assert "3 sự kiện trang khác không được ghi từ" in html and "sự kiện cuối: Mất kết nối" in html
