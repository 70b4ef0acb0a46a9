"""Grading one answer to one presented question, and describing the right answer after the attempt.

Pure Python: no Flask, no database. The answer is in terms of the opaque ids of a
:class:`~lms.quizzes.presentation.PresentedQuestion`; its ``key_map`` leads back to the source question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from lms.quizzes.presentation import PresentedQuestion, matching_right_texts
from lms.quizzes.questions import FULL_WEIGHT, QuestionData, QuestionType, Scoring
from lms.quizzes.taking.answers import parse_number, validate_answer

_WHITESPACE = re.compile(r"\s+")
_Graded = tuple[float, dict[str, Any]]
_T = TypeVar("_T")


class _Weighted(Protocol):
    weight: float


@dataclass(frozen=True)
class GradeResult:
    """The outcome of grading one answer.

    ``score`` is in ``[0, max_score]`` and ``max_score`` is the question's points. ``correct`` is True for
    full credit, False for anything less, and None when nothing was answered (score 0). ``detail`` is
    server-side information (source indices chosen, credit fraction, ...); it may reveal the key.
    """

    score: float
    max_score: float
    correct: bool | None
    detail: dict[str, Any] = field(default_factory=dict)


def normalize_text_for_match(text: str, *, ignore_diacritics: bool) -> str:
    """Fold ``text`` for comparing short answers.

    Guarantees: NFC first; case-insensitive (casefold); leading/trailing spaces dropped and inner runs of
    whitespace collapsed to one space. With ``ignore_diacritics`` also drops combining marks after NFD and
    maps đ/Đ to d, so "Đà Nẵng" and "da nang" fold to the same string.
    """
    folded = unicodedata.normalize("NFC", text)
    if ignore_diacritics:
        folded = folded.replace("đ", "d").replace("Đ", "D")
        decomposed = unicodedata.normalize("NFD", folded)
        folded = unicodedata.normalize(
            "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        )
    return _WHITESPACE.sub(" ", folded.casefold()).strip()


def grade(question: QuestionData, presented: PresentedQuestion, answer: dict[str, Any] | None) -> GradeResult:
    """Grade ``answer`` (a ``validate_answer`` shape, ``{}`` or None) against ``question``.

    Raises InvalidAnswer if the answer does not fit ``presented`` and ValueError if ``presented`` was not
    built from ``question``. Credit rules follow docs/content-format.md; the score is credit x points,
    clamped to ``[0, points]``.
    """
    _check_same_question(question, presented)
    normalised = validate_answer(presented, answer or {})
    points = float(question.points)
    if not normalised:
        return GradeResult(0.0, points, None, {"answered": False, "fraction": 0.0})
    fraction, detail = _GRADERS[question.type](question, presented, normalised)
    fraction = min(1.0, max(0.0, fraction))
    score = round(fraction * points, 9)
    detail = {"answered": True, "fraction": fraction, **detail}
    return GradeResult(score, points, fraction >= 1.0, detail)


def _check_same_question(question: QuestionData, presented: PresentedQuestion) -> None:
    if presented.type != question.type:
        raise ValueError(
            f"presentation is of type {presented.type}, question {question.key} is {question.type}"
        )
    if presented.question_key and presented.question_key != question.key:
        raise ValueError(f"presentation belongs to {presented.question_key}, not {question.key}")


def _grade_single(question: QuestionData, presented: PresentedQuestion, answer: dict[str, Any]) -> _Graded:
    index = presented.index_of(answer["choice"])
    return (1.0 if question.options[index].correct else 0.0), {"chosen": [index]}


def _grade_multiple(question: QuestionData, presented: PresentedQuestion, answer: dict[str, Any]) -> _Graded:
    chosen = sorted(presented.index_of(cid) for cid in answer["choices"])
    if question.scoring == Scoring.PARTIAL:
        weights = partial_weights(question)
        percent = sum(weights[i] for i in chosen)
        return min(FULL_WEIGHT, max(0.0, percent)) / FULL_WEIGHT, {"chosen": chosen, "percent": percent}
    right = {i for i, option in enumerate(question.options) if option.correct}
    return (1.0 if set(chosen) == right else 0.0), {"chosen": chosen}


def partial_weights(question: QuestionData) -> list[float]:
    """Effective weight in percent of each option under partial scoring.

    A correct option keeps its weight; a wrong option keeps a negative weight, and a wrong option with
    weight 0 gets -100 / number of correct options.
    """
    n_correct = sum(1 for option in question.options if option.correct) or 1
    default_penalty = -FULL_WEIGHT / n_correct
    return [option.weight if option.weight != 0 else default_penalty for option in question.options]


def _grade_true_false(
    question: QuestionData, presented: PresentedQuestion, answer: dict[str, Any]
) -> _Graded:
    return (1.0 if answer["value"] == question.truth else 0.0), {"value": answer["value"]}


def _grade_short(question: QuestionData, presented: PresentedQuestion, answer: dict[str, Any]) -> _Graded:
    given = normalize_text_for_match(answer["text"], ignore_diacritics=question.ignore_diacritics)
    weights = [
        sa.weight
        for sa in question.short_answers
        if normalize_text_for_match(sa.text, ignore_diacritics=question.ignore_diacritics) == given
    ]
    best = max(weights, default=0.0)
    return best / FULL_WEIGHT, {"matched": bool(weights), "weight": best}


def _grade_numeric(question: QuestionData, presented: PresentedQuestion, answer: dict[str, Any]) -> _Graded:
    value = parse_number(answer["text"])
    weights = [
        na.weight for na in question.numeric_answers if value is not None and _within(value, na.bounds())
    ]
    best = max(weights, default=0.0)
    return best / FULL_WEIGHT, {"value": value, "matched": bool(weights), "weight": best}


def _within(value: float, bounds: tuple[float, float]) -> bool:
    """``value`` in the closed range, forgiving float noise such as 0.7 + 0.1 = 0.7999999999999999."""
    low, high = bounds
    slack = 1e-9 * max(1.0, abs(low), abs(high))
    return low - slack <= value <= high + slack


def _grade_matching(question: QuestionData, presented: PresentedQuestion, answer: dict[str, Any]) -> _Graded:
    rights = matching_right_texts(question)
    pairs: dict[str, str] = answer["pairs"]
    hits = []
    for left_id, right_id in pairs.items():
        pair_index = presented.index_of(left_id)
        if rights[presented.index_of(right_id)] == question.pairs[pair_index].right:
            hits.append(pair_index)
    total = len(question.pairs) or 1
    return len(hits) / total, {"correct_pairs": sorted(hits), "matched": len(pairs)}


def _grade_ordering(question: QuestionData, presented: PresentedQuestion, answer: dict[str, Any]) -> _Graded:
    order = [presented.index_of(item_id) for item_id in answer["order"]]
    texts = [question.order_items[i] for i in order]
    return (1.0 if texts == list(question.order_items) else 0.0), {"order": order}


_GRADERS = {
    QuestionType.SINGLE: _grade_single,
    QuestionType.MULTIPLE: _grade_multiple,
    QuestionType.TRUE_FALSE: _grade_true_false,
    QuestionType.SHORT: _grade_short,
    QuestionType.NUMERIC: _grade_numeric,
    QuestionType.MATCHING: _grade_matching,
    QuestionType.ORDERING: _grade_ordering,
}


def correct_answer_public(question: QuestionData, presented: PresentedQuestion) -> dict[str, Any]:
    """The right answer in terms of the presented ids, to show only once the attempt is closed.

    For single, multiple, true_false, matching and ordering it has the answer shape of
    ``validate_answer`` and grading it gives full credit (for partial multiple: the positive-weight
    options). Short gives ``{"texts": [full-credit texts]}``; numeric gives ``{"ranges": [{"min", "max"}]}``
    for the full-credit answers.
    """
    _check_same_question(question, presented)
    qtype = question.type
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        ids = [c.id for c in presented.choices if question.options[presented.index_of(c.id)].correct]
        return {"choice": ids[0] if ids else None} if qtype == QuestionType.SINGLE else {"choices": ids}
    if qtype == QuestionType.TRUE_FALSE:
        return {"value": question.truth}
    if qtype == QuestionType.SHORT:
        return {"texts": _best(question.short_answers, lambda sa: sa.text)}
    if qtype == QuestionType.NUMERIC:
        ranges = _best(question.numeric_answers, lambda na: na.bounds())
        return {"ranges": [{"min": low, "max": high} for low, high in ranges]}
    if qtype == QuestionType.MATCHING:
        return {"pairs": _correct_pairs(question, presented)}
    return {"order": _correct_order(question, presented)}


def _best(answers: Sequence[_Weighted], describe: Callable[[Any], _T]) -> list[_T]:
    """``describe(a)`` for the answers carrying the highest (positive) weight."""
    top = max((a.weight for a in answers), default=0.0)
    return [describe(a) for a in answers if a.weight == top and top > 0]


def _correct_pairs(question: QuestionData, presented: PresentedQuestion) -> dict[str, str]:
    rights = matching_right_texts(question)
    right_id_by_text = {c.text: c.id for c in presented.right}
    result = {}
    for left in presented.left:
        pair = question.pairs[presented.index_of(left.id)]
        right_id = right_id_by_text.get(pair.right)
        if right_id is not None and rights[presented.index_of(right_id)] == pair.right:
            result[left.id] = right_id
    return result


def _correct_order(question: QuestionData, presented: PresentedQuestion) -> list[str]:
    by_index = {presented.index_of(item.id): item.id for item in presented.items}
    return [by_index[i] for i in sorted(by_index)]
