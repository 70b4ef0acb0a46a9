"""When an attempt must end, and how long until then."""

from __future__ import annotations

from datetime import datetime, timedelta


def compute_deadline(*, started_at: datetime, time_limit_minutes: int, extra_minutes: int,
                     closes_at: datetime) -> datetime:
    """The earlier of start + limit (+ the trainee's extra time) and the moment the window closes."""
    return min(started_at + timedelta(minutes=time_limit_minutes + extra_minutes), closes_at)


def seconds_until(deadline: datetime, now: datetime) -> float:
    """Remaining time as the page shows it (never negative)."""
    return max(0.0, (deadline - now).total_seconds())




