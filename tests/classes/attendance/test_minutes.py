"""Minutes present from Zoom joins and leaves: several joins, repeats, out-of-order events, no leave, no end."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from lms.classes.attendance.minutes import JOIN, LEAVE, Mark, minutes_present

START = datetime(2026, 11, 1, 0, 30, tzinfo=UTC)
END = START + timedelta(hours=4)


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def test_several_joins_and_leaves_add_up():
    events = [Mark("p1", JOIN, at(0)), Mark("p1", LEAVE, at(50)), Mark("p1", JOIN, at(60)), Mark("p1", LEAVE, at(90)),
              Mark("p2", JOIN, at(100)), Mark("p2", LEAVE, at(130))]  # p2: rejoined with a new participant id
    assert minutes_present(events, start=START, end=END) == 50 + 30 + 30


def test_delivery_order_and_repeats_do_not_change_minutes():
    events = [Mark("p1", JOIN, at(0)), Mark("p1", LEAVE, at(50)), Mark("p1", JOIN, at(60)), Mark("p1", LEAVE, at(90))]
    shuffled = events * 3
    random.Random(4).shuffle(shuffled)
    assert minutes_present(shuffled, start=START, end=END) == 80


def test_a_join_before_the_session_counts_from_its_start():
    assert minutes_present([Mark("p", JOIN, at(-20)), Mark("p", LEAVE, at(10))], start=START, end=END) == 10


def test_no_leave_closes_at_meeting_end_else_session_end():
    events = [Mark("p", JOIN, at(200))]
    assert minutes_present(events, start=START, end=END) == 40
    assert minutes_present(events, start=START, end=END, meeting_ended_at=at(220)) == 20


def test_a_leave_after_the_meeting_ended_is_cut_at_the_end():
    events = [Mark("p", JOIN, at(0)), Mark("p", LEAVE, at(235))]
    assert minutes_present(events, start=START, end=END, meeting_ended_at=at(120)) == 120


def test_two_devices_at_once_are_not_counted_twice():
    events = [Mark("phone", JOIN, at(0)), Mark("laptop", JOIN, at(10)), Mark("phone", LEAVE, at(60)),
              Mark("laptop", LEAVE, at(70))]
    assert minutes_present(events, start=START, end=END) == 70


def test_a_leave_without_join_counts_nothing():
    assert minutes_present([Mark("p", LEAVE, at(30))], start=START, end=END) == 0
