"""Reading a test definition (draw rules, limits, review settings) from YAML."""

from __future__ import annotations

import re
from collections.abc import Mapping
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
    line_of,
    load_yaml,
    mapping_line,
)
from lms.quizzes.authoring.formats.yaml_questions import check_file_name
from lms.quizzes.authoring.problems import BankFormatError, ProblemLine
from lms.quizzes.authoring.test_definition import AttemptPolicy, DrawRule, Navigation, ReviewItem, TestDefinition
from lms.quizzes.questions import (
    Difficulty,
)

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
    r = FieldReader()
    line = data.line
    check_keys(data, _TEST_FIELDS, r, line, " trong đề kiểm tra")
    slug = get_text(data, "slug", r, line, required=True) or ""
    if slug and not _SLUG.fullmatch(slug):
        r.add(line_of(data, "slug", line), f"slug '{slug}' chỉ được gồm chữ thường không dấu, số và '-'")
    check_file_name(path, slug, "slug", r, line_of(data, "slug", line))
    test = TestDefinition(
        slug=slug,
        title=get_text(data, "title", r, line, required=True) or "",
        title_en=get_text(data, "title_en", r, line, required=True) or "",
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


def _bounded(data: Mapping[str, Any], key: str, r: FieldReader, line: int | None, low: float,
             high: float | None, *, integer: bool = True) -> float | None:
    value = get_number(data, key, r, line, required=True, integer=integer)
    if value is not None and (value < low or (high is not None and value > high)):
        bounds = f"từ {low} đến {high}" if high is not None else f"ít nhất {low}"
        r.add(line_of(data, key, line), f"trường '{key}' phải {bounds}")
        return None
    return value


def _read_test_options(data: Mapping[str, Any], test: TestDefinition, r: FieldReader, line: int | None) -> None:
    def flag(key: str, default: bool) -> bool:
        value = get_bool(data, key, r, line)
        return default if value is None else value

    test.attempt_policy = get_enum(data, "attempt_policy", AttemptPolicy, r, line) or test.attempt_policy
    test.navigation = get_enum(data, "navigation", Navigation, r, line) or test.navigation
    test.shuffle_questions = flag("shuffle_questions", test.shuffle_questions)
    test.shuffle_options = flag("shuffle_options", test.shuffle_options)
    test.avoid_repeats = flag("avoid_repeats", test.avoid_repeats)
    test.review_after_submit = _read_review(data, "review_after_submit", r, line, test.review_after_submit)
    test.review_after_close = _read_review(data, "review_after_close", r, line, test.review_after_close)


def _read_review(data: Mapping[str, Any], key: str, r: FieldReader, line: int | None,
                 default: frozenset[ReviewItem]) -> frozenset[ReviewItem]:
    items = get_list(data, key, r, line)
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


def _read_draw(data: Mapping[str, Any], r: FieldReader, line: int | None) -> list[DrawRule]:
    items = get_list(data, "draw", r, line, required=True)
    if items == []:
        r.add(line_of(data, "draw", line), "'draw' phải có ít nhất một quy tắc rút câu")
    rules = []
    for item, item_line, _ in items or []:
        if not isinstance(item, Mapping):
            r.add(item_line, "mỗi quy tắc rút câu phải có dạng {module: ..., difficulty: ..., tags: [...], count: N}")
            continue
        item_line = mapping_line(item, item_line)
        check_keys(item, {"module", "difficulty", "tags", "count"}, r, item_line, " trong quy tắc rút câu")
        count = _bounded(item, "count", r, item_line, 1, None)
        rules.append(DrawRule(count=int(count or 0), module=get_text(item, "module", r, item_line),
                              difficulty=get_enum(item, "difficulty", Difficulty, r, item_line),
                              tags=tuple(get_text_list(item, "tags", r, item_line) or ()), line=item_line))
    return rules




