"""Tests for lms.quizzes.itemstats: facility, point-biserial, upper/lower index, frequencies, reliability."""

from __future__ import annotations

import math

import pytest

from lms.quizzes.results.itemstats import (
    AttemptRow,
    ItemResponse,
    item_statistics,
    pearson,
    rest_score,
    single_item_statistics,
    upper_lower_index,
)


def test_point_biserial_matches_hand_computation():
    # item scores 1,0,1,1,0 and rest-scores 3,1,2,4,2 (totals include the item).
    # mean rest: 2.4; for item=1: 3.0, item=0: 1.5; population sd of rest: sqrt(5.2 / 5);
    # p = 0.6, q = 0.4  ->  r_pb = (3.0 - 1.5) / sqrt(1.04) * sqrt(0.24) = 0.720576...
    rows = [(4, 1, ()), (1, 0, ()), (3, 1, ()), (5, 1, ()), (2, 0, ())]
    stats = single_item_statistics(rows)
    expected = (3.0 - 1.5) / math.sqrt(5.2 / 5) * math.sqrt(0.6 * 0.4)
    assert expected == pytest.approx(0.7205766, abs=1e-6)
    assert stats.discrimination == pytest.approx(expected)
    assert stats.facility == pytest.approx(0.6)
    assert stats.n == 5


def test_pearson_and_rest_score():
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([1], [1]) is None
    with pytest.raises(ValueError):
        pearson([1, 2], [1])
    assert rest_score(ItemResponse(total=7, score=1)) == 6
    assert rest_score(ItemResponse(total=0.7, score=1.0, share=0.25)) == pytest.approx(0.6)
    assert rest_score(ItemResponse(total=0.5, score=0.5, share=1.0)) == 0.0


def test_zero_variance_gives_none_without_dividing_by_zero():
    everyone_right = single_item_statistics([(t, 1.0, (0,)) for t in (0.2, 0.5, 0.9, 0.4)])
    assert everyone_right.facility == 1.0
    assert everyone_right.discrimination is None
    assert everyone_right.discrimination_index == 0.0
    same_rest = single_item_statistics([(1.0, 1.0, ()), (0.0, 0.0, ()), (1.0, 1.0, ())])
    assert same_rest.discrimination is None  # rest-score is 0 everywhere


def test_no_attempts():
    stats = single_item_statistics([], option_count=3)
    assert stats.n == 0
    assert stats.facility is None
    assert stats.discrimination is None
    assert stats.discrimination_index is None
    assert stats.option_counts == {0: 0, 1: 0, 2: 0}
    assert stats.option_rates == {0: 0.0, 1: 0.0, 2: 0.0}
    assert stats.reliable is False


def test_upper_lower_27_percent_index():
    totals = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    scores = [0, 1, 0, 1, 1, 0, 1, 1, 1, 0]
    # groups of round(0.27 * 10) = 3: upper (8, 9, 10) -> 2/3, lower (1, 2, 3) -> 1/3
    assert upper_lower_index(totals, scores) == pytest.approx(1 / 3)
    assert upper_lower_index([5, 1], [1, 0]) == 1.0
    assert upper_lower_index([1], [1]) is None
    stats = single_item_statistics(list(zip(totals, scores, [()] * 10, strict=True)))
    assert stats.discrimination_index == pytest.approx(1 / 3)


def test_option_frequencies():
    rows = [(0.5, 1, (1,)), (0.4, 0, (0,)), (0.9, 1, (1,)), (0.1, 0, ()), (0.6, 0.5, (1, 2, 1))]
    stats = single_item_statistics(rows, option_count=4)
    assert stats.option_counts == {0: 1, 1: 3, 2: 1, 3: 0}
    assert stats.option_rates == {0: 0.2, 1: 0.6, 2: 0.2, 3: 0.0}


def test_reliability_flag_and_vietnamese_warning():
    few = single_item_statistics([(i / 29, i % 2, ()) for i in range(29)])
    assert few.reliable is False
    assert "29" in few.warning and "30" in few.warning
    assert "tin cậy" in few.warning
    enough = single_item_statistics([(i / 30, i % 2, ()) for i in range(30)])
    assert enough.reliable is True
    assert enough.warning is None


def test_item_statistics_per_question_from_attempt_rows():
    # two equally weighted questions: rest-score of q1 is exactly the score on q2
    q1 = [1.0, 0.0, 1.0, 1.0, 0.0, 0.5]
    q2 = [0.8, 0.1, 0.4, 1.0, 0.3, 0.2]
    rows = [
        AttemptRow(total=(a + b) / 2, scores={"q1": a, "q2": b}, chosen={"q1": (0 if a == 1 else 1,)})
        for a, b in zip(q1, q2, strict=True)
    ]
    rows.append(AttemptRow(total=0.5, scores={"q2": 0.5, "q3": 0.5}))
    stats = item_statistics(rows, option_counts={"q1": 3})
    assert set(stats) == {"q1", "q2", "q3"}
    assert stats["q1"].n == 6
    assert stats["q2"].n == 7
    assert stats["q1"].facility == pytest.approx(sum(q1) / 6)
    assert stats["q1"].discrimination == pytest.approx(pearson(q1, q2))
    assert stats["q1"].option_counts == {0: 3, 1: 3, 2: 0}
    assert stats["q3"].discrimination is None


def test_attempt_rows_with_explicit_shares():
    rows = [
        AttemptRow(total=0.75, scores={"a": 1.0, "b": 0.5}, shares={"a": 0.5, "b": 0.5}),
        AttemptRow(total=0.25, scores={"a": 0.0, "b": 0.5}, shares={"a": 0.5, "b": 0.5}),
        AttemptRow(total=0.9, scores={"a": 1.0, "b": 0.8}, shares={"a": 0.5, "b": 0.5}),
    ]
    stats = item_statistics(rows)
    assert stats["a"].discrimination == pytest.approx(pearson([1.0, 0.0, 1.0], [0.5, 0.5, 0.8]))
