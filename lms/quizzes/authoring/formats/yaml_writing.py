"""Writing a question's answer fields in the YAML bank format (the editor and Excel's JSON cells use them)."""

from __future__ import annotations

from typing import Any

from lms.quizzes.questions import FULL_WEIGHT, NumericAnswer, QuestionData, QuestionType, Scoring


def answer_fields(q: QuestionData) -> dict[str, Any]:
    """The answer fields of ``q`` in the YAML bank format (plus option feedback and numeric weights)."""
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return _json_choice(q)
    if q.type == QuestionType.SHORT:
        answers = [{"text": a.text, **({"weight": a.weight} if a.weight != FULL_WEIGHT else {})} for a in q.short_answers]
        return {"answers": answers, **({"ignore_diacritics": True} if q.ignore_diacritics else {})}
    if q.type == QuestionType.NUMERIC:
        return {"answers": [_json_numeric(a) for a in q.numeric_answers]}
    if q.type == QuestionType.MATCHING:
        return {"pairs": [{"left": p.left, "right": p.right} for p in q.pairs], "distractors": q.distractors}
    if q.type == QuestionType.ORDERING:
        return {"items": q.order_items}
    return {"answer": q.truth}


def _json_choice(q: QuestionData) -> dict[str, Any]:
    partial = q.type == QuestionType.MULTIPLE and q.scoring == Scoring.PARTIAL
    options = []
    for option in q.options:
        entry: dict[str, Any] = {"text": option.text}
        if option.correct:
            entry["correct"] = True
        if partial and option.weight != 0:
            entry["weight"] = option.weight
        if option.feedback:
            entry["feedback"] = option.feedback
        options.append(entry)
    return {"options": options, **({"scoring": str(q.scoring)} if q.type == QuestionType.MULTIPLE else {})}


def _json_numeric(a: NumericAnswer) -> dict[str, Any]:
    if a.minimum is not None and a.maximum is not None:
        entry: dict[str, Any] = {"min": a.minimum, "max": a.maximum}
    else:
        entry = {"value": a.value, "tolerance": a.tolerance}
    return entry | ({"weight": a.weight} if a.weight != FULL_WEIGHT else {})
