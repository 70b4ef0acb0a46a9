"""Reading question banks and lesson self-checks from YAML (docs/content-format.md).

Guarantees of every parser here:
- all problems of a file are collected and raised together as one :class:`BankFormatError` whose lines
  read ``path:line: message`` (Vietnamese), the line being where the faulty mapping or key starts;
- every string that comes out is Unicode NFC and stripped of surrounding whitespace;
- unknown fields are rejected (a typo such as ``explaination`` must not silently drop content).

The format-independent checks and helpers every importer shares (``validate_question``,
``normalize_question``, ``slug_key``, ``unique_key``) live in :mod:`lms.quizzes.authoring.validation`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from lms.quizzes.authoring.formats.yaml_fields import (
    FieldReader,
    check_keys,
    get_bool,
    get_enum,
    get_list,
    get_number,
    get_text,
    get_text_list,
    is_present,
    line_of,
    load_yaml,
    mapping_line,
)
from lms.quizzes.authoring.problems import BankFormatError, ProblemLine
from lms.quizzes.authoring.validation import fold_text, validate_question
from lms.quizzes.questions import (
    FULL_WEIGHT,
    Difficulty,
    MatchPair,
    NumericAnswer,
    Option,
    QuestionData,
    QuestionType,
    Scoring,
    ShortAnswer,
)

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


def _read_question(data: Any, r: FieldReader, line: int | None, rules: _Rules) -> QuestionData | None:
    """One question mapping to QuestionData, or None (with problems recorded) if anything is wrong."""
    if not isinstance(data, Mapping):
        r.add(line, "mỗi câu hỏi phải là một bảng dạng 'trường: giá trị'")
        return None
    qline = mapping_line(data, line)
    start = len(r.problems)
    qtype = get_enum(data, "type", QuestionType, r, qline, required=True)
    type_fields = _TYPE_FIELDS[qtype] if qtype else frozenset().union(*_TYPE_FIELDS.values())
    check_keys(data, _COMMON_FIELDS | type_fields, r, qline, f" cho câu hỏi loại {qtype}" if qtype else "")
    question = QuestionData(
        key=get_text(data, "key", r, qline, required=True) or "",
        type=qtype or QuestionType.SINGLE,
        stem=get_text(data, "stem", r, qline, required=True) or "",
        explanation=get_text(data, "explanation", r, qline, required=rules.require_explanation) or "",
        difficulty=get_enum(data, "difficulty", Difficulty, r, qline, required=rules.require_difficulty)
        or Difficulty.MEDIUM,
        module=_read_module(data, r, qline, rules),
        tags=get_text_list(data, "tags", r, qline) or [],
        points=_read_points(data, r, qline),
        source=get_text(data, "source", r, qline, required=rules.require_source) or "",
        line=qline,
    )
    if qtype is not None:
        _TYPE_READERS[qtype](data, question, r, qline, rules)
    if len(r.problems) == start:
        for message in validate_question(question, require_explanation=rules.require_explanation,
                                         require_source=rules.require_source):
            r.add(qline, message)
    return question if len(r.problems) == start else None


def _read_module(data: Mapping[str, Any], r: FieldReader, line: int | None, rules: _Rules) -> str | None:
    module = get_text(data, "module", r, line)
    if module and rules.module and module != rules.module:
        r.add(line_of(data, "module", line),
              f"câu hỏi ghi module '{module}' nhưng tệp thuộc học phần '{rules.module}'")
    return module or rules.module


def _read_points(data: Mapping[str, Any], r: FieldReader, line: int | None) -> float:
    points = get_number(data, "points", r, line)
    return 1.0 if points is None else float(points)


def _read_choice(data: Mapping[str, Any], q: QuestionData, r: FieldReader, line: int | None,
                 rules: _Rules) -> None:
    if q.type == QuestionType.MULTIPLE:
        q.scoring = get_enum(data, "scoring", Scoring, r, line) or Scoring.ALL_OR_NOTHING
    items = get_list(data, "options", r, line, required=True)
    if items is None:
        return
    allowed = {"text", "correct"}
    if q.type == QuestionType.MULTIPLE:
        allowed.add("weight")
    if rules.extended:
        allowed.add("feedback")
    parsed = [_read_option(item, item_line, allowed, r) for item, item_line, _ in items]
    q.options = _weighted_options(q, [p for p in parsed if p is not None], r)


def _read_option(item: Any, line: int | None, allowed: set[str], r: FieldReader) -> _RawOption | None:
    if not isinstance(item, Mapping):
        r.add(line, "mỗi phương án phải có dạng {text: ..., correct: true}")
        return None
    line = mapping_line(item, line)
    check_keys(item, allowed, r, line, " trong phương án")
    return _RawOption(
        text=get_text(item, "text", r, line, required=True) or "",
        correct=bool(get_bool(item, "correct", r, line)),
        weight=get_number(item, "weight", r, line),
        feedback=get_text(item, "feedback", r, line) or "",
        line=line,
    )


def _weighted_options(q: QuestionData, parsed: list[_RawOption], r: FieldReader) -> list[Option]:
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
        share = FULL_WEIGHT
    elif not partial:
        share = FULL_WEIGHT / max(1, len(correct))
    else:
        unweighted = [p for p in correct if p.weight is None]
        given = sum(p.weight for p in correct if p.weight is not None)
        share = (FULL_WEIGHT - given) / max(1, len(unweighted))
    return [Option(p.text, float(p.weight) if p.weight is not None else (share if p.correct else 0.0),
                   p.feedback) for p in parsed]


def _check_weight(p: _RawOption, partial: bool, r: FieldReader) -> None:
    if not partial:
        r.add(p.line, "trọng số (weight) chỉ dùng khi scoring: partial")
    elif not -FULL_WEIGHT <= p.weight <= FULL_WEIGHT:
        r.add(p.line, "trọng số (weight) phải nằm trong khoảng -100..100")
    elif p.correct and p.weight <= 0:
        r.add(p.line, "phương án đúng phải có trọng số (weight) dương")
    elif not p.correct and p.weight > 0:
        r.add(p.line, "phương án sai không được có trọng số (weight) dương")


def _read_true_false(data: Mapping[str, Any], q: QuestionData, r: FieldReader, line: int | None,
                     rules: _Rules) -> None:
    if not is_present(data, "answer"):
        r.add(line, "câu hỏi loại true_false cần trường 'answer' là true hoặc false")
        return
    q.truth = get_bool(data, "answer", r, line)


def _read_short(data: Mapping[str, Any], q: QuestionData, r: FieldReader, line: int | None,
                rules: _Rules) -> None:
    q.ignore_diacritics = bool(get_bool(data, "ignore_diacritics", r, line))
    for item, item_line, _ in get_list(data, "answers", r, line, required=True) or []:
        if not isinstance(item, Mapping):
            r.add(item_line, "mỗi đáp án phải có dạng {text: ...}")
            continue
        item_line = mapping_line(item, item_line)
        check_keys(item, {"text", "weight"}, r, item_line, " trong đáp án")
        text = get_text(item, "text", r, item_line, required=True) or ""
        weight = get_number(item, "weight", r, item_line)
        q.short_answers.append(ShortAnswer(text, FULL_WEIGHT if weight is None else float(weight)))


def _read_numeric(data: Mapping[str, Any], q: QuestionData, r: FieldReader, line: int | None,
                  rules: _Rules) -> None:
    allowed = {"value", "tolerance", "min", "max"} | ({"weight"} if rules.extended else set())
    for item, item_line, _ in get_list(data, "answers", r, line, required=True) or []:
        if not isinstance(item, Mapping):
            r.add(item_line, "mỗi đáp án phải có dạng {value: ..., tolerance: ...} hoặc {min: ..., max: ...}")
            continue
        item_line = mapping_line(item, item_line)
        check_keys(item, allowed, r, item_line, " trong đáp án")
        numbers = {k: get_number(item, k, r, item_line) for k in ("value", "tolerance", "min", "max", "weight")}
        if (numbers["value"] is None) == (numbers["min"] is None or numbers["max"] is None):
            r.add(item_line, "mỗi đáp án numeric cần 'value' (và 'tolerance' nếu có) hoặc cả 'min' và 'max'")
            continue
        q.numeric_answers.append(_numeric_answer(numbers))


def _numeric_answer(numbers: dict[str, float | None]) -> NumericAnswer:
    def as_float(name: str) -> float | None:
        return None if numbers[name] is None else float(numbers[name])

    return NumericAnswer(value=as_float("value"), tolerance=as_float("tolerance") or 0.0,
                         minimum=as_float("min"), maximum=as_float("max"),
                         weight=FULL_WEIGHT if numbers["weight"] is None else float(numbers["weight"]))


def _read_matching(data: Mapping[str, Any], q: QuestionData, r: FieldReader, line: int | None,
                   rules: _Rules) -> None:
    for item, item_line, _ in get_list(data, "pairs", r, line, required=True) or []:
        if not isinstance(item, Mapping):
            r.add(item_line, "mỗi cặp phải có dạng {left: ..., right: ...}")
            continue
        item_line = mapping_line(item, item_line)
        check_keys(item, {"left", "right"}, r, item_line, " trong cặp ghép")
        left = get_text(item, "left", r, item_line, required=True)
        right = get_text(item, "right", r, item_line, required=True)
        q.pairs.append(MatchPair(left or "", right or ""))
    q.distractors = get_text_list(data, "distractors", r, line) or []


def _read_ordering(data: Mapping[str, Any], q: QuestionData, r: FieldReader, line: int | None,
                   rules: _Rules) -> None:
    q.order_items = get_text_list(data, "items", r, line, required=True) or []


_TYPE_READERS: dict[QuestionType, Callable[[Mapping[str, Any], QuestionData, FieldReader, int | None, _Rules], None]]
_TYPE_READERS = {
    QuestionType.SINGLE: _read_choice,
    QuestionType.MULTIPLE: _read_choice,
    QuestionType.TRUE_FALSE: _read_true_false,
    QuestionType.SHORT: _read_short,
    QuestionType.NUMERIC: _read_numeric,
    QuestionType.MATCHING: _read_matching,
    QuestionType.ORDERING: _read_ordering,
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
    r = FieldReader()
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
    r = FieldReader()
    if not isinstance(items, list) or not 3 <= len(items) <= 5:
        r.add(mapping_line(items, line), "self_check phải là danh sách từ 3 đến 5 câu hỏi")
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
    r = FieldReader()
    if not isinstance(data, Mapping):
        raise BankFormatError([ProblemLine(path, 1, "tệp ngân hàng câu hỏi phải là một bảng có "
                                                    "'module' và 'questions'")])
    check_keys(data, {"module", "questions"}, r, data.line, " ở đầu tệp")
    module = get_text(data, "module", r, data.line, required=True)
    check_file_name(path, module, "module", r, line_of(data, "module", data.line))
    items = get_list(data, "questions", r, data.line, required=True)
    if items == []:
        r.add(line_of(data, "questions", data.line), "tệp không có câu hỏi nào")
    rules = _Rules(require_explanation=require_explanation, require_source=require_source,
                   require_difficulty=True, module=module)
    parsed = [_read_question(item, r, item_line, rules) for item, item_line, _ in items or []]
    questions = [q for q in parsed if q is not None]
    problems = r.to_lines(path) + duplicate_problems([(path, questions)])
    if problems:
        raise BankFormatError(problems)
    return questions


def check_file_name(path: str, slug: str | None, what: str, r: FieldReader, line: int | None) -> None:
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
