"""The in-app sweeper (service tests, injected clock): one closer across workers, a takeover when the holder dies,
every overdue attempt closed by the next tick, and the thread started once per process only when enabled."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms import create_app
from lms.config import TestConfig
from lms.quizzes.models import Attempt, AttemptState, CloseReason
from lms.sweeper.leases import DatabaseLeases, RedisLeases
from lms.sweeper.models import Lease
from lms.sweeper.services import LEASE_NAME
from lms.sweeper.worker import Sweeper
from tests.auth.test_throttle_redis import redis_url  # noqa: F401
from tests.quizzes.taking.attempt_helpers import GRACE, start

INTERVAL = 1.0  # the default tick; a lease lasts 3 ticks


def workers(app, clock, count: int = 2, leases=None) -> list[Sweeper]:
    """Sweepers of simulated workers of one deployment: the same database, their own holder names."""
    return [Sweeper(app, leases=leases or DatabaseLeases(), interval=INTERVAL, clock=lambda: clock.now,
                    holder=f"worker-{n}") for n in range(1, count + 1)]


def state_of(db_session, attempt_id: int) -> Attempt:
    return db_session.scalars(select(Attempt).where(Attempt.id == attempt_id)
                              .execution_options(populate_existing=True)).one()


def test_one_worker_sweeps_and_the_others_leave_it_alone(app, db_session, ex, clock):
    first, second = workers(app, clock)
    attempt = start(db_session, ex, clock)
    clock.now = attempt.deadline_at + timedelta(seconds=GRACE + 0.5)
    assert first.tick() == 1
    assert second.tick() is None
    clock.advance(seconds=INTERVAL)
    assert (first.tick(), second.tick()) == (0, None)
    lease = db_session.get(Lease, LEASE_NAME, populate_existing=True)
    assert lease.holder == "worker-1" and lease.expires_at == clock.now + timedelta(seconds=first.lease_seconds)


def test_every_attempt_is_closed_by_the_tick_after_its_grace_ends(app, db_session, ex, clock):
    (sweeper,) = workers(app, clock, count=1)
    attempt = start(db_session, ex, clock)
    other = start(db_session, ex, clock, user=ex.other_trainee)
    closes_at = attempt.deadline_at + timedelta(seconds=GRACE)
    clock.now = closes_at - timedelta(seconds=0.5)
    assert sweeper.tick() == 0
    assert state_of(db_session, attempt.id).state == AttemptState.OPEN
    clock.now = closes_at + timedelta(seconds=INTERVAL)  # the next tick, at most one interval later
    assert sweeper.tick() == 2
    for attempt_id in (attempt.id, other.id):
        closed = state_of(db_session, attempt_id)
        assert closed.state == AttemptState.CLOSED and closed.close_reason == CloseReason.SWEEP
        assert closed.closed_at == closed.deadline_at and closed.score is not None


def test_when_the_holder_dies_another_worker_takes_over_once_its_lease_expires(app, db_session, ex, clock):
    first, second = workers(app, clock)
    assert first.tick() == 0
    attempt = start(db_session, ex, clock)
    clock.advance(seconds=first.lease_seconds - 0.5)  # the first worker has died: no more ticks from it
    assert second.tick() is None
    clock.now = max(clock.now + timedelta(seconds=1), attempt.deadline_at + timedelta(seconds=GRACE + 0.5))
    assert second.tick() == 1
    assert state_of(db_session, attempt.id).state == AttemptState.CLOSED
    assert first.tick() is None  # it came back: the lease is the second's now


def test_a_stopping_worker_hands_the_lease_over_at_once(app, db_session, ex, clock):
    first, second = workers(app, clock)
    assert first.tick() == 0
    first.stop()
    assert second.tick() == 0


def test_a_failing_pass_is_logged_and_the_next_tick_tries_again(app, db_session, ex, clock, monkeypatch, caplog):
    (sweeper,) = workers(app, clock, count=1)
    attempt = start(db_session, ex, clock)
    clock.now = attempt.deadline_at + timedelta(seconds=GRACE + 1)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("lms.sweeper.services.sweep_overdue", broken)
    assert sweeper.tick() is None
    assert "sweep failed" in caplog.text
    monkeypatch.undo()
    assert sweeper.tick() == 1


def test_redis_leases_give_the_job_to_one_holder_and_release_it(redis_url):  # noqa: F811
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    leases = RedisLeases(client)
    now = None
    assert leases.acquire(None, LEASE_NAME, "worker-1", now=now, seconds=3)
    assert not leases.acquire(None, LEASE_NAME, "worker-2", now=now, seconds=3)
    assert leases.held_by_other(None, LEASE_NAME, "worker-2", now=now)
    assert leases.acquire(None, LEASE_NAME, "worker-1", now=now, seconds=3)  # renewed
    leases.release(None, LEASE_NAME, "worker-2")  # not the holder: nothing happens
    assert leases.held_by_other(None, LEASE_NAME, "worker-2", now=now)
    leases.release(None, LEASE_NAME, "worker-1")
    assert leases.acquire(None, LEASE_NAME, "worker-2", now=now, seconds=0.05)
    assert not leases.acquire(None, LEASE_NAME, "worker-1", now=now, seconds=3)
    time.sleep(0.1)  # worker-2 died: its 50 ms lease expires (Redis keeps the time)
    assert leases.acquire(None, LEASE_NAME, "worker-1", now=now, seconds=3)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_thread_starts_once_per_process_and_only_when_enabled(database_url, enabled):
    settings = type("SweeperConfig", (TestConfig,), {"DATABASE_URL": database_url, "QUIZ_SWEEPER": enabled,
                                                     "QUIZ_SWEEPER_INTERVAL_SECONDS": 3600})
    app = create_app(settings)
    client = app.test_client()
    before = {t for t in threading.enumerate() if t.name == "lms-sweeper"}
    client.get("/healthz")
    client.get("/healthz")
    started = {t for t in threading.enumerate() if t.name == "lms-sweeper"} - before
    try:
        assert len(started) == (1 if enabled else 0)
        assert ("sweeper" in app.extensions) is enabled
    finally:
        if enabled:
            app.extensions["sweeper"].stop()


def test_tests_and_the_default_test_config_run_no_sweeper(app):
    assert app.config["QUIZ_SWEEPER"] is False and "sweeper" not in app.extensions
