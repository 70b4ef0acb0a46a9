"""Deadlines, extra time, the grace period and the sweep of overdue attempts (service tests, injected clock)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.errors import Conflict, RuleViolation
from lms.quizzes.models import AttemptState, CloseReason
from lms.quizzes.results.overrides import set_override
from lms.quizzes.taking.attempts import (
    AnswerSave,
    close_if_overdue,
    get_attempt,
    sweep_overdue,
)
from lms.quizzes.taking.deadlines import compute_deadline
from lms.quizzes.taking.lateness import record_contact
from tests.quizzes.conftest import NOW
from tests.quizzes.taking.attempt_helpers import (
    GRACE,
    LIMIT,
    answer_all,
    item_at,
    item_of_type,
    reread,
    right_answer,
    save,
    start,
    wrong_answer,
)


def test_compute_deadline_is_the_earlier_of_limit_and_window():
    assert compute_deadline(started_at=NOW, time_limit_minutes=10, extra_minutes=0,
                            closes_at=NOW + timedelta(hours=1)) == NOW + LIMIT
    assert compute_deadline(started_at=NOW, time_limit_minutes=10, extra_minutes=5,
                            closes_at=NOW + timedelta(hours=1)) == NOW + timedelta(minutes=15)
    assert compute_deadline(started_at=NOW, time_limit_minutes=10, extra_minutes=5,
                            closes_at=NOW + timedelta(minutes=7)) == NOW + timedelta(minutes=7)


def test_deadline_is_start_plus_limit_when_the_window_closes_later(db_session, ex, clock):
    clock.advance(minutes=3)
    attempt = start(db_session, ex, clock)
    assert attempt.number == 1 and attempt.state == AttemptState.OPEN
    assert attempt.started_at == clock.now
    assert attempt.deadline_at == clock.now + LIMIT
    assert reread(db_session, attempt).deadline_at == NOW + timedelta(minutes=13)
    assert len(attempt.questions) == 8


def test_deadline_is_the_window_close_when_it_closes_earlier(db_session, ex, clock):
    ex.opening.closes_at = NOW + timedelta(minutes=4)
    db_session.flush()
    attempt = start(db_session, ex, clock)
    assert attempt.deadline_at == NOW + timedelta(minutes=4)


def test_extra_minutes_set_before_start_extend_the_deadline(db_session, ex, clock):
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=15, extra_attempts=0, reason="khiếm thị",
                 now=clock.now)
    attempt = start(db_session, ex, clock)
    assert attempt.deadline_at == NOW + timedelta(minutes=25)
    other = start(db_session, ex, clock, user=ex.other_trainee)
    assert other.deadline_at == NOW + LIMIT


def test_extra_minutes_never_go_past_the_window(db_session, ex, clock):
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=600, extra_attempts=0, reason="", now=clock.now)
    attempt = start(db_session, ex, clock)
    assert attempt.deadline_at == ex.opening.closes_at == NOW + timedelta(hours=2)


def test_override_during_an_open_attempt_moves_its_deadline_at_once(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    clock.advance(minutes=2)
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=20, extra_attempts=0, reason="mất mạng",
                 now=clock.now)
    assert reread(db_session, attempt).deadline_at == NOW + timedelta(minutes=30)
    clock.advance(minutes=1)
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=5, extra_attempts=0, reason="sửa lại", now=clock.now)
    assert reread(db_session, attempt).deadline_at == NOW + timedelta(minutes=15)


def test_shortening_extra_time_never_puts_the_deadline_before_now(db_session, ex, clock):
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=30, extra_attempts=0, reason="", now=clock.now)
    attempt = start(db_session, ex, clock)
    assert attempt.deadline_at == NOW + timedelta(minutes=40)
    clock.advance(minutes=20)
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=0, extra_attempts=0, reason="", now=clock.now)
    attempt = reread(db_session, attempt)
    assert attempt.deadline_at == clock.now
    assert attempt.state == AttemptState.OPEN
    # Within the grace the page can still hand in what was typed before; after it, the attempt closes.
    assert not close_if_overdue(db_session, attempt, now=clock.now + timedelta(seconds=GRACE), grace_seconds=GRACE)
    assert close_if_overdue(db_session, attempt, now=clock.now + timedelta(seconds=GRACE + 1), grace_seconds=GRACE)


def test_override_of_another_trainee_leaves_the_attempt_alone(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    set_override(db_session, ex.quiz, ex.other_trainee, extra_minutes=30, extra_attempts=0, reason="", now=clock.now)
    assert reread(db_session, attempt).deadline_at == NOW + LIMIT


def test_override_limits_are_enforced(db_session, ex, clock):
    with pytest.raises(RuleViolation):
        set_override(db_session, ex.quiz, ex.trainee, extra_minutes=601, extra_attempts=0, reason="", now=clock.now)
    with pytest.raises(RuleViolation):
        set_override(db_session, ex.quiz, ex.trainee, extra_minutes=0, extra_attempts=-1, reason="", now=clock.now)


def test_a_change_made_before_the_deadline_is_taken_within_the_grace(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    tf, short = item_of_type(attempt, "true_false"), item_of_type(attempt, "short")
    clock.now = attempt.deadline_at - timedelta(seconds=20)
    record_contact(db_session, attempt.id, now=clock.now)  # the page's ping shortly before the deadline
    clock.now = attempt.deadline_at + timedelta(seconds=5)
    outcome = save(db_session, attempt, clock, AnswerSave(tf.position, {"value": True}, seq=1),
                   AnswerSave(short.position, {"text": "PDCA"}, seq=2, changed_before_deadline=False))
    assert outcome.applied == [tf.position] and outcome.stale == [short.position]
    attempt = reread(db_session, attempt)
    assert item_at(attempt, tf.position).answer == {"value": True}
    assert item_at(attempt, short.position).answer is None
    assert attempt.state == AttemptState.OPEN


def test_a_save_after_the_grace_closes_and_grades_the_attempt(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    tf = item_of_type(attempt, "true_false")
    save(db_session, attempt, clock, AnswerSave(tf.position, right_answer(tf), seq=1))
    clock.now = attempt.deadline_at + timedelta(seconds=GRACE + 1)
    with pytest.raises(Conflict):
        save(db_session, attempt, clock, AnswerSave(tf.position, wrong_answer(tf), seq=2))
    attempt = reread(db_session, attempt)
    assert attempt.state == AttemptState.CLOSED and attempt.close_reason == CloseReason.DEADLINE
    assert attempt.closed_at == NOW + LIMIT
    assert item_at(attempt, tf.position).answer == right_answer(tf)
    assert attempt.score == 1.0 and attempt.max_score == 8.0 and attempt.percent == 12.5 and attempt.passed is False
    with pytest.raises(Conflict):
        save(db_session, attempt, clock, AnswerSave(tf.position, wrong_answer(tf), seq=3))


def test_close_if_overdue_waits_for_the_grace(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    deadline = attempt.deadline_at
    assert not close_if_overdue(db_session, attempt, now=deadline, grace_seconds=GRACE)
    assert not close_if_overdue(db_session, attempt, now=deadline + timedelta(seconds=GRACE), grace_seconds=GRACE)
    assert attempt.state == AttemptState.OPEN
    assert close_if_overdue(db_session, attempt, now=deadline + timedelta(seconds=GRACE + 1), grace_seconds=GRACE)
    attempt = reread(db_session, attempt)
    assert attempt.state == AttemptState.CLOSED and attempt.close_reason == CloseReason.DEADLINE
    assert attempt.closed_at == deadline and attempt.score == 0.0
    assert not close_if_overdue(db_session, attempt, now=deadline + timedelta(hours=1), grace_seconds=GRACE)


def test_sweep_closes_only_overdue_attempts(db_session, ex, clock):
    late = start(db_session, ex, clock)
    answer_all(db_session, late, clock)
    clock.advance(minutes=5)
    in_time = start(db_session, ex, clock, user=ex.other_trainee)
    clock.now = NOW + LIMIT + timedelta(seconds=GRACE)
    assert sweep_overdue(db_session, now=clock.now, grace_seconds=GRACE) == 0
    clock.advance(minutes=3)
    assert sweep_overdue(db_session, now=clock.now, grace_seconds=GRACE) == 1
    late, in_time = reread(db_session, late), get_attempt(db_session, in_time.id)
    assert late.state == AttemptState.CLOSED and late.close_reason == CloseReason.SWEEP
    assert late.closed_at == late.deadline_at == NOW + LIMIT
    assert late.percent == 100.0 and late.passed is True
    assert all(q.correct is True and q.score == q.max_score for q in late.questions)
    assert in_time.state == AttemptState.OPEN and in_time.closed_at is None and in_time.score is None
    assert sweep_overdue(db_session, now=clock.now, grace_seconds=GRACE) == 0
    clock.advance(hours=1)
    assert sweep_overdue(db_session, now=clock.now, grace_seconds=GRACE) == 1
    in_time = reread(db_session, in_time)
    assert in_time.close_reason == CloseReason.SWEEP and in_time.closed_at == NOW + timedelta(minutes=15)
