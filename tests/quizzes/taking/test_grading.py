"""Tests for lms.quizzes.grading: credit rules of every question type and the public right answer."""

from __future__ import annotations

import itertools
import random

import pytest

from lms.quizzes.presentation import PresentedQuestion, present_question
from lms.quizzes.questions import (
    MatchPair,
    NumericAnswer,
    Option,
    QuestionData,
    QuestionType,
    Scoring,
    ShortAnswer,
)
from lms.quizzes.taking.answers import InvalidAnswer
from lms.quizzes.taking.grading import (
    GradeResult,
    correct_answer_public,
    grade,
    normalize_text_for_match,
    partial_weights,
)


def present(question: QuestionData, seed: int = 7) -> PresentedQuestion:
    return present_question(question, rng=random.Random(seed), shuffle_options=True)


def choice_id(presented: PresentedQuestion, question: QuestionData, text: str) -> str:
    """The presented id of the option/item whose source text is ``text``."""
    for group in (presented.choices, presented.items, presented.left, presented.right):
        for choice in group:
            if choice.text == text:
                return choice.id
    raise AssertionError(text)


def grade_choices(question: QuestionData, texts: list[str], seed: int = 7) -> GradeResult:
    presented = present(question, seed)
    return grade(question, presented, {"choices": [choice_id(presented, question, t) for t in texts]})


# --------------------------------------------------------------------------- single / true_false


def single_q(points: float = 2.0) -> QuestionData:
    return QuestionData(
        key="s1",
        type=QuestionType.SINGLE,
        stem="?",
        points=points,
        options=[Option("A"), Option("B", 100), Option("C")],
    )


def test_single_right_and_wrong():
    question = single_q()
    presented = present(question)
    right = grade(question, presented, {"choice": choice_id(presented, question, "B")})
    wrong = grade(question, presented, {"choice": choice_id(presented, question, "C")})
    assert (right.score, right.max_score, right.correct) == (2.0, 2.0, True)
    assert (wrong.score, wrong.max_score, wrong.correct) == (0.0, 2.0, False)
    assert right.detail["chosen"] == [1]


@pytest.mark.parametrize("answer", [None, {}, {"choice": None}])
def test_unanswered_scores_zero_with_correct_none(answer):
    question = single_q()
    result = grade(question, present(question), answer)
    assert result == GradeResult(0.0, 2.0, None, {"answered": False, "fraction": 0.0})


def test_true_false():
    question = QuestionData(key="tf", type=QuestionType.TRUE_FALSE, stem="?", truth=False)
    presented = present(question)
    assert grade(question, presented, {"value": False}).correct is True
    assert grade(question, presented, {"value": "false"}).score == 1.0
    assert grade(question, presented, {"value": True}).score == 0.0


def test_invalid_answer_and_foreign_presentation_are_rejected():
    question = single_q()
    with pytest.raises(InvalidAnswer):
        grade(question, present(question), {"choice": "zzzzzzzz"})
    other = QuestionData(key="other", type=QuestionType.SINGLE, stem="?", options=list(question.options))
    with pytest.raises(ValueError, match="belongs to"):
        grade(other, present(question), {})
    tf = QuestionData(key="s1", type=QuestionType.TRUE_FALSE, stem="?", truth=True)
    with pytest.raises(ValueError, match="type"):
        grade(tf, present(question), {"value": True})


# --------------------------------------------------------------------------- multiple


def multi_q(scoring: Scoring, wrong_weights: tuple[float, float] = (0, 0)) -> QuestionData:
    return QuestionData(
        key="m1",
        type=QuestionType.MULTIPLE,
        stem="?",
        points=4.0,
        scoring=scoring,
        options=[
            Option("A", 50),
            Option("B", 50),
            Option("X", wrong_weights[0]),
            Option("Y", wrong_weights[1]),
        ],
    )


def test_multiple_all_or_nothing_needs_exactly_the_correct_set():
    question = multi_q(Scoring.ALL_OR_NOTHING)
    assert grade_choices(question, ["A", "B"]).score == 4.0
    assert grade_choices(question, ["B", "A"]).correct is True
    assert grade_choices(question, ["A"]).score == 0.0
    assert grade_choices(question, ["A", "B", "X"]).score == 0.0
    assert grade_choices(question, ["X"]).correct is False


def test_partial_default_negative_weight_is_minus_100_over_number_correct():
    assert partial_weights(multi_q(Scoring.PARTIAL)) == [50, 50, -50, -50]
    assert partial_weights(multi_q(Scoring.PARTIAL, (-25, 0))) == [50, 50, -25, -50]


