"""How far the server trusts a save that arrives after the deadline: only as far as it saw the page in time.

The grace period exists for network delay: a change made just before the deadline may reach the server a few
seconds after it. The browser says each change was made in time, but the server does not take its word alone:
a late save is accepted only if the attempt's page was in contact (a start, a save, a reload or the page's
contact ping of the last minutes) within `contact_seconds` before the deadline. Every late save, accepted or
refused, is written to the attempt log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from lms.quizzes.models import Attempt, AttemptState


@dataclass(frozen=True)
class LateVerdict:
    """Whether the late changes of one save may be taken, and the figures the attempt log keeps."""

    trusted: bool
    late_by_seconds: float
    contact_before_deadline_seconds: float


def last_contact(attempt: Attempt) -> datetime:
    """When the server last heard from the attempt's page before the deadline (its start when nothing since)."""
    return attempt.last_contact_at or attempt.started_at


def judge_late_save(attempt: Attempt, *, now: datetime, contact_seconds: float) -> LateVerdict:
    """A save after the deadline is trusted when the page was in contact within `contact_seconds` before it."""
    gap = (attempt.deadline_at - last_contact(attempt)).total_seconds()
    return LateVerdict(trusted=gap <= contact_seconds,
                       late_by_seconds=round((now - attempt.deadline_at).total_seconds(), 3),
                       contact_before_deadline_seconds=round(gap, 3))


def late_entries(verdict: LateVerdict, *, accepted: list[int], refused: list[int]) -> list[tuple[str, dict]]:
    """The attempt-log lines of one late save: what was taken, what was not, and why."""
    detail = {"late_by_s": verdict.late_by_seconds,
              "contact_before_deadline_s": verdict.contact_before_deadline_seconds}
    entries = [("late_accepted", {**detail, "positions": accepted})] if accepted else []
    if refused:
        reason = "changed_after_deadline" if verdict.trusted else "no_contact"
        entries.append(("late_refused", {**detail, "positions": refused, "reason": reason}))
    return entries


def note_contact(attempt: Attempt, *, now: datetime) -> None:
    """Remember that the page was heard from (part of the write the request makes anyway).

    Only contact before the deadline counts: a late save cannot vouch for the next late save.
    """
    if attempt.state == AttemptState.OPEN and now <= attempt.deadline_at:
        attempt.last_contact_at = now


def record_contact(session: Session, attempt_id: int, *, now: datetime) -> bool:
    """The page's contact ping: one UPDATE, nothing loaded; False when the attempt is closed or past its deadline."""
    statement = (update(Attempt)
                 .where(Attempt.id == attempt_id, Attempt.state == AttemptState.OPEN, Attempt.deadline_at >= now)
                 .values(last_contact_at=now).execution_options(synchronize_session=False))
    if session.execute(statement).rowcount != 1:
        return False
    held = session.identity_map.get(identity_key(Attempt, attempt_id))
    if held is not None:
        set_committed_value(held, "last_contact_at", now)  # a copy this session holds sees the contact
    return True

