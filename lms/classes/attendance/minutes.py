"""Minutes present from Zoom join and leave events: pure functions, no database.

How events become minutes (the order of delivery never matters, only the times Zoom reports):
- each participant's events are sorted by time; a join opens an interval, the next leave closes it; a second join
  while open and a leave with nothing open are ignored (Zoom repeats deliveries and may send them out of order);
- an interval still open is closed when the meeting ended (meeting.ended), or else at the session's end;
- intervals are clipped to the session's time and to the meeting's end, then merged per trainee, so one trainee
  on two devices, or two overlapping records, is never counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

JOIN, LEAVE = "join", "leave"


@dataclass(frozen=True)
class Mark:
    """One join or leave of one participant (the stable key Zoom gives them in the meeting)."""

    participant_key: str
    kind: str
    at: datetime


def participant_intervals(events: Iterable[Mark], *, close_at: datetime) -> list[tuple[datetime, datetime]]:
    """Intervals of presence from one participant's events; an interval left open ends at close_at."""
    ordered = sorted(events, key=lambda e: (e.at, 0 if e.kind == LEAVE else 1))
    intervals, opened = [], None
    for event in ordered:
        if event.kind == JOIN and opened is None:
            opened = event.at
        elif event.kind == LEAVE and opened is not None:
            intervals.append((opened, event.at))
            opened = None
    if opened is not None and opened < close_at:
        intervals.append((opened, close_at))
    return intervals


def merged_seconds(intervals: Iterable[tuple[datetime, datetime]], *, start: datetime, end: datetime) -> float:
    """Seconds covered by the union of the intervals, inside [start, end]."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in intervals if min(b, end) > max(a, start))
    total, current_start, current_end = 0.0, None, None
    for a, b in clipped:
        if current_end is None or a > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = a, b
        else:
            current_end = max(current_end, b)
    if current_end is not None:
        total += (current_end - current_start).total_seconds()
    return total


def minutes_present(events: Iterable[Mark], *, start: datetime, end: datetime,
                    meeting_ended_at: datetime | None = None) -> float:
    """Minutes one trainee was in the meeting during a session, from all their participants' events."""
    close_at = min(end, meeting_ended_at) if meeting_ended_at else end
    by_participant: dict[str, list[Mark]] = {}
    for event in events:
        by_participant.setdefault(event.participant_key, []).append(event)
    intervals = [interval for marks in by_participant.values()
                 for interval in participant_intervals(marks, close_at=close_at)]
    return merged_seconds(intervals, start=start, end=close_at) / 60
