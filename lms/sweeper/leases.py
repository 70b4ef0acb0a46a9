"""One holder of a named job across every worker: a lease row in the database, or a Redis key when REDIS_URL is set."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.sweeper.models import Lease


class DatabaseLeases:
    """Leases in the `leases` table, taken or renewed by one UPDATE in the caller's transaction."""

    def held_by_other(self, session: Session, name: str, holder: str, *, now: datetime) -> bool:
        """Another holder's lease still runs (a plain read: no write lock)."""
        row = session.execute(select(Lease.holder, Lease.expires_at).where(Lease.name == name)).first()
        return row is not None and row.holder != holder and row.expires_at > now

    def acquire(self, session: Session, name: str, holder: str, *, now: datetime, seconds: float) -> bool:
        """Take the lease, or renew it if `holder` has it; False while another holder's lease runs."""
        expires_at = now + timedelta(seconds=seconds)
        taken = session.execute(
            update(Lease).where(Lease.name == name, or_(Lease.holder == holder, Lease.expires_at <= now))
            .values(holder=holder, expires_at=expires_at)
        ).rowcount
        if taken:
            return True
        try:
            with session.begin_nested():
                session.execute(insert(Lease).values(name=name, holder=holder, expires_at=expires_at))
        except IntegrityError:  # the row exists and another holder's lease runs
            return False
        return True

    def release(self, session: Session, name: str, holder: str) -> None:
        """Give the lease up at once (a worker shutting down), so another takes it at its next tick."""
        session.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder))


# Set the key when it is free, or extend it when this holder has it: one atomic step in Redis.
_ACQUIRE = """
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
return 0
"""
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class RedisLeases:
    """Leases as Redis keys that expire by Redis's clock (`now` is not used: Redis keeps the time)."""

    def __init__(self, client, prefix: str = "lms:lease:") -> None:
        self.client = client
        self.prefix = prefix
        self._acquire = client.register_script(_ACQUIRE)
        self._release = client.register_script(_RELEASE)

    def held_by_other(self, session: Session | None, name: str, holder: str, *, now: datetime) -> bool:
        current = self.client.get(self.prefix + name)
        return current is not None and current.decode() != holder

    def acquire(self, session: Session | None, name: str, holder: str, *, now: datetime, seconds: float) -> bool:
        return bool(self._acquire(keys=[self.prefix + name], args=[holder, max(1, int(seconds * 1000))]))

    def release(self, session: Session | None, name: str, holder: str) -> None:
        self._release(keys=[self.prefix + name], args=[holder])


def leases_for(redis_url: str | None):
    """Redis leases when the app shares state in Redis, else the database's."""
    if not redis_url:
        return DatabaseLeases()
    import redis

    return RedisLeases(redis.Redis.from_url(redis_url))
