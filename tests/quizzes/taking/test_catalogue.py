"""The trainee's test list: states before and after a start, used-up attempts, hidden results, closed windows."""

from __future__ import annotations

from datetime import timedelta

from lms.auth.models import Role
from lms.quizzes.models import CloseReason
from lms.quizzes.results.overrides import set_override
from lms.quizzes.taking import catalogue
from tests.factories import make_user
from tests.quizzes.taking.attempt_helpers import (
    GRACE,
    answer_all,
    reread,
    start,
    submit,
)


def test_test_list_before_and_after_start(db_session, ex, clock):
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.quiz_id == ex.quiz.id and summary.is_open and summary.can_start
    assert (summary.attempts_used, summary.attempts_allowed, summary.open_attempt_id) == (0, 2, None)
    assert summary.question_count == 8 and summary.time_limit_minutes == 10 and summary.pass_mark_percent == 60
    assert summary.best_percent is None and summary.passed is None
    attempt = start(db_session, ex, clock)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.open_attempt_id == attempt.id and summary.attempts_used == 1 and summary.can_start
    answer_all(db_session, attempt, clock, positions={1, 2, 3, 4, 5, 6})
    submit(db_session, attempt, clock)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.open_attempt_id is None and summary.attempts_used == 1 and summary.can_start
    assert summary.best_percent == 75.0 and summary.passed is True


def test_test_list_when_attempts_are_used_up(db_session, ex, clock):
    for _ in range(2):
        submit(db_session, start(db_session, ex, clock), clock)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.attempts_used == 2 and not summary.can_start and summary.is_open
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=0, extra_attempts=1, reason="", now=clock.now)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.attempts_allowed == 3 and summary.can_start
    ex.quiz.max_attempts = 0
    db_session.flush()
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.attempts_allowed is None and summary.can_start


def test_test_list_hides_results_the_review_rules_hide(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock)
    submit(db_session, attempt, clock)
    ex.quiz.review_after_submit = []
    db_session.flush()
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.best_percent is None and summary.passed is None
    ex.quiz.review_after_submit = ["score"]
    db_session.flush()
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.best_percent == 100.0 and summary.passed is None


def test_test_list_closes_an_overdue_attempt_and_shows_a_closed_window(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    clock.advance(minutes=30)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.open_attempt_id is None and summary.attempts_used == 1
    assert reread(db_session, attempt).close_reason == CloseReason.DEADLINE
    clock.now = ex.opening.closes_at + timedelta(days=1)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert not summary.is_open and not summary.can_start
    clock.now = ex.opening.closes_at + timedelta(days=31)
    assert catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE) == []


def test_test_list_is_empty_for_someone_not_enrolled(db_session, ex, clock):
    stranger = make_user(db_session, Role.TRAINEE, username="nguoi.la2")
    assert catalogue.tests_for_trainee(db_session, stranger, now=clock.now, grace_seconds=GRACE) == []
