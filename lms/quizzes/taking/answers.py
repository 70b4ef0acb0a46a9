"""Checking and normalising the answer a browser sends for one presented question."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from lms.quizzes.presentation import FALSE_ID, TRUE_ID, PresentedChoice, PresentedQuestion
from lms.quizzes.questions import QuestionType

MAX_TEXT_LENGTH = 500


class InvalidAnswer(ValueError):
    """An answer sent by the browser that does not fit the presented question (message in Vietnamese)."""




_NUMBER_PATTERNS = (
    (re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"), None),  # 3.5
    (re.compile(r"^[+-]?(\d+(,\d*)?|,\d+)$"), None),  # 3,5 (Vietnamese decimal comma)
    (re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$"), "."),  # 1.234,5
    (re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d*$"), ","),  # 1,234.5
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def parse_number(text: str) -> float | None:
    """Parse a trainee's number: "3,5" and "3.5" both give 3.5; None if it is not a finite number.

    Accepts a sign (also the Unicode minus), spaces inside ("1 000"), and thousands separators when
    both separators appear ("1.234,5" or "1,234.5"). A lone separator is always the decimal one.
    """
    cleaned = _SPACES.sub("", text.strip()).replace("\u2212", "-")
    for pattern, thousands in _NUMBER_PATTERNS:
        if pattern.match(cleaned):
            if thousands:
                cleaned = cleaned.replace(thousands, "")
            value = float(cleaned.replace(",", "."))
            return value if math.isfinite(value) else None
    return None


# --------------------------------------------------------------------------- answer validation


def validate_answer(presented: PresentedQuestion, answer: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise an answer for ``presented``; raises InvalidAnswer (Vietnamese message).

    Returns ``{}`` for a cleared answer (``{}``, empty text, empty list/mapping). The result has the same
    shape as the input and validating it again returns it unchanged. Shapes: single ``{"choice": id}``;
    multiple ``{"choices": [ids]}`` (deduplicated, in presented order); true_false ``{"value": bool}``;
    short ``{"text": str}`` (NFC, stripped, <= 500 chars); numeric ``{"text": str}`` that parses as a
    number; matching ``{"pairs": {left_id: right_id}}`` (a subset of the left items); ordering
    ``{"order": [ids]}`` holding every item exactly once.
    """
    if not isinstance(answer, dict):
        raise InvalidAnswer("Câu trả lời phải là một đối tượng JSON.")
    if not answer:
        return {}
    field_name = _ANSWER_FIELD[presented.type]
    if set(answer) != {field_name}:
        raise InvalidAnswer(f"Câu trả lời cho loại câu hỏi này phải có đúng một trường «{field_name}».")
    return _VALIDATORS[presented.type](presented, answer[field_name])


_ANSWER_FIELD: dict[QuestionType, str] = {
    QuestionType.SINGLE: "choice",
    QuestionType.MULTIPLE: "choices",
    QuestionType.TRUE_FALSE: "value",
    QuestionType.SHORT: "text",
    QuestionType.NUMERIC: "text",
    QuestionType.MATCHING: "pairs",
    QuestionType.ORDERING: "order",
}


def _known_id(value: Any, choices: list[PresentedChoice]) -> str:
    if not isinstance(value, str) or value not in {c.id for c in choices}:
        raise InvalidAnswer("Lựa chọn không có trong câu hỏi này.")
    return value


def _validate_single(presented: PresentedQuestion, value: Any) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    return {"choice": _known_id(value, presented.choices)}


def _validate_multiple(presented: PresentedQuestion, value: Any) -> dict[str, Any]:
    if not isinstance(value, list):
        raise InvalidAnswer("Các lựa chọn phải được gửi dưới dạng danh sách.")
    chosen = {_known_id(item, presented.choices) for item in value}
    if not chosen:
        return {}
    return {"choices": [c.id for c in presented.choices if c.id in chosen]}


def _validate_true_false(presented: PresentedQuestion, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, str) and value in (TRUE_ID, FALSE_ID):
        value = value == TRUE_ID
    if not isinstance(value, bool):
        raise InvalidAnswer("Câu trả lời Đúng/Sai phải là true hoặc false.")
    return {"value": value}


def _clean_text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = repr(value)
    if not isinstance(value, str):
        raise InvalidAnswer("Câu trả lời phải là văn bản.")
    if len(value) > MAX_TEXT_LENGTH:
        raise InvalidAnswer(f"Câu trả lời quá dài (tối đa {MAX_TEXT_LENGTH} ký tự).")
    return unicodedata.normalize("NFC", value).strip()


def _validate_short(presented: PresentedQuestion, value: Any) -> dict[str, Any]:
    text = _clean_text(value)
    return {"text": text} if text else {}


def _validate_numeric(presented: PresentedQuestion, value: Any) -> dict[str, Any]:
    text = _clean_text(value)
    if not text:
        return {}
    if parse_number(text) is None:
        raise InvalidAnswer("Câu trả lời phải là một số (ví dụ 3,5 hoặc 3.5).")
    return {"text": text}


def _validate_matching(presented: PresentedQuestion, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidAnswer("Phần ghép cặp phải là một bảng {mục bên trái: mục bên phải}.")
    pairs: dict[str, str] = {}
    for left_id, right_id in value.items():
        left_id = _known_id(left_id, presented.left)
        if right_id is None or right_id == "":
            continue
        pairs[left_id] = _known_id(right_id, presented.right)
    ordered = {c.id: pairs[c.id] for c in presented.left if c.id in pairs}
    return {"pairs": ordered} if ordered else {}


def _validate_ordering(presented: PresentedQuestion, value: Any) -> dict[str, Any]:
    if not isinstance(value, list):
        raise InvalidAnswer("Thứ tự phải được gửi dưới dạng danh sách.")
    if not value:
        return {}
    order = [_known_id(item, presented.items) for item in value]
    if len(order) != len(presented.items) or len(set(order)) != len(order):
        raise InvalidAnswer("Thứ tự phải gồm tất cả các mục, mỗi mục đúng một lần.")
    return {"order": order}


_VALIDATORS = {
    QuestionType.SINGLE: _validate_single,
    QuestionType.MULTIPLE: _validate_multiple,
    QuestionType.TRUE_FALSE: _validate_true_false,
    QuestionType.SHORT: _validate_short,
    QuestionType.NUMERIC: _validate_numeric,
    QuestionType.MATCHING: _validate_matching,
    QuestionType.ORDERING: _validate_ordering,
}