def test_partial_credit():
    question = multi_q(Scoring.PARTIAL)
    assert grade_choices(question, ["A", "B"]).score == 4.0
    half = grade_choices(question, ["A"])
    assert (half.score, half.correct) == (2.0, False)
    assert grade_choices(question, ["A", "X"]).score == 0.0
    assert grade_choices(question, ["A", "B", "X"]).score == 2.0


def test_partial_credit_uses_explicit_negative_weight():
    question = multi_q(Scoring.PARTIAL, (-25, 0))
    assert grade_choices(question, ["A", "X"]).score == 1.0  # 50 - 25 = 25% of 4 points
    assert grade_choices(question, ["A", "B", "X"]).score == 3.0


def test_partial_credit_never_below_zero_or_above_points():
    question = multi_q(Scoring.PARTIAL, (-100, 0))
    texts = ["A", "B", "X", "Y"]
    for size in range(1, 5):
        for combo in itertools.combinations(texts, size):
            result = grade_choices(question, list(combo))
            assert 0.0 <= result.score <= result.max_score, combo
    assert grade_choices(question, ["X", "Y"]).score == 0.0
    generous = QuestionData(
        key="g",
        type=QuestionType.MULTIPLE,
        stem="?",
        scoring=Scoring.PARTIAL,
        options=[Option("A", 100), Option("B", 100), Option("C")],
    )
    assert grade_choices(generous, ["A", "B"]).score == 1.0


# --------------------------------------------------------------------------- short


@pytest.mark.parametrize(
    ("text", "ignore", "folded"),
    [
        ("  Hà   Nội\t ", False, "hà nội"),
        ("Đà Nẵng", True, "da nang"),
        ("ĐÀ NẴNG", True, "da nang"),
        ("Nguyễn Thị Hương", True, "nguyen thi huong"),
        ("Nguye\u0302\u0303n", False, "nguyễn"),  # decomposed input is NFC-normalised first
        ("Đà Nẵng", False, "đà nẵng"),
    ],
)
def test_normalize_text_for_match(text, ignore, folded):
    assert normalize_text_for_match(text, ignore_diacritics=ignore) == folded


def short_q(texts: list[tuple[str, float]], ignore: bool) -> QuestionData:
    return QuestionData(
        key="sh",
        type=QuestionType.SHORT,
        stem="?",
        points=2.0,
        short_answers=[ShortAnswer(t, w) for t, w in texts],
        ignore_diacritics=ignore,
    )


def grade_text(question: QuestionData, text: str) -> GradeResult:
    return grade(question, present(question), {"text": text})


def test_short_ignores_case_and_spaces():
    question = short_q([("Hà Nội", 100)], ignore=False)
    assert grade_text(question, "  hà   NỘI ").correct is True
    assert grade_text(question, "Ha Noi").score == 0.0


def test_short_diacritics_insensitive_matching():
    name = short_q([("Nguyễn Thị Hương", 100)], ignore=True)
    assert grade_text(name, "Nguyen Thi Huong").correct is True
    assert grade_text(name, "nguyen  thi huong").score == 2.0
    city = short_q([("Đà Nẵng", 100)], ignore=True)
    assert grade_text(city, "da nang").correct is True
    assert grade_text(city, "Da Nang").correct is True
    assert grade_text(city, "Ha Noi").correct is False
    strict = short_q([("Đà Nẵng", 100)], ignore=False)
    assert grade_text(strict, "da nang").score == 0.0
    assert grade_text(strict, "đà nẵng").score == 2.0


def test_short_uses_best_matching_weight():
    question = short_q([("Ha Noi", 50), ("Hà Nội", 100), ("Thang Long", 25)], ignore=True)
    assert grade_text(question, "ha noi").score == 2.0
    partial = grade_text(question, "thăng long")
    assert (partial.score, partial.correct) == (0.5, False)
    assert grade_text(question, "Huế").score == 0.0


# --------------------------------------------------------------------------- numeric


def numeric_q() -> QuestionData:
    return QuestionData(
        key="n",
        type=QuestionType.NUMERIC,
        stem="?",
        points=10.0,
        numeric_answers=[
            NumericAnswer(value=3.5, weight=100),
            NumericAnswer(value=0.7, tolerance=0.1, weight=100),
            NumericAnswer(minimum=10, maximum=20, weight=40),
            NumericAnswer(minimum=12, maximum=13, weight=80),
        ],
    )


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("3,5", 10.0),
        ("3.5", 10.0),
        ("3,50", 10.0),
        ("3,6", 0.0),
        ("0,8", 10.0),  # 0.7 + 0.1 is 0.7999999999999999 in floats
        ("0.6", 10.0),
        ("0,59", 0.0),
        ("10", 4.0),
        ("12,5", 8.0),  # best of the two matching ranges
        ("20,01", 0.0),
        ("-3,5", 0.0),
    ],
)
def test_numeric(text, score):
    assert grade_text(numeric_q(), text).score == pytest.approx(score)


