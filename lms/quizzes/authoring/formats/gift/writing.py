"""Writing questions as Moodle GIFT, with metadata comments so that import gives them back."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from lms.quizzes.questions import (
    FULL_WEIGHT,
    Difficulty,
    QuestionData,
    QuestionType,
    Scoring,
)
from lms.text import clean_line, strip_control

GIFT_EXPORT_TYPES = frozenset(QuestionType) - {QuestionType.ORDERING}



def write_gift(questions: Sequence[QuestionData], *, categories: Sequence[str | None] | None = None) -> str:
    """GIFT text for ``questions`` that :func:`read_gift` reads back into equal questions (except ``line``).

    ``categories`` (parallel to ``questions``) adds ``$CATEGORY:`` lines where the category changes. The
    key is written as the ``::name::``, stems as ``[markdown]``, the explanation as general feedback and
    the fields GIFT lacks as metadata comments; control characters a stored text may hold are left out.
    Raises ValueError for types outside GIFT_EXPORT_TYPES.
    """
    unsupported = [q.key for q in questions if q.type not in GIFT_EXPORT_TYPES]
    if unsupported:
        raise ValueError(f"GIFT không có loại câu hỏi này (ordering): {', '.join(unsupported)}")
    chunks: list[str] = []
    current: str | None = None
    for index, question in enumerate(questions):
        category = clean_line(categories[index]) if categories and categories[index] else None
        if category and category != current:
            chunks.append(f"$CATEGORY: {category}\n")
            current = category
        chunks.append(_write_question(question))
    return "\n".join(chunks)


def _write_question(q: QuestionData) -> str:
    meta = _meta_comment(q)
    head = f"::{_escape(q.key)}::[markdown]{_escape(q.stem)}"
    general = f"\t####{_escape(q.explanation)}\n" if q.explanation else ""
    opening = "{" if q.type == QuestionType.NUMERIC else "{\n"  # as Moodle writes it: `{#` then the answers
    return f"{meta}{head}{opening}{_WRITERS[q.type](q)}{general}}}\n"


def _meta_comment(q: QuestionData) -> str:
    tags = [("tag", tag) for tag in q.tags]
    extra = [("difficulty", str(q.difficulty)) if q.difficulty != Difficulty.MEDIUM else None,
             ("points", _number(q.points)) if q.points != 1 else None,
             ("module", q.module) if q.module else None,
             ("source", q.source) if q.source else None,
             ("scoring", str(q.scoring)) if q.type == QuestionType.MULTIPLE and q.scoring != Scoring.PARTIAL
             else None,
             ("ignore_diacritics", "true") if q.ignore_diacritics else None]
    pairs = tags + [pair for pair in extra if pair]
    if not pairs:
        return ""
    return "// " + " ".join(f"[{name}:{_meta_value(value)}]" for name, value in pairs) + "\n"


def _meta_value(value: str) -> str:
    return " ".join(strip_control(value).replace("]", ")").split())


def _escape(text: str) -> str:
    out = strip_control(text).replace("\\", "\\\\").replace("\r", "")
    for ch in "~=#{}:":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"không ghi được số {value} sang GIFT")
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def _write_choice(q: QuestionData) -> str:
    lines = []
    for option in q.options:
        if q.type == QuestionType.SINGLE and option.weight == FULL_WEIGHT:
            mark = "="
        elif option.weight == 0:
            mark = "~"
        else:
            mark = f"~%{_number(option.weight)}%"
        feedback = f"#{_escape(option.feedback)}" if option.feedback else ""
        lines.append(f"\t{mark}{_escape(option.text)}{feedback}\n")
    return "".join(lines)


def _write_true_false(q: QuestionData) -> str:
    return "\tTRUE\n" if q.truth else "\tFALSE\n"


def _write_short(q: QuestionData) -> str:
    return "".join(f"\t={_weight_prefix(a.weight)}{_escape(a.text)}\n" for a in q.short_answers)


def _write_numeric(q: QuestionData) -> str:
    lines = []
    for a in q.numeric_answers:
        if a.minimum is not None and a.maximum is not None:
            body = f"{_number(a.minimum)}..{_number(a.maximum)}"
        else:
            body = _number(a.value or 0.0) + (f":{_number(a.tolerance)}" if a.tolerance else "")
        lines.append(f"\t={_weight_prefix(a.weight)}{body}\n")
    return "#\n" + "".join(lines)


def _write_matching(q: QuestionData) -> str:
    lines = [f"\t={_escape(p.left)} -> {_escape(p.right)}\n" for p in q.pairs]
    return "".join(lines + [f"\t= -> {_escape(d)}\n" for d in q.distractors])


def _weight_prefix(weight: float) -> str:
    return "" if weight == FULL_WEIGHT else f"%{_number(weight)}%"


_WRITERS: dict[QuestionType, Callable[[QuestionData], str]] = {
    QuestionType.SINGLE: _write_choice,
    QuestionType.MULTIPLE: _write_choice,
    QuestionType.TRUE_FALSE: _write_true_false,
    QuestionType.SHORT: _write_short,
    QuestionType.NUMERIC: _write_numeric,
    QuestionType.MATCHING: _write_matching,
}


