"""Failed log-ins slow the guesser down, never lock the owner out: a growing delay per account and address pair.

Counts are shared by every worker: in Redis when REDIS_URL is set, otherwise in the login_failures table
(SQLite or PostgreSQL), written in the log-in request's own transaction. Nobody waits in a worker thread:
a throttled try is answered at once with "try again in N seconds" (HTTP 429 with Retry-After).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from limits import parse
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.auth.models import LoginFailureCount


@dataclass(frozen=True)
class Count:
    """Failures under one key within its window; times in seconds since the epoch."""

    failures: int = 0
    window_started: float = 0.0
    last_failure: float = 0.0


class DatabaseCounts:
    """Counts in the login_failures table, inside the caller's transaction (the view commits it)."""

    def get(self, session: Session, key: str, now: datetime) -> Count:
        row = session.scalar(select(LoginFailureCount).where(LoginFailureCount.key == key,
                                                             LoginFailureCount.expires_at > now))
        if row is None:
            return Count()
        return Count(row.failures, row.window_started_at.timestamp(), row.last_failure_at.timestamp())

    def hit(self, session: Session, key: str, now: datetime, window: int) -> None:
        table = LoginFailureCount
        bump = update(table).where(table.key == key).values(failures=table.failures + 1, last_failure_at=now)
        if session.execute(bump.where(table.expires_at > now)).rowcount:
            return
        # A new window: forget every expired count (this key's included) so the table stays small.
        session.execute(delete(table).where(table.expires_at <= now))
        try:
            with session.begin_nested():
                session.execute(insert(table).values(key=key, failures=1, window_started_at=now, last_failure_at=now,
                                                     expires_at=now + timedelta(seconds=window)))
        except IntegrityError:  # another worker opened the window a moment ago
            session.execute(bump)

    def clear(self, session: Session, key: str) -> None:
        session.execute(delete(LoginFailureCount).where(LoginFailureCount.key == key))

    def reset(self, session: Session) -> None:
        session.execute(delete(LoginFailureCount))


class RedisCounts:
    """Counts in Redis hashes (f: failures, s: window start, l: last failure) that expire with their window."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, session: Session | None, key: str, now: datetime) -> Count:
        fields = self.client.hgetall(key)
        if not fields:
            return Count()
        return Count(int(fields[b"f"]), float(fields[b"s"]), float(fields[b"l"]))

    def hit(self, session: Session | None, key: str, now: datetime, window: int) -> None:
        stamp = now.timestamp()
        pipe = self.client.pipeline()
        pipe.hsetnx(key, "s", stamp).hincrby(key, "f", 1).hset(key, "l", stamp).hget(key, "s")
        started = float(pipe.execute()[-1])
        self.client.expireat(key, math.ceil(started + window))  # the same instant whichever worker sets it

    def clear(self, session: Session | None, key: str) -> None:
        self.client.delete(key)

    def reset(self, session: Session | None) -> None:
        self.client.flushdb()


@dataclass
class LoginThrottle:
    """The rule: after `free_failures` wrong passwords from one address for one account, each further try
    waits 2, 4, 8… seconds (at most `max_delay`) after the last failure; the owner, from any other address,
    is not slowed. An address with `address_limit` failures in its window (a spray over many accounts)
    waits for the window's end."""

    counts: DatabaseCounts | RedisCounts
    free_failures: int = 3
    max_delay: int = 900
    pair_window: int = 86400
    address_limit: int = 300
    address_window: int = 3600

    def delay_after(self, failures: int) -> int:
        if failures < self.free_failures:
            return 0
        return min(self.max_delay, 2 ** min(failures - self.free_failures + 1, 30))

    def wait_for(self, session: Session, account: str, address: str, now: datetime) -> int:
        """Seconds until this account may be tried from this address (0: now)."""
        moment = now.timestamp()
        pair = self.counts.get(session, pair_key(account, address), now)
        waits = [pair.last_failure + self.delay_after(pair.failures) - moment if pair.failures else 0]
        spray = self.counts.get(session, address_key(address), now)
        if spray.failures >= self.address_limit:
            waits.append(spray.window_started + self.address_window - moment)
        return max(0, math.ceil(max(waits)))

    def record_failure(self, session: Session, account: str, address: str, now: datetime) -> None:
        self.counts.hit(session, pair_key(account, address), now, self.pair_window)
        self.counts.hit(session, address_key(address), now, self.address_window)

    def record_success(self, session: Session, account: str, address: str) -> None:
        self.counts.clear(session, pair_key(account, address))

    def reset(self, session: Session | None = None) -> None:
        self.counts.reset(session)


def pair_key(account: str, address: str) -> str:
    """Hashed, so the table and Redis hold no login names, and every key has the same length."""
    return "p:" + hashlib.sha256(f"{account}\0{address}".encode()).hexdigest()


def address_key(address: str) -> str:
    return "a:" + hashlib.sha256(address.encode()).hexdigest()


def init_throttle(app: Flask) -> None:
    config = app.config
    if config["REDIS_URL"]:
        import redis

        counts: DatabaseCounts | RedisCounts = RedisCounts(redis.Redis.from_url(config["REDIS_URL"]))
    else:
        counts = DatabaseCounts()
    per_address = parse(config["LOGIN_LIMIT_PER_ADDRESS"])
    app.extensions["login_throttle"] = LoginThrottle(
        counts=counts,
        free_failures=int(config["LOGIN_FAILURES_BEFORE_DELAY"]),
        max_delay=int(config["LOGIN_DELAY_MAX_SECONDS"]),
        pair_window=int(config["LOGIN_FAILURE_WINDOW_SECONDS"]),
        address_limit=per_address.amount,
        address_window=per_address.get_expiry(),
    )


def login_throttle() -> LoginThrottle:
    return current_app.extensions["login_throttle"]
