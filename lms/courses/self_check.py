"""A lesson's self-check questions made ready for the page: choices in a stable shuffled order, and the key.

Self-checks are practice: their key is put in the page so the browser can say right or wrong at once.
The end-of-course test never goes through here (its key stays on the server).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Choice:
    value: str
    text: str


@dataclass
class SelfCheck:
    number: int
    key: str
    type: str
    stem: str
    explanation: str
    choices: list[Choice] = field(default_factory=list)  # options, or the items to put in order
    lefts: list[str] = field(default_factory=list)  # matching: the items to match
    rights: list[Choice] = field(default_factory=list)  # matching: what they can be matched with
    answer_key: dict = field(default_factory=dict)  # read by self_check.js
    answer_lines: list[str] = field(default_factory=list)  # the right answer in words


def self_checks(lesson_id: int, items: list[dict]) -> list[SelfCheck]:
    """Every self-check of a lesson, numbered from 1; the order of choices is the same on every visit."""
    return [_self_check(lesson_id, number, item) for number, item in enumerate(items, start=1)]


def _shuffled(lesson_id: int, key: str, values: list) -> list:
    order = list(values)
    random.Random(f"{lesson_id}:{key}").shuffle(order)
    return order


def _self_check(lesson_id: int, number: int, item: dict) -> SelfCheck:
    check = SelfCheck(number=number, key=str(item.get("key", number)), type=item["type"], stem=item["stem"],
                      explanation=item.get("explanation", ""))
    builder = _BUILDERS.get(check.type)
    if builder is not None:
        builder(check, item, lesson_id)
    return check


def _choice_question(check: SelfCheck, item: dict, lesson_id: int) -> None:
    options = list(enumerate(item.get("options", [])))
    check.choices = [Choice(str(i), o["text"]) for i, o in _shuffled(lesson_id, check.key, options)]
    check.answer_key = {"correct": [str(i) for i, o in options if o.get("weight", 0) > 0]}
    check.answer_lines = [o["text"] for _, o in options if o.get("weight", 0) > 0]


def _true_false(check: SelfCheck, item: dict, lesson_id: int) -> None:
    truth = bool(item.get("truth"))
    check.choices = [Choice("true", ""), Choice("false", "")]
    check.answer_key = {"correct": ["true" if truth else "false"]}


def _matching(check: SelfCheck, item: dict, lesson_id: int) -> None:
    pairs = item.get("pairs", [])
    rights = sorted({p["right"] for p in pairs} | set(item.get("distractors", [])))
    check.lefts = [p["left"] for p in pairs]
    check.rights = [Choice(str(i), text) for i, text in enumerate(rights)]
    check.answer_key = {"pairs": [str(rights.index(p["right"])) for p in pairs]}
    check.answer_lines = [f"{p['left']} → {p['right']}" for p in pairs]


def _ordering(check: SelfCheck, item: dict, lesson_id: int) -> None:
    items = list(enumerate(item.get("order_items", [])))
    check.choices = [Choice(str(i), text) for i, text in _shuffled(lesson_id, check.key, items)]
    check.answer_key = {"positions": {str(i): str(i + 1) for i, _ in items}}
    check.answer_lines = [f"{i + 1}. {text}" for i, text in items]


def _short(check: SelfCheck, item: dict, lesson_id: int) -> None:
    answers = [a["text"] for a in item.get("short_answers", []) if a.get("weight", 100) > 0]
    check.answer_key = {"answers": answers, "ignore_diacritics": bool(item.get("ignore_diacritics"))}
    check.answer_lines = [" / ".join(answers)]


def _numeric(check: SelfCheck, item: dict, lesson_id: int) -> None:
    ranges, lines = [], []
    for answer in item.get("numeric_answers", []):
        if answer.get("minimum") is not None and answer.get("maximum") is not None:
            ranges.append([answer["minimum"], answer["maximum"]])
            lines.append(f"{answer['minimum']:g}–{answer['maximum']:g}")
        elif answer.get("value") is not None:
            value, tolerance = answer["value"], answer.get("tolerance", 0) or 0
            ranges.append([value - tolerance, value + tolerance])
            lines.append(f"{value:g}" + (f" ± {tolerance:g}" if tolerance else ""))
    check.answer_key = {"ranges": ranges}
    check.answer_lines = [" / ".join(lines)]


_BUILDERS = {"single": _choice_question, "multiple": _choice_question, "true_false": _true_false,
             "matching": _matching, "ordering": _ordering, "short": _short, "numeric": _numeric}
