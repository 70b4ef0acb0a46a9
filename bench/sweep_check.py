"""exam_peak --abandon N: N trainees leave their test open, and the in-app sweeper must close every one of them
within 2 s after its deadline plus the save grace, with no request touching the attempt and no cron.

After the exam (gunicorn still running), the abandoned attempts' deadline is moved to a few seconds from now
(a test of 45 minutes cannot be waited out), then the database is read every 0.1 s until they are closed: for
each, how long after its deadline + grace (QUIZ_SAVE_GRACE_SECONDS, the moment the sweeper may close it) it was
first seen closed (an upper bound of when it was; `closed_at` itself records the deadline), and why.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

LEAD_SECONDS = 3.0  # the new deadline is this far from now
LIMIT_SECONDS = 2.0  # the promise: closed within 2 s


def run(database_url: str, attempt_ids: list[int], *, grace_seconds: float) -> dict:
    from sqlalchemy import create_engine, select, update

    from lms.db import utcnow
    from lms.quizzes.models import Attempt, AttemptState

    if not attempt_ids:
        return {"abandoned": 0}
    engine = create_engine(database_url)
    try:
        deadline = utcnow() + timedelta(seconds=LEAD_SECONDS)
        with engine.begin() as connection:
            moved = connection.execute(update(Attempt).where(Attempt.id.in_(attempt_ids),
                                                             Attempt.state == AttemptState.OPEN)
                                       .values(deadline_at=deadline)).rowcount
        closable_at = deadline + timedelta(seconds=grace_seconds)
        give_up = time.monotonic() + LEAD_SECONDS + grace_seconds + 10
        seen_closed: dict[int, float] = {}  # attempt id -> seconds after closable_at it was first seen closed
        while True:
            with engine.connect() as connection:
                rows = connection.execute(select(Attempt.id, Attempt.state, Attempt.closed_at, Attempt.close_reason)
                                          .where(Attempt.id.in_(attempt_ids))).all()
            seen_at = (utcnow() - closable_at).total_seconds()
            for row in rows:  # closed_at records the deadline itself, so the moment is observed by polling
                if row.state == AttemptState.CLOSED:
                    seen_closed.setdefault(row.id, seen_at)
            if len(seen_closed) == len(rows) or time.monotonic() > give_up:
                break
            time.sleep(0.1)
    finally:
        engine.dispose()
    delays = sorted(seen_closed.values())
    return {"abandoned": len(attempt_ids), "deadline_moved": moved, "grace_seconds": grace_seconds,
            "closed": sum(1 for row in rows if row.state == AttemptState.CLOSED),
            "close_reasons": dict(Counter(str(row.close_reason) for row in rows)),
            "seen_closed_after_deadline_and_grace_s": {"min": round(delays[0], 2), "max": round(delays[-1], 2)}
            if delays else {},
            "all_closed_within_2s": len(delays) == len(attempt_ids) and delays[-1] <= LIMIT_SECONDS}
