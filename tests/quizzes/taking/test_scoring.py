"""Scores of whole attempts and which attempt counts (highest or last)."""

from __future__ import annotations

import pytest

from lms.quizzes.taking.attempts import (
    AnswerSave,
    counted_attempt,
    get_attempt,
)
from tests.quizzes.taking.attempt_helpers import (
    answer_all,
    item_at,
    item_of_type,
    item_with_key,
    reread,
    right_answer,
    save,
    start,
    submit,
    wrong_answer,
)


def test_all_right_is_full_marks(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock)
    submit(db_session, attempt, clock)
    attempt = reread(db_session, attempt)
    assert (attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (8.0, 8.0, 100.0, True)
    for item in attempt.questions:
        assert (item.score, item.max_score, item.correct) == (1.0, 1.0, True), item.question_key
        assert item.grade_detail["answered"] is True


def test_all_wrong_or_empty_is_zero(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock, make=wrong_answer, positions={1, 2, 3, 4, 5})
    submit(db_session, attempt, clock)
    attempt = reread(db_session, attempt)
    assert (attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (0.0, 8.0, 0.0, False)
    for item in attempt.questions:
        assert item.score == 0.0, item.question_key
        assert item.correct is (False if item.position <= 5 else None), item.question_key


def test_grades_per_question_follow_the_answers(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    right = {q.position for q in attempt.questions if q.question_key in ("km-001", "km-101", "km-102")}
    answer_all(db_session, attempt, clock, positions=right)
    answer_all(db_session, attempt, clock, make=wrong_answer, positions={item_with_key(attempt, "km-005").position})
    submit(db_session, attempt, clock)
    attempt = reread(db_session, attempt)
    assert attempt.score == 3.0 and attempt.percent == 37.5 and attempt.passed is False
    graded = {q.question_key: (q.score, q.correct) for q in attempt.questions}
    assert graded == {"km-001": (1.0, True), "km-101": (1.0, True), "km-102": (1.0, True), "km-005": (0.0, False),
                      "km-002": (0.0, None), "km-003": (0.0, None), "km-004": (0.0, None), "km-103": (0.0, None)}


def test_half_of_a_matching_question_gives_partial_credit(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    matching = item_of_type(attempt, "matching")
    pairs = right_answer(matching)["pairs"]
    first_left = next(iter(pairs))
    save(db_session, attempt, clock, AnswerSave(matching.position, {"pairs": {first_left: pairs[first_left]}}, seq=1))
    submit(db_session, attempt, clock)
    item = item_at(reread(db_session, attempt), matching.position)
    assert item.score == pytest.approx(1 / 3) and item.correct is False


def test_counted_attempt_highest_or_last(db_session, ex, clock):
    assert counted_attempt([], "highest") is None
    best = start(db_session, ex, clock)
    answer_all(db_session, best, clock)
    submit(db_session, best, clock)
    worse = start(db_session, ex, clock)
    assert counted_attempt([best, worse], "last") is best  # an open attempt never counts
    answer_all(db_session, worse, clock, positions={1})
    submit(db_session, worse, clock)
    attempts = [reread(db_session, best), get_attempt(db_session, worse.id)]
    assert [a.percent for a in attempts] == [100.0, 12.5]
    assert counted_attempt(attempts, "highest").id == best.id
    assert counted_attempt(attempts, "last").id == worse.id


def test_counted_attempt_prefers_the_earlier_of_equal_scores(db_session, ex, clock):
    first = start(db_session, ex, clock)
    submit(db_session, first, clock)
    second = start(db_session, ex, clock)
    submit(db_session, second, clock)
    assert counted_attempt([second, first], "highest").id == first.id
