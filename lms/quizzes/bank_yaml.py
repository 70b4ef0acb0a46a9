"""Reading question banks, lesson self-checks and test definitions from YAML (docs/content-format.md).

Guarantees of every parser here:
- all problems of a file are collected and raised together as one :class:`BankFormatError` whose lines
  read ``path:line: message`` (Vietnamese), the line being where the faulty mapping or key starts;
- every string that comes out is Unicode NFC and stripped of surrounding whitespace;
- unknown fields are rejected (a typo such as ``explaination`` must not silently drop content).

The format-independent checks (:func:`validate_question`) and the helpers :func:`normalize_question`,
:func:`slug_key` and :func:`unique_key` are shared with the GIFT, Aiken and Excel importers.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from enum import Enum
from pathlib import PurePosixPath
from typing import Any, TypeVar

import yaml

from lms.quizzes.bank_errors import BankFormatError, ProblemLine
from lms.quizzes.questions import (
    Difficulty,
    MatchPair,
    NumericAnswer,
    Option,
    QuestionData,
    QuestionType,
    Scoring,
    ShortAnswer,
)
from lms.quizzes.test_definition import AttemptPolicy, DrawRule, Navigation, ReviewItem, TestDefinition

_E = TypeVar("_E", bound=Enum)
_FULL = 100.0
_WEIGHT_SLACK = 0.01  # 3 x 33.33 must count as 100 %
_SPACES = re.compile(r"\s+")

# --------------------------------------------------------------------------- text helpers


def nfc(text: str) -> str:
    """``text`` in Unicode NFC."""
    return unicodedata.normalize("NFC", text)


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


# --------------------------------------------------------------------------- YAML with line numbers


class LineDict(dict):
    """A YAML mapping that remembers its start line, each key's line and each plain scalar's source text."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}
        self.raw: dict[Any, str | None] = {}