def test_numeric_rejects_non_numbers():
    with pytest.raises(InvalidAnswer):
        grade_text(numeric_q(), "ba rưỡi")


# --------------------------------------------------------------------------- matching / ordering


def matching_q() -> QuestionData:
    return QuestionData(
        key="mt",
        type=QuestionType.MATCHING,
        stem="?",
        points=3.0,
        pairs=[MatchPair("P", "Plan"), MatchPair("D", "Do"), MatchPair("C", "Check")],
        distractors=["Drop"],
    )


def grade_pairs(question: QuestionData, pairs: dict[str, str]) -> GradeResult:
    presented = present(question)
    ids = {
        choice_id(presented, question, left): choice_id(presented, question, right)
        for left, right in pairs.items()
    }
    return grade(question, presented, {"pairs": ids})


def test_matching_credit_is_share_of_correct_pairs():
    question = matching_q()
    assert grade_pairs(question, {"P": "Plan", "D": "Do", "C": "Check"}).score == 3.0
    two = grade_pairs(question, {"P": "Plan", "D": "Do", "C": "Drop"})
    assert (two.score, two.correct) == (pytest.approx(2.0), False)
    assert grade_pairs(question, {"P": "Plan"}).score == pytest.approx(1.0)
    assert grade_pairs(question, {"P": "Do", "D": "Plan", "C": "Drop"}).score == 0.0


def test_matching_with_a_shared_right_text():
    question = QuestionData(
        key="mt2",
        type=QuestionType.MATCHING,
        stem="?",
        pairs=[MatchPair("Táo", "Quả"), MatchPair("Cam", "Quả"), MatchPair("Cải", "Rau")],
    )
    presented = present(question)
    assert sorted(c.text for c in presented.right) == ["Quả", "Rau"]
    assert grade_pairs(question, {"Táo": "Quả", "Cam": "Quả", "Cải": "Rau"}).correct is True


def test_ordering_exact_order_only():
    question = QuestionData(key="o", type=QuestionType.ORDERING, stem="?", order_items=["A", "B", "C", "D"])
    presented = present(question)

    def order(texts: str) -> GradeResult:
        return grade(question, presented, {"order": [choice_id(presented, question, t) for t in texts]})

    assert order("ABCD").correct is True
    assert order("ABDC").score == 0.0
    assert order("DCBA").score == 0.0


# --------------------------------------------------------------------------- right answer after close


ALL_CHOICE_QUESTIONS = [
    single_q(),
    multi_q(Scoring.ALL_OR_NOTHING),
    multi_q(Scoring.PARTIAL, (-25, 0)),
    QuestionData(key="tf", type=QuestionType.TRUE_FALSE, stem="?", truth=True),
    matching_q(),
    QuestionData(key="o", type=QuestionType.ORDERING, stem="?", order_items=["A", "B", "A", "C"]),
]


@pytest.mark.parametrize("question", ALL_CHOICE_QUESTIONS, ids=lambda q: q.key + "-" + q.scoring)
def test_correct_answer_public_uses_presented_ids_and_grades_full(question):
    for seed in range(5):
        presented = present(question, seed)
        right = correct_answer_public(question, presented)
        result = grade(question, presented, right)
        assert result.correct is True
        assert result.score == result.max_score
        ids = {
            c.id
            for group in (presented.choices, presented.left, presented.right, presented.items)
            for c in group
        }
        values = right.get("choices") or right.get("order") or list(right.get("pairs", {}).items())
        flat = {v for item in values for v in (item if isinstance(item, tuple) else (item,))}
        if "choice" in right:
            flat = {right["choice"]}
        if question.type != QuestionType.TRUE_FALSE:
            assert flat and flat <= ids


def test_correct_answer_public_for_short_and_numeric():
    question = short_q([("Hà Nội", 100), ("Ha Noi", 50), ("Hanoi", 100)], ignore=False)
    assert correct_answer_public(question, present(question)) == {"texts": ["Hà Nội", "Hanoi"]}
    numeric = numeric_q()
    assert correct_answer_public(numeric, present(numeric)) == {
        "ranges": [{"min": 3.5, "max": 3.5}, {"min": pytest.approx(0.6), "max": pytest.approx(0.8)}]
    }


def test_grading_survives_storage_round_trip():
    question = matching_q()
    presented = present(question)
    restored = PresentedQuestion.from_storage_dict(presented.to_storage_dict())
    right = correct_answer_public(question, presented)
    assert grade(question, restored, right).score == 3.0
