"""Page events of an attempt (tab hidden, connection lost...): logged up to a rate, the excess of a burst summed up.

The rate is counted in the attempt log itself, so every worker sees the same count; the caller holds the
attempt's row lock (SQLite: the write lock), so two workers never both take the last free place.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms.errors import RuleViolation
from lms.quizzes.models import Attempt, AttemptEvent
from lms.quizzes.taking.attempts import ClientInfo, log_event

PAGE_EVENT_KINDS = ("hidden", "visible", "offline", "online", "reconnect")
DROPPED = "dropped"  # the log line that counts a burst's events beyond the rate, and keeps its last one
WINDOW = timedelta(minutes=1)
MAX_DETAIL_BYTES = 1024


@dataclass(frozen=True)
class EventOutcome:
    logged: bool
    retry_after: int = 0  # seconds until the attempt may log a page event again (when not logged)


def detail_size(detail: dict | None) -> int:
    """Bytes of the detail as it is stored (compact UTF-8 JSON)."""
    if detail is None:
        return 0
    return len(json.dumps(detail, ensure_ascii=False, separators=(",", ":")).encode())


def record_page_event(session: Session, attempt: Attempt, kind: str, *, now: datetime, client: ClientInfo,
                      detail: dict | None = None, per_minute: int = 30) -> EventOutcome:
    """Log the event, unless the attempt logged `per_minute` page events in the last minute: then the event is
    counted in the burst's DROPPED line (how many, when the first and the last came, the last one's kind and
    detail) and the outcome says when to try again."""
    if detail_size(detail) > MAX_DETAIL_BYTES:
        raise RuleViolation(_("The event detail is too large (at most %(limit)d bytes).", limit=MAX_DETAIL_BYTES))
    recent = list(session.scalars(
        select(AttemptEvent.at)
        .where(AttemptEvent.attempt_id == attempt.id, AttemptEvent.kind.in_(PAGE_EVENT_KINDS),
               AttemptEvent.at > now - WINDOW)
        .order_by(AttemptEvent.at)))
    if len(recent) < per_minute:
        log_event(session, attempt, kind, now=now, client=client, detail=detail)
        return EventOutcome(logged=True)
    _count_dropped(session, attempt, kind, now=now, client=client, detail=detail)
    frees_a_place_at = recent[len(recent) - per_minute] + WINDOW
    return EventOutcome(logged=False, retry_after=max(1, math.ceil((frees_a_place_at - now).total_seconds())))


def _count_dropped(session: Session, attempt: Attempt, kind: str, *, now: datetime, client: ClientInfo,
                   detail: dict | None) -> None:
    """A burst goes on while dropped events come less than a minute apart: one line for all of them."""
    last = {"kind": kind, "at": now.isoformat(), "detail": detail}
    line = session.execute(
        select(AttemptEvent.id, AttemptEvent.detail)
        .where(AttemptEvent.attempt_id == attempt.id, AttemptEvent.kind == DROPPED, AttemptEvent.at > now - WINDOW)
        .order_by(AttemptEvent.id.desc()).limit(1)).first()
    if line is None:
        log_event(session, attempt, DROPPED, now=now, client=client,
                  detail={"count": 1, "first_at": now.isoformat(), "last": last})
        return
    summary = {**line.detail, "count": line.detail["count"] + 1, "last": last}
    session.execute(update(AttemptEvent).where(AttemptEvent.id == line.id)
                    .values(at=now, detail=summary, address=client.address[:64],
                            user_agent=client.user_agent[:255]))