class LineList(list):
    """A YAML sequence that remembers its start line and each item's line and plain scalar source text."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []
        self.raw: list[str | None] = []


class _LineLoader(yaml.SafeLoader):
    line_offset = 0

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []


def _node_line(loader: _LineLoader, node: yaml.Node) -> int:
    return node.start_mark.line + 1 + loader.line_offset


def _raw_scalar(node: yaml.Node) -> str | None:
    # YAML 1.1 turns plain `yes`, `1990` or `2024-01-01` into bool/int/date; text fields want the source text.
    if isinstance(node, yaml.ScalarNode) and node.style is None:
        return nfc(node.value).strip()
    return None


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterable[LineDict]:
    data = LineDict(_node_line(loader, node))
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool | None):
            raise yaml.constructor.ConstructorError(
                None, None, "khóa của bảng phải là văn bản", key_node.start_mark)
        line = _node_line(loader, key_node)
        if key in data:
            loader.duplicates.append((line, str(key)))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line
        data.raw[key] = _raw_scalar(value_node)


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> Iterable[LineList]:
    data = LineList(_node_line(loader, node))
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.item_lines.append(_node_line(loader, item))
        data.raw.append(_raw_scalar(item))


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    return nfc(loader.construct_scalar(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)


def load_yaml(text: str, path: str, *, first_line: int = 1) -> Any:
    """Parse one YAML document; mappings become :class:`LineDict`, sequences :class:`LineList`.

    Line numbers are 1-based file lines (``first_line`` is the file line of ``text``'s first line, e.g. 2
    for lesson front matter). Strings are NFC. Raises BankFormatError on a syntax error or a key written
    twice in one mapping.
    """
    loader = _LineLoader(text)
    loader.line_offset = first_line - 1
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        raise BankFormatError([ProblemLine(path, line, f"lỗi cú pháp YAML: {exc.problem or exc}")]) from exc
    except yaml.YAMLError as exc:
        raise BankFormatError([ProblemLine(path, None, f"lỗi cú pháp YAML: {exc}")]) from exc
    finally:
        loader.dispose()
    if loader.duplicates:
        raise BankFormatError(
            ProblemLine(path, line, f"khóa '{key}' được khai báo hai lần trong cùng một bảng")
            for line, key in loader.duplicates
        )
    return data


# --------------------------------------------------------------------------- reading fields


@dataclass
class _Reader:
    """Collects ``(line, message)`` problems while fields are read."""

    problems: list[tuple[int | None, str]] = field(default_factory=list)

    def add(self, line: int | None, message: str) -> None:
        self.problems.append((line, message))

    def to_lines(self, path: str) -> list[ProblemLine]:
        return [ProblemLine(path, line, message) for line, message in self.problems]


def _line_of(data: Mapping[str, Any], key: str, default: int | None) -> int | None:
    return getattr(data, "key_lines", {}).get(key, default)


def _present(data: Mapping[str, Any], key: str) -> bool:
    return data.get(key) is not None


def _missing(data: Mapping[str, Any], key: str, r: _Reader, line: int | None, required: bool) -> bool:
    if _present(data, key):
        return False
    if required:
        r.add(line, f"thiếu trường bắt buộc '{key}'")
    return True


def _as_text(value: Any, raw: str | None) -> str | None:
    if isinstance(value, str):
        return nfc(value).strip()
    if isinstance(value, bool | int | float | date):
        return raw if raw is not None else str(value)
    return None


def _get_text(data: Mapping[str, Any], key: str, r: _Reader, line: int | None, *,
              required: bool = False) -> str | None:
    if _missing(data, key, r, line, required):
        return None
    text = _as_text(data[key], getattr(data, "raw", {}).get(key))
    if text is None:
        r.add(_line_of(data, key, line), f"trường '{key}' phải là văn bản")
    return text


def _get_number(data: Mapping[str, Any], key: str, r: _Reader, line: int | None, *,
                required: bool = False, integer: bool = False) -> float | None:
    if _missing(data, key, r, line, required):
        return None
    value = data[key]
    wanted = int if integer else int | float
    if isinstance(value, bool) or not isinstance(value, wanted) or not math.isfinite(value):
        r.add(_line_of(data, key, line), f"trường '{key}' phải là {'số nguyên' if integer else 'số'}")
        return None
    return value


def _get_bool(data: Mapping[str, Any], key: str, r: _Reader, line: int | None, *,
              required: bool = False) -> bool | None:
    if _missing(data, key, r, line, required):
        return None
    value = data[key]
    if not isinstance(value, bool):
        r.add(_line_of(data, key, line), f"trường '{key}' phải là true hoặc false")
        return None
    return value


def _get_enum(data: Mapping[str, Any], key: str, enum: type[_E], r: _Reader, line: int | None, *,
              required: bool = False) -> _E | None:
    if _missing(data, key, r, line, required):
        return None
    value = data[key]
    allowed = [str(member.value) for member in enum]
    if not isinstance(value, str) or value not in allowed:
        r.add(_line_of(data, key, line),
              f"giá trị '{value}' của trường '{key}' không hợp lệ (chỉ nhận: {', '.join(allowed)})")
        return None
    return enum(value)


def _get_list(data: Mapping[str, Any], key: str, r: _Reader, line: int | None, *,
              required: bool = False) -> list[tuple[Any, int | None, str | None]] | None:
    """The items of a list field as ``(value, line, raw source text)``."""
    if _missing(data, key, r, line, required):
        return None
    value = data[key]
    if not isinstance(value, list):
        r.add(_line_of(data, key, line), f"trường '{key}' phải là một danh sách")
        return None
    own_line = _line_of(data, key, line)
    lines = getattr(value, "item_lines", [own_line] * len(value))
    raws = getattr(value, "raw", [None] * len(value))
    return list(zip(value, lines, raws, strict=True))


def _get_text_list(data: Mapping[str, Any], key: str, r: _Reader, line: int | None, *,
                   required: bool = False) -> list[str] | None:
    items = _get_list(data, key, r, line, required=required)
    if items is None:
        return None
    texts = []
    for value, item_line, raw in items:
        text = _as_text(value, raw)
        if text is None:
            r.add(item_line, f"mỗi phần tử của '{key}' phải là văn bản")
        else:
            texts.append(text)
    return texts


def _check_keys(data: Mapping[Any, Any], allowed: Iterable[str], r: _Reader, line: int | None,
                where: str) -> None:
    allowed = set(allowed)
    for key in data:
        if key not in allowed:
            r.add(_line_of(data, key, line), f"trường không hợp lệ '{key}'{where}")


def _mapping_line(value: Any, default: int | None) -> int | None:
    return getattr(value, "line", default)


# --------------------------------------------------------------------------- questions


@dataclass(frozen=True)
class _Rules:
    require_explanation: bool = True
    require_source: bool = False
    require_difficulty: bool = False
    extended: bool = False  # option feedback and numeric weights, used by the Excel JSON cell
    module: str | None = None


@dataclass
class _RawOption:
    text: str
    correct: bool
    weight: float | None
    feedback: str
    line: int | None


_COMMON_FIELDS = frozenset({"key", "type", "difficulty", "tags", "points", "stem", "explanation", "source",
                            "module"})
_TYPE_FIELDS: dict[QuestionType, frozenset[str]] = {
    QuestionType.SINGLE: frozenset({"options"}),
    QuestionType.MULTIPLE: frozenset({"options", "scoring"}),
    QuestionType.TRUE_FALSE: frozenset({"answer"}),
    QuestionType.SHORT: frozenset({"answers", "ignore_diacritics"}),
    QuestionType.NUMERIC: frozenset({"answers"}),
    QuestionType.MATCHING: frozenset({"pairs", "distractors"}),
    QuestionType.ORDERING: frozenset({"items"}),
}


def _read_question(data: Any, r: _Reader, line: int | None, rules: _Rules) -> QuestionData | None:
    """One question mapping to QuestionData, or None (with problems recorded) if anything is wrong."""
    if not isinstance(data, Mapping):
        r.add(line, "mỗi câu hỏi phải là một bảng dạng 'trường: giá trị'")
        return None
    qline = _mapping_line(data, line)
    start = len(r.problems)
    qtype = _get_enum(data, "type", QuestionType, r, qline, required=True)
    type_fields = _TYPE_FIELDS[qtype] if qtype else frozenset().union(*_TYPE_FIELDS.values())
    _check_keys(data, _COMMON_FIELDS | type_fields, r, qline, f" cho câu hỏi loại {qtype}" if qtype else "")
    question = QuestionData(
        key=_get_text(data, "key", r, qline, required=True) or "",
        type=qtype or QuestionType.SINGLE,
        stem=_get_text(data, "stem", r, qline, required=True) or "",
        explanation=_get_text(data, "explanation", r, qline, required=rules.require_explanation) or "",
        difficulty=_get_enum(data, "difficulty", Difficulty, r, qline, required=rules.require_difficulty)
        or Difficulty.MEDIUM,
        module=_read_module(data, r, qline, rules),
        tags=_get_text_list(data, "tags", r, qline) or [],
        points=_read_points(data, r, qline),
        source=_get_text(data, "source", r, qline, required=rules.require_source) or "",
        line=qline,
    )
    if qtype is not None:
        _TYPE_READERS[qtype](data, question, r, qline, rules)
    if len(r.problems) == start:
        for message in validate_question(question, require_explanation=rules.require_explanation,
                                         require_source=rules.require_source):
            r.add(qline, message)
    return question if len(r.problems) == start else None


def _read_module(data: Mapping[str, Any], r: _Reader, line: int | None, rules: _Rules) -> str | None:
    module = _get_text(data, "module", r, line)
    if module and rules.module and module != rules.module:
        r.add(_line_of(data, "module", line),
              f"câu hỏi ghi module '{module}' nhưng tệp thuộc học phần '{rules.module}'")
    return module or rules.module


def _read_points(data: Mapping[str, Any], r: _Reader, line: int | None) -> float:
    points = _get_number(data, "points", r, line)
    return 1.0 if points is None else float(points)


def _read_choice(data: Mapping[str, Any], q: QuestionData, r: _Reader, line: int | None,
                 rules: _Rules) -> None:
    if q.type == QuestionType.MULTIPLE:
        q.scoring = _get_enum(data, "scoring", Scoring, r, line) or Scoring.ALL_OR_NOTHING
    items = _get_list(data, "options", r, line, required=True)
    if items is None:
        return
    allowed = {"text", "correct"}
    if q.type == QuestionType.MULTIPLE:
        allowed.add("weight")
    if rules.extended:
        allowed.add("feedback")
    parsed = [_read_option(item, item_line, allowed, r) for item, item_line, _ in items]
    q.options = _weighted_options(q, [p for p in parsed if p is not None], r)


def _read_option(item: Any, line: int | None, allowed: set[str], r: _Reader) -> _RawOption | None:
    if not isinstance(item, Mapping):
        r.add(line, "mỗi phương án phải có dạng {text: ..., correct: true}")
        return None
    line = _mapping_line(item, line)
    _check_keys(item, allowed, r, line, " trong phương án")
    return _RawOption(
        text=_get_text(item, "text", r, line, required=True) or "",
        correct=bool(_get_bool(item, "correct", r, line)),
        weight=_get_number(item, "weight", r, line),
        feedback=_get_text(item, "feedback", r, line) or "",
        line=line,
    )


def _weighted_options(q: QuestionData, parsed: list[_RawOption], r: _Reader) -> list[Option]:
    """Options with explicit weights: a correct option gets its share of 100, a wrong one its own weight.

    A wrong option without weight keeps 0, which the grader reads as the default penalty
    (-100 / number of correct options) under partial scoring.
    """
    partial = q.scoring == Scoring.PARTIAL and q.type == QuestionType.MULTIPLE
    for p in parsed:
        if p.weight is not None:
            _check_weight(p, partial, r)
    correct = [p for p in parsed if p.correct]
    if q.type == QuestionType.SINGLE:
        share = _FULL
    elif not partial:
        share = _FULL / max(1, len(correct))
    else:
        unweighted = [p for p in correct if p.weight is None]
        given = sum(p.weight for p in correct if p.weight is not None)
        share = (_FULL - given) / max(1, len(unweighted))
    return [Option(p.text, float(p.weight) if p.weight is not None else (share if p.correct else 0.0),
                   p.feedback) for p in parsed]


def _check_weight(p: _RawOption, partial: bool, r: _Reader) -> None:
    if not partial:
        r.add(p.line, "trọng số (weight) chỉ dùng khi scoring: partial")
    elif not -_FULL <= p.weight <= _FULL:
        r.add(p.line, "trọng số (weight) phải nằm trong khoảng -100..100")
    elif p.correct and p.weight <= 0:
        r.add(p.line, "phương án đúng phải có trọng số (weight) dương")
    elif not p.correct and p.weight > 0:
        r.add(p.line, "phương án sai không được có trọng số (weight) dương")


def _read_true_false(data: Mapping[str, Any], q: QuestionData, r: _Reader, line: int | None,
                     rules: _Rules) -> None:
    if not _present(data, "answer"):
        r.add(line, "câu hỏi loại true_false cần trường 'answer' là true hoặc false")
        return
    q.truth = _get_bool(data, "answer", r, line)


def _read_short(data: Mapping[str, Any], q: QuestionData, r: _Reader, line: int | None,
                rules: _Rules) -> None:
    q.ignore_diacritics = bool(_get_bool(data, "ignore_diacritics", r, line))
    for item, item_line, _ in _get_list(data, "answers", r, line, required=True) or []:
        if not isinstance(item, Mapping):
            r.add(item_line, "mỗi đáp án phải có dạng {text: ...}")
            continue
        item_line = _mapping_line(item, item_line)
        _check_keys(item, {"text", "weight"}, r, item_line, " trong đáp án")
        text = _get_text(item, "text", r, item_line, required=True) or ""
        weight = _get_number(item, "weight", r, item_line)
        q.short_answers.append(ShortAnswer(text, _FULL if weight is None else float(weight)))


def _read_numeric(data: Mapping[str, Any], q: QuestionData, r: _Reader, line: int | None,
                  rules: _Rules) -> None:
    allowed = {"value", "tolerance", "min", "max"} | ({"weight"} if rules.extended else set())
    for item, item_line, _ in _get_list(data, "answers", r, line, required=True) or []:
        if not isinstance(item, Mapping):
            r.add(item_line, "mỗi đáp án phải có dạng {value: ..., tolerance: ...} hoặc {min: ..., max: ...}")
            continue
        item_line = _mapping_line(item, item_line)
        _check_keys(item, allowed, r, item_line, " trong đáp án")
        numbers = {k: _get_number(item, k, r, item_line) for k in ("value", "tolerance", "min", "max", "weight")}
        if (numbers["value"] is None) == (numbers["min"] is None or numbers["max"] is None):
            r.add(item_line, "mỗi đáp án numeric cần 'value' (và 'tolerance' nếu có) hoặc cả 'min' và 'max'")
            continue
        q.numeric_answers.append(_numeric_answer(numbers))


def _numeric_answer(numbers: dict[str, float | None]) -> NumericAnswer:
    def as_float(name: str) -> float | None:
        return None if numbers[name] is None else float(numbers[name])

    return NumericAnswer(value=as_float("value"), tolerance=as_float("tolerance") or 0.0,
                         minimum=as_float("min"), maximum=as_float("max"),
                         weight=_FULL if numbers["weight"] is None else float(numbers["weight"]))


def _read_matching(data: Mapping[str, Any], q: QuestionData, r: _Reader, line: int | None,
                   rules: _Rules) -> None:
    for item, item_line, _ in _get_list(data, "pairs", r, line, required=True) or []:
        if not isinstance(item, Mapping):
            r.add(item_line, "mỗi cặp phải có dạng {left: ..., right: ...}")
            continue
        item_line = _mapping_line(item, item_line)
        _check_keys(item, {"left", "right"}, r, item_line, " trong cặp ghép")
        left = _get_text(item, "left", r, item_line, required=True)
        right = _get_text(item, "right", r, item_line, required=True)
        q.pairs.append(MatchPair(left or "", right or ""))
    q.distractors = _get_text_list(data, "distractors", r, line) or []


def _read_ordering(data: Mapping[str, Any], q: QuestionData, r: _Reader, line: int | None,
                   rules: _Rules) -> None:
    q.order_items = _get_text_list(data, "items", r, line, required=True) or []


_TYPE_READERS: dict[QuestionType, Callable[[Mapping[str, Any], QuestionData, _Reader, int | None, _Rules], None]]
_TYPE_READERS = {
    QuestionType.SINGLE: _read_choice,
    QuestionType.MULTIPLE: _read_choice,
    QuestionType.TRUE_FALSE: _read_true_false,
    QuestionType.SHORT: _read_short,
    QuestionType.NUMERIC: _read_numeric,
    QuestionType.MATCHING: _read_matching,
    QuestionType.ORDERING: _read_ordering,
}

# --------------------------------------------------------------------------- format-independent checks


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
    return messages + _TYPE_CHECKS[question.type](question)


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
    if any(not -_FULL <= o.weight <= _FULL for o in q.options):
        messages.append("trọng số (weight) phải nằm trong khoảng -100..100")
    total = sum(o.weight for o in q.options if o.correct)
    if q.scoring == Scoring.PARTIAL and n_correct and abs(total - _FULL) > _WEIGHT_SLACK:
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
    if any(not 0 <= a.weight <= _FULL for a in q.short_answers):
        messages.append("trọng số (weight) của đáp án phải nằm trong khoảng 0..100")
    if not any(a.weight == _FULL for a in q.short_answers):
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
    if any(not 0 <= a.weight <= _FULL for a in q.numeric_answers):
        messages.append("trọng số (weight) của đáp án phải nằm trong khoảng 0..100")
    if not any(a.weight == _FULL for a in q.numeric_answers):
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

# --------------------------------------------------------------------------- public parsers


def parse_question_dict(data: Mapping[str, Any], *, line: int, path: str = "",
                        require_explanation: bool = True, require_difficulty: bool = False,
                        extended: bool = False) -> QuestionData:
    """One question mapping (a bank entry or a lesson ``self_check`` item) as QuestionData.

    ``data`` may be a plain dict (then every problem is reported at ``line``) or a :class:`LineDict` from
    :func:`load_yaml` (then at the line of the faulty key). ``difficulty`` defaults to medium and ``module``
    to None unless ``require_difficulty``. ``extended`` also accepts option ``feedback`` and numeric
    ``weight`` (fields of QuestionData that the content format does not use). Raises BankFormatError.
    """
    r = _Reader()
    rules = _Rules(require_explanation=require_explanation, require_difficulty=require_difficulty,
                   extended=extended)
    question = _read_question(data, r, line, rules)
    if question is None or r.problems:
        raise BankFormatError(r.to_lines(path))
    return question


def parse_self_check(items: Any, *, path: str, line: int) -> list[QuestionData]:
    """A lesson's ``self_check`` list: 3 to 5 questions with keys unique within the lesson.

    Explanations are required (the page shows them); difficulty/module are not. Raises BankFormatError.
    """
    r = _Reader()
    if not isinstance(items, list) or not 3 <= len(items) <= 5:
        r.add(_mapping_line(items, line), "self_check phải là danh sách từ 3 đến 5 câu hỏi")
        raise BankFormatError(r.to_lines(path))
    rules = _Rules(require_explanation=True)
    lines = getattr(items, "item_lines", [line] * len(items))
    parsed = [_read_question(item, r, item_line, rules) for item, item_line in zip(items, lines, strict=True)]
    questions = [q for q in parsed if q is not None]
    problems = r.to_lines(path) + duplicate_problems([(path, questions)], stems=False)
    if problems:
        raise BankFormatError(problems)
    return questions


def parse_bank(text: str, path: str, *, require_explanation: bool = True,
               require_source: bool = False) -> list[QuestionData]:
    """A question-bank file (``questions/<module-slug>.yaml``) as QuestionData, each with ``module`` set.

    Checks the file layout (``module`` equal to the file name, a non-empty ``questions`` list), every
    question (difficulty required) and that keys and stems are unique within the file. Cross-file
    uniqueness is the caller's job (:func:`duplicate_problems`). Raises BankFormatError with all problems.
    """
    data = load_yaml(text, path)
    r = _Reader()
    if not isinstance(data, Mapping):
        raise BankFormatError([ProblemLine(path, 1, "tệp ngân hàng câu hỏi phải là một bảng có "
                                                    "'module' và 'questions'")])
    _check_keys(data, {"module", "questions"}, r, data.line, " ở đầu tệp")
    module = _get_text(data, "module", r, data.line, required=True)
    _check_file_name(path, module, "module", r, _line_of(data, "module", data.line))
    items = _get_list(data, "questions", r, data.line, required=True)
    if items == []:
        r.add(_line_of(data, "questions", data.line), "tệp không có câu hỏi nào")
    rules = _Rules(require_explanation=require_explanation, require_source=require_source,
                   require_difficulty=True, module=module)
    parsed = [_read_question(item, r, item_line, rules) for item, item_line, _ in items or []]
    questions = [q for q in parsed if q is not None]
    problems = r.to_lines(path) + duplicate_problems([(path, questions)])
    if problems:
        raise BankFormatError(problems)
    return questions


def _check_file_name(path: str, slug: str | None, what: str, r: _Reader, line: int | None) -> None:
    file = PurePosixPath(path.replace("\\", "/"))
    if slug and file.suffix in (".yaml", ".yml") and file.stem != slug:
        r.add(line, f"{what} '{slug}' phải trùng với tên tệp '{file.stem}'")


def duplicate_problems(banks: Iterable[tuple[str, Sequence[QuestionData]]], *,
                       stems: bool = True) -> list[ProblemLine]:
    """Keys (and, with ``stems``, stems compared case- and spacing-insensitively) used twice.

    ``banks`` is ``(path, questions)`` per file; pass every bank of a course to check course-wide
    uniqueness. Each repeat is reported at its own place, naming where the first one is.
    """
    first_key: dict[str, tuple[str, int | None]] = {}
    first_stem: dict[str, tuple[str, int | None, str]] = {}
    problems = []
    for path, questions in banks:
        for q in questions:
            if q.key in first_key:
                problems.append(ProblemLine(path, q.line, f"mã câu hỏi (key) '{q.key}' bị trùng, "
                                                          f"đã dùng ở {_where(path, *first_key[q.key])}"))
            else:
                first_key[q.key] = (path, q.line)
            stem = fold_text(q.stem)
            if stems and stem in first_stem:
                other_path, other_line, other_key = first_stem[stem]
                problems.append(ProblemLine(path, q.line, f"nội dung câu hỏi (stem) trùng với câu '{other_key}' "
                                                          f"ở {_where(path, other_path, other_line)}"))
            elif stems:
                first_stem[stem] = (path, q.line, q.key)
    return problems


def _where(current_path: str, path: str, line: int | None) -> str:
    if path == current_path:
        return f"dòng {line}"
    return f"{path}:{line}" if line is not None else path


# --------------------------------------------------------------------------- test definitions

_TEST_FIELDS = frozenset({"slug", "title", "title_en", "time_limit_minutes", "pass_mark_percent",
                          "max_attempts", "attempt_policy", "shuffle_questions", "shuffle_options",
                          "navigation", "avoid_repeats", "review_after_submit", "review_after_close", "draw"})
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def parse_test_definition(text: str, path: str) -> TestDefinition:
    """A test definition file (``tests/<test-slug>.yaml``) as TestDefinition.

    Required: slug (equal to the file name), title, title_en, time_limit_minutes (> 0), pass_mark_percent
    (0..100), max_attempts (>= 0, 0 = unlimited) and a non-empty ``draw`` list. The other fields default to
    highest / true / true / free / true / [score, passed] / all four. Raises BankFormatError.
    """
    data = load_yaml(text, path)
    if not isinstance(data, Mapping):
        raise BankFormatError([ProblemLine(path, 1, "tệp đề kiểm tra phải là một bảng 'trường: giá trị'")])
    r = _Reader()
    line = data.line
    _check_keys(data, _TEST_FIELDS, r, line, " trong đề kiểm tra")
    slug = _get_text(data, "slug", r, line, required=True) or ""
    if slug and not _SLUG.fullmatch(slug):
        r.add(_line_of(data, "slug", line), f"slug '{slug}' chỉ được gồm chữ thường không dấu, số và '-'")
    _check_file_name(path, slug, "slug", r, _line_of(data, "slug", line))
    test = TestDefinition(
        slug=slug,
        title=_get_text(data, "title", r, line, required=True) or "",
        title_en=_get_text(data, "title_en", r, line, required=True) or "",
        time_limit_minutes=int(_bounded(data, "time_limit_minutes", r, line, 1, None) or 0),
        pass_mark_percent=float(_bounded(data, "pass_mark_percent", r, line, 0, 100, integer=False) or 0),
        max_attempts=int(_bounded(data, "max_attempts", r, line, 0, None) or 0),
        draw=_read_draw(data, r, line),
        path=path,
        line=line,
    )
    _read_test_options(data, test, r, line)
    if r.problems:
        raise BankFormatError(r.to_lines(path))
    return test


def _bounded(data: Mapping[str, Any], key: str, r: _Reader, line: int | None, low: float,
             high: float | None, *, integer: bool = True) -> float | None:
    value = _get_number(data, key, r, line, required=True, integer=integer)
    if value is not None and (value < low or (high is not None and value > high)):
        bounds = f"từ {low} đến {high}" if high is not None else f"ít nhất {low}"
        r.add(_line_of(data, key, line), f"trường '{key}' phải {bounds}")
        return None
    return value


def _read_test_options(data: Mapping[str, Any], test: TestDefinition, r: _Reader, line: int | None) -> None:
    def flag(key: str, default: bool) -> bool:
        value = _get_bool(data, key, r, line)
        return default if value is None else value

    test.attempt_policy = _get_enum(data, "attempt_policy", AttemptPolicy, r, line) or test.attempt_policy
    test.navigation = _get_enum(data, "navigation", Navigation, r, line) or test.navigation
    test.shuffle_questions = flag("shuffle_questions", test.shuffle_questions)
    test.shuffle_options = flag("shuffle_options", test.shuffle_options)
    test.avoid_repeats = flag("avoid_repeats", test.avoid_repeats)
    test.review_after_submit = _read_review(data, "review_after_submit", r, line, test.review_after_submit)
    test.review_after_close = _read_review(data, "review_after_close", r, line, test.review_after_close)


def _read_review(data: Mapping[str, Any], key: str, r: _Reader, line: int | None,
                 default: frozenset[ReviewItem]) -> frozenset[ReviewItem]:
    items = _get_list(data, key, r, line)
    if items is None:
        return default
    allowed = [str(item.value) for item in ReviewItem]
    chosen: set[ReviewItem] = set()
    for value, item_line, _ in items:
        if value not in allowed:
            r.add(item_line, f"giá trị '{value}' trong '{key}' không hợp lệ (chỉ nhận: {', '.join(allowed)})")
        elif ReviewItem(value) in chosen:
            r.add(item_line, f"giá trị '{value}' trong '{key}' bị lặp")
        else:
            chosen.add(ReviewItem(value))
    return frozenset(chosen)


def _read_draw(data: Mapping[str, Any], r: _Reader, line: int | None) -> list[DrawRule]:
    items = _get_list(data, "draw", r, line, required=True)
    if items == []:
        r.add(_line_of(data, "draw", line), "'draw' phải có ít nhất một quy tắc rút câu")
    rules = []
    for item, item_line, _ in items or []:
        if not isinstance(item, Mapping):
            r.add(item_line, "mỗi quy tắc rút câu phải có dạng {module: ..., difficulty: ..., tags: [...], count: N}")
            continue
        item_line = _mapping_line(item, item_line)
        _check_keys(item, {"module", "difficulty", "tags", "count"}, r, item_line, " trong quy tắc rút câu")
        count = _bounded(item, "count", r, item_line, 1, None)
        rules.append(DrawRule(count=int(count or 0), module=_get_text(item, "module", r, item_line),
                              difficulty=_get_enum(item, "difficulty", Difficulty, r, item_line),
                              tags=tuple(_get_text_list(item, "tags", r, item_line) or ()), line=item_line))
    return rules


def draw_rule_problems(test: TestDefinition, questions: Sequence[QuestionData]) -> list[ProblemLine]:
    """Problems (at the rule's line in ``test.path``) for draw rules the bank cannot satisfy.

    A rule with fewer matching questions than its count is reported on its own; otherwise the first rule
    for which rules 1..i cannot all get distinct questions together (no question drawn twice, as in
    lms.quizzes.draw) is reported. [] means every attempt can be drawn.
    """
    bank = list({q.key: q for q in reversed(questions)}.values())[::-1]
    problems = []
    for number, rule in enumerate(test.draw, start=1):
        available = sum(1 for q in bank if rule.matches(q))
        if available < rule.count:
            problems.append(ProblemLine(test.path, rule.line, f"quy tắc rút câu thứ {number} ({_describe(rule)}) "
                                        f"cần {rule.count} câu nhưng ngân hàng chỉ có {available} câu phù hợp"))
    if problems:
        return problems
    failing = _first_unsatisfiable(test.draw, bank)
    if failing is None:
        return []
    rule = test.draw[failing]
    return [ProblemLine(test.path, rule.line, f"quy tắc rút câu thứ {failing + 1} ({_describe(rule)}) không "
                        f"đủ {rule.count} câu khác với các câu mà các quy tắc trước đã rút")]


def validate_test_against_bank(test: TestDefinition, questions: Sequence[QuestionData]) -> None:
    """Raise BankFormatError if :func:`draw_rule_problems` finds anything."""
    problems = draw_rule_problems(test, questions)
    if problems:
        raise BankFormatError(problems)


def _describe(rule: DrawRule) -> str:
    parts = [f"học phần={rule.module or 'bất kỳ'}", f"độ khó={rule.difficulty or 'bất kỳ'}"]
    if rule.tags:
        parts.append("thẻ=" + ", ".join(rule.tags))
    return "; ".join(parts)


def _first_unsatisfiable(rules: Sequence[DrawRule], bank: Sequence[QuestionData]) -> int | None:
    """Index of the first rule that cannot get its questions once rules before it have theirs, else None.

    One slot per question to draw; bipartite matching of slots to questions with augmenting paths, so
    earlier rules give up questions a later rule needs whenever another choice exists.
    """
    candidates = [[j for j, q in enumerate(bank) if rule.matches(q)] for rule in rules]
    slot_rule: list[int] = []
    owner: dict[int, int] = {}
    for index, rule in enumerate(rules):
        for _ in range(rule.count):
            slot_rule.append(index)
            if not _augment(len(slot_rule) - 1, slot_rule, candidates, owner, set()):
                return index
    return None


def _augment(slot: int, slot_rule: list[int], candidates: list[list[int]], owner: dict[int, int],
             visited: set[int]) -> bool:
    for question in candidates[slot_rule[slot]]:
        if question in visited:
            continue
        visited.add(question)
        if question not in owner or _augment(owner[question], slot_rule, candidates, owner, visited):
            owner[question] = slot
            return True
    return False
