"""YAML read with line numbers, and typed field readers that collect every problem of a file."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import yaml

from lms.quizzes.authoring.problems import BankFormatError, ProblemLine
from lms.quizzes.authoring.validation import nfc
from lms.text import strip_control

_E = TypeVar("_E", bound=Enum)


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
    for lesson front matter). Strings are NFC; control characters are dropped before parsing (YAML refuses
    them with no line to show). Raises BankFormatError on a syntax error or a key written twice in one mapping.
    """
    loader = _LineLoader(strip_control(text))
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
class FieldReader:
    """Collects ``(line, message)`` problems while fields are read."""

    problems: list[tuple[int | None, str]] = field(default_factory=list)

    def add(self, line: int | None, message: str) -> None:
        self.problems.append((line, message))

    def to_lines(self, path: str) -> list[ProblemLine]:
        return [ProblemLine(path, line, message) for line, message in self.problems]


def line_of(data: Mapping[str, Any], key: str, default: int | None) -> int | None:
    return getattr(data, "key_lines", {}).get(key, default)


def is_present(data: Mapping[str, Any], key: str) -> bool:
    return data.get(key) is not None


def _missing(data: Mapping[str, Any], key: str, r: FieldReader, line: int | None, required: bool) -> bool:
    if is_present(data, key):
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


def get_text(data: Mapping[str, Any], key: str, r: FieldReader, line: int | None, *,
              required: bool = False) -> str | None:
    if _missing(data, key, r, line, required):
        return None
    text = _as_text(data[key], getattr(data, "raw", {}).get(key))
    if text is None:
        r.add(line_of(data, key, line), f"trường '{key}' phải là văn bản")
    return text


def get_number(data: Mapping[str, Any], key: str, r: FieldReader, line: int | None, *,
                required: bool = False, integer: bool = False) -> float | None:
    if _missing(data, key, r, line, required):
        return None
    value = data[key]
    wanted = int if integer else int | float
    if isinstance(value, bool) or not isinstance(value, wanted) or not math.isfinite(value):
        r.add(line_of(data, key, line), f"trường '{key}' phải là {'số nguyên' if integer else 'số'}")
        return None
    return value


def get_bool(data: Mapping[str, Any], key: str, r: FieldReader, line: int | None, *,
              required: bool = False) -> bool | None:
    if _missing(data, key, r, line, required):
        return None
    value = data[key]
    if not isinstance(value, bool):
        r.add(line_of(data, key, line), f"trường '{key}' phải là true hoặc false")
        return None
    return value


def get_enum(data: Mapping[str, Any], key: str, enum: type[_E], r: FieldReader, line: int | None, *,
              required: bool = False) -> _E | None:
    if _missing(data, key, r, line, required):
        return None
    value = data[key]
    allowed = [str(member.value) for member in enum]
    if not isinstance(value, str) or value not in allowed:
        r.add(line_of(data, key, line),
              f"giá trị '{value}' của trường '{key}' không hợp lệ (chỉ nhận: {', '.join(allowed)})")
        return None
    return enum(value)


def get_list(data: Mapping[str, Any], key: str, r: FieldReader, line: int | None, *,
              required: bool = False) -> list[tuple[Any, int | None, str | None]] | None:
    """The items of a list field as ``(value, line, raw source text)``."""
    if _missing(data, key, r, line, required):
        return None
    value = data[key]
    if not isinstance(value, list):
        r.add(line_of(data, key, line), f"trường '{key}' phải là một danh sách")
        return None
    own_line = line_of(data, key, line)
    lines = getattr(value, "item_lines", [own_line] * len(value))
    raws = getattr(value, "raw", [None] * len(value))
    return list(zip(value, lines, raws, strict=True))


def get_text_list(data: Mapping[str, Any], key: str, r: FieldReader, line: int | None, *,
                   required: bool = False) -> list[str] | None:
    items = get_list(data, key, r, line, required=required)
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


def check_keys(data: Mapping[Any, Any], allowed: Iterable[str], r: FieldReader, line: int | None,
                where: str) -> None:
    allowed = set(allowed)
    for key in data:
        if key not in allowed:
            r.add(line_of(data, key, line), f"trường không hợp lệ '{key}'{where}")


def mapping_line(value: Any, default: int | None) -> int | None:
    return getattr(value, "line", default)




