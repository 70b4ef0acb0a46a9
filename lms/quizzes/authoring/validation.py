"""Checks every question passes whatever format it came in, and the text helpers all importers share."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, replace
from typing import Any

from lms.quizzes.questions import (
    FULL_WEIGHT,
    MatchPair,
    Option,
    QuestionData,
    QuestionType,
    Scoring,
    ShortAnswer,
)
from lms.text import strip_control

_WEIGHT_SLACK = 0.01  # 3 x 33.33 must count as 100 %
_SPACES = re.compile(r"\s+")
MAX_TEXT_LENGTH = 10_000  # characters in any one text of a question (stem, option, answer, explanation...)


def nfc(text: str) -> str:
    """``text`` in Unicode NFC, without control characters (every importer and the editor go through here)."""
    return unicodedata.normalize("NFC", strip_control(text))


def fold_text(text: str) -> str:
    """Case- and spacing-insensitive form used to detect duplicates (NFC, casefold, single spaces)."""
    return _SPACES.sub(" ", nfc(text).casefold()).strip()


def normalize_question(question: QuestionData) -> QuestionData:
    """A copy of ``question`` with every text (stem, options, answers, pairs, items, ...) in NFC."""
    changes: dict[str, Any] = {}
    for f in fields(question):
        value = getattr(question, f.name)
        if isinstance(value, str):
            changes[f.name] = nfc(value)
        elif isinstance(value, list):
            changes[f.name] = [_nfc_item(item) for item in value]
    return replace(question, **changes)


def _nfc_item(item: Any) -> Any:
    if isinstance(item, str):
        return nfc(item)
    if isinstance(item, Option | ShortAnswer | MatchPair):
        return replace(item, **{f.name: nfc(getattr(item, f.name)) for f in fields(item)
                                if isinstance(getattr(item, f.name), str)})
    return item


def slug_key(text: str, *, max_length: int = 60) -> str:
    """A lowercase ASCII slug of ``text`` (Vietnamese marks dropped, đ -> d), at most ``max_length`` chars.

    Returns ``"cau-hoi"`` when nothing usable is left.
    """
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "cau-hoi"


def unique_key(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not in ``used``; the result is added to ``used``."""
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}-{n}"
    used.add(key)
    return key




def validate_question(question: QuestionData, *, require_explanation: bool = False,
                      require_source: bool = False) -> list[str]:
    """Vietnamese messages for every rule of docs/content-format.md the question breaks ([] if valid).

    Checks key, stem, points, explanation/source when required, and the answer rules of its type
    (correct-answer counts, weights, distinct non-empty options, pairs and items).
    """
    messages = []
    if not question.key.strip():
        messages.append("thiếu mã câu hỏi (key)")
    if not question.stem.strip():
        messages.append("nội dung câu hỏi (stem) không được để trống")
    if not (math.isfinite(question.points) and question.points > 0):
        messages.append("điểm (points) phải là số dương")
    if require_explanation and not question.explanation.strip():
        messages.append("thiếu lời giải thích (explanation)")
    if require_source and not question.source.strip():
        messages.append("thiếu nguồn (source)")
    if any(len(text) > MAX_TEXT_LENGTH for text in _texts(question)):
        messages.append(f"mỗi nội dung của câu hỏi dài tối đa {MAX_TEXT_LENGTH} ký tự")
    return messages + _TYPE_CHECKS[question.type](question)


def _texts(q: QuestionData) -> Iterable[str]:
    yield from (q.key, q.stem, q.explanation, q.source, q.module or "", *q.tags, *q.distractors, *q.order_items)
    yield from (text for o in q.options for text in (o.text, o.feedback))
    yield from (a.text for a in q.short_answers)
    yield from (text for p in q.pairs for text in (p.left, p.right))


