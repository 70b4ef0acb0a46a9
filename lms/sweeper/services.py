"""One pass of the sweeper: if this worker holds (or can take) the sweep lease, close every overdue attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from lms.db import begin_writes
from lms.quizzes.taking.attempts import sweep_overdue

LEASE_NAME = "quizzes.sweep"
# Attempts closed per transaction, so the write lock is let go between batches when a whole class ends at once.
BATCH = 200


def sweep_if_holder(session: Session, leases, *, holder: str, now: datetime, grace_seconds: float,
                    lease_seconds: float) -> int | None:
    """Close overdue attempts (past deadline and grace) if `holder` wins the lease; None when another holds it.

    Reads first, so a worker that is not the holder costs one read and never waits for the write lock.
    Commits between batches; the caller commits the last one.
    """
    if leases.held_by_other(session, LEASE_NAME, holder, now=now):
        return None
    begin_writes(session)
    if not leases.acquire(session, LEASE_NAME, holder, now=now, seconds=lease_seconds):
        return None
    closed = 0
    while True:
        batch = sweep_overdue(session, now=now, grace_seconds=grace_seconds, limit=BATCH)
        closed += batch
        if batch < BATCH:
            return closed
        session.commit()