def _duplicates(texts: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for text in texts:
        folded = fold_text(text)
        if folded in seen and text not in repeated:
            repeated.append(text)
        seen.add(folded)
    return repeated


def _text_list_problems(texts: Sequence[str], what: str) -> list[str]:
    messages = [f"{what} không được để trống" for text in texts if not text.strip()][:1]
    return messages + [f"{what} bị trùng: '{text}'" for text in _duplicates(t for t in texts if t.strip())]


def _check_choice(q: QuestionData) -> list[str]:
    messages = []
    if len(q.options) < 2:
        messages.append(f"câu hỏi loại {q.type} phải có ít nhất 2 phương án")
    messages += _text_list_problems([o.text for o in q.options], "phương án")
    n_correct = sum(1 for o in q.options if o.correct)
    if q.type == QuestionType.SINGLE and n_correct != 1:
        messages.append("câu hỏi loại single phải có đúng một đáp án đúng")
    if q.type == QuestionType.MULTIPLE:
        messages += _check_multiple_weights(q, n_correct)
    return messages


def _check_multiple_weights(q: QuestionData, n_correct: int) -> list[str]:
    messages = []
    if n_correct < 2:
        messages.append("câu hỏi loại multiple phải có ít nhất hai đáp án đúng")
    if any(not -FULL_WEIGHT <= o.weight <= FULL_WEIGHT for o in q.options):
        messages.append("trọng số (weight) phải nằm trong khoảng -100..100")
    total = sum(o.weight for o in q.options if o.correct)
    if q.scoring == Scoring.PARTIAL and n_correct and abs(total - FULL_WEIGHT) > _WEIGHT_SLACK:
        messages.append(f"tổng trọng số các đáp án đúng phải bằng 100 (hiện là {total:g})")
    return messages


def _check_true_false(q: QuestionData) -> list[str]:
    if q.truth is None:
        return ["câu hỏi loại true_false phải có đáp án (answer: true hoặc false)"]
    return []


def _check_short(q: QuestionData) -> list[str]:
    if not q.short_answers:
        return ["câu hỏi loại short phải có ít nhất một đáp án"]
    messages = _text_list_problems([a.text for a in q.short_answers], "đáp án")
    if any(not 0 <= a.weight <= FULL_WEIGHT for a in q.short_answers):
        messages.append("trọng số (weight) của đáp án phải nằm trong khoảng 0..100")
    if not any(a.weight == FULL_WEIGHT for a in q.short_answers):
        messages.append("phải có ít nhất một đáp án được 100% điểm")
    return messages


def _check_numeric(q: QuestionData) -> list[str]:
    if not q.numeric_answers:
        return ["câu hỏi loại numeric phải có ít nhất một đáp án"]
    messages = []
    for a in q.numeric_answers:
        if a.minimum is not None and a.maximum is not None:
            if a.minimum > a.maximum:
                messages.append(f"khoảng đáp án không hợp lệ: min {a.minimum:g} lớn hơn max {a.maximum:g}")
        elif a.value is None:
            messages.append("mỗi đáp án numeric cần 'value' hoặc cả 'min' và 'max'")
        elif a.tolerance < 0:
            messages.append("sai số (tolerance) không được âm")
    if any(not 0 <= a.weight <= FULL_WEIGHT for a in q.numeric_answers):
        messages.append("trọng số (weight) của đáp án phải nằm trong khoảng 0..100")
    if not any(a.weight == FULL_WEIGHT for a in q.numeric_answers):
        messages.append("phải có ít nhất một đáp án được 100% điểm")
    return messages


def _check_matching(q: QuestionData) -> list[str]:
    messages = []
    if len(q.pairs) < 3:
        messages.append("câu hỏi loại matching phải có ít nhất 3 cặp")
    messages += _text_list_problems([p.left for p in q.pairs], "vế trái")
    messages += _text_list_problems([p.right for p in q.pairs], "vế phải")
    messages += _text_list_problems(q.distractors, "phương án nhiễu")
    rights = {fold_text(p.right) for p in q.pairs}
    messages += [f"phương án nhiễu '{d}' trùng với một vế phải" for d in q.distractors if fold_text(d) in rights]
    return messages


def _check_ordering(q: QuestionData) -> list[str]:
    messages = _text_list_problems(q.order_items, "mục sắp xếp")
    if len({fold_text(t) for t in q.order_items if t.strip()}) < 3:
        messages.append("câu hỏi loại ordering phải có ít nhất 3 mục khác nhau")
    return messages


_TYPE_CHECKS: dict[QuestionType, Callable[[QuestionData], list[str]]] = {
    QuestionType.SINGLE: _check_choice,
    QuestionType.MULTIPLE: _check_choice,
    QuestionType.TRUE_FALSE: _check_true_false,
    QuestionType.SHORT: _check_short,
    QuestionType.NUMERIC: _check_numeric,
    QuestionType.MATCHING: _check_matching,
    QuestionType.ORDERING: _check_ordering,
}



