"""Reads the fact sheets of SYLLABUS.md and says how sure each fact is: [V] stated, [P] partly, [U] unconfirmed.

A question's `source` names its facts as `SYLLABUS FS<sheet>[.<section>] <where>`, several joined by `;`,
where `<where>` is `(words found on the fact's line)`, `row 4a` / `#9` (a table row by its first cell), or
nothing (the whole section, accepted only when every mark in it is [V]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MARK_ORDER = {"V": 0, "P": 1, "U": 2}
INLINE_MARK = re.compile(r"\[(V|P|U)\b")
CELL_MARK = re.compile(r"^\s*(V|P|U)\b")
REFERENCE = re.compile(r"^SYLLABUS FS(?P<sheet>\d+)(?:\.(?P<section>\d+))?(?P<where>.*)$")
ROWS = re.compile(r"^(?:rows?\s+|#)(?P<cells>[\w.]+(?:\s*,\s*#?[\w.]+)*)$")
ONLY_MARK = re.compile(r"^\s*[-*]\s+\[(V|P|U)\b[^\]]*\]\s*$")
SEPARATORS = re.compile(r"[*|,;()\"“”`]+")


@dataclass(frozen=True)
class FactLookup:
    reference: str
    mark: str | None  # V, P or U; None when the fact was not found
    problem: str = ""


def _worst(marks) -> str | None:
    marks = [m for m in marks if m]
    return max(marks, key=MARK_ORDER.__getitem__) if marks else None


def _words(text: str) -> list[str]:
    return [t.strip(".:") for t in SEPARATORS.sub(" ", text.lower()).split() if t.strip(".:")]


def _tokens(text: str) -> set[str]:
    return set(_words(text))


def _indent(line: str) -> int:
    stripped = line.lstrip()
    if not stripped.startswith(("- ", "* ")) and not re.match(r"\d+\.\s", stripped):
        return -1  # a paragraph line: the parent of the list that follows it
    return len(line) - len(stripped)


class FactSheet:
    """The fact sheets of one SYLLABUS.md, and the mark of any fact a question's source names."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    @classmethod
    def read(cls, path: Path) -> FactSheet:
        return cls(path.read_text(encoding="utf-8"))

    def lookup(self, source: str) -> list[FactLookup]:
        """One lookup per fact named in `source` (split on `;`)."""
        return [self._lookup(part.strip()) for part in source.split(";") if part.strip()]

    def _lookup(self, reference: str) -> FactLookup:
        if not reference.startswith("SYLLABUS"):
            reference = f"SYLLABUS {reference}"
        match = REFERENCE.match(reference)
        if match is None:
            return FactLookup(reference, None, "không đọc được; hãy viết dạng 'SYLLABUS FS2.3 (tên dữ kiện)'")
        span = self._section(int(match["sheet"]), match["section"])
        if span is None:
            return FactLookup(reference, None, "không có mục này trong SYLLABUS.md")
        where = match["where"].strip()
        if not where:
            mark = _worst(self._marks_in(span))
            return FactLookup(reference, mark, "" if mark else "mục này không có dấu [V]/[P]/[U]")
        rows = ROWS.match(where)
        found = self._rows(span, rows["cells"]) if rows else self._anchored(span, where.strip("() "))
        if not found:
            return FactLookup(reference, None, "không tìm thấy dữ kiện này trong mục đã nêu của SYLLABUS.md")
        words = _tokens(where.strip("() ")) if not rows else set()
        marks = [self._mark_of(index, span, words) for index in found]
        if None in marks:
            return FactLookup(reference, None, "dữ kiện không có dấu [V]/[P]/[U]")
        return FactLookup(reference, _worst(marks))

    # --- finding the section and the lines --------------------------------------------------------------

    def _section(self, sheet: int, section: str | None) -> range | None:
        start = next((i for i, line in enumerate(self.lines) if line.startswith(f"### Fact sheet {sheet}:")), None)
        if start is None:
            return None
        end = next((i for i in range(start + 1, len(self.lines)) if re.match(r"#{1,3} ", self.lines[i])),
                   len(self.lines))
        if section is None:
            return range(start + 1, end)
        sub = next((i for i in range(start, end) if self.lines[i].startswith(f"#### {sheet}.{section} ")), None)
        if sub is None:
            return None
        sub_end = next((i for i in range(sub + 1, end) if self.lines[i].startswith("#")), end)
        return range(sub + 1, sub_end)

    def _anchored(self, span: range, anchor: str) -> list[int]:
        """Lines holding every word of the anchor; those holding it as one phrase win over the others."""
        wanted = _tokens(anchor)
        found = [i for i in span if wanted and wanted <= _tokens(self.lines[i])]
        phrase = f" {' '.join(_words(anchor))} "
        exact = [i for i in found if phrase in f" {' '.join(_words(self.lines[i]))} "]
        return exact or found

    def _rows(self, span: range, cells: str) -> list[int]:
        wanted = [c.strip().lstrip("#") for c in cells.split(",")]
        found = []
        for cell in wanted:
            rows = [i for i in span if self._cells(i) and self._cells(i)[0].strip("* ") == cell]
            if not rows:
                return []
            found += rows
        return found

    def _cells(self, index: int) -> list[str]:
        line = self.lines[index].strip()
        return [c.strip() for c in line.strip("|").split("|")] if line.startswith("|") else []

    # --- marks -------------------------------------------------------------------------------------------

    def _marks_in(self, span: range) -> list[str]:
        marks = []
        for i in span:
            marks += INLINE_MARK.findall(self.lines[i])
            column = self._mark_column(i)
            if column is not None and not self._is_header(i):
                marks.append(_cell_mark(self._cells(i), column))
        return [m for m in marks if m]

    def _mark_of(self, index: int, span: range, words: set[str] = frozenset()) -> str | None:
        """The mark of the sentence holding the words, else of the line, its list children, its parents, or
        (a table row) its table's lead."""
        sentence = _sentence_mark(self.lines[index], words)
        if sentence and not self._cells(index):
            return sentence
        if self._cells(index):
            column = self._mark_column(index)
            if column is not None:
                return _cell_mark(self._cells(index), column)
            return _worst(INLINE_MARK.findall(self.lines[index])) or self._lead_mark(index, span)
        own = _worst(INLINE_MARK.findall(self.lines[index]))
        return (own or self._children_mark(index) or self._closing_mark(index)
                or self._parent_mark(index, span))

    def _children_mark(self, index: int) -> str | None:
        level, marks = _indent(self.lines[index]), []
        for line in self.lines[index + 1 :]:
            if not line.strip() or _indent(line) <= level:
                break
            marks += INLINE_MARK.findall(line)
        return _worst(marks)

    def _closing_mark(self, index: int) -> str | None:
        """A list that ends with a bullet holding only a mark ("- [V: source]") vouches for its items."""
        level = _indent(self.lines[index])
        if level == -1:
            return None
        for line in self.lines[index + 1 :]:
            if not line.strip() or line.startswith("#") or _indent(line) < level:
                return None
            if _indent(line) == level and ONLY_MARK.match(line):
                return INLINE_MARK.findall(line)[0]
        return None

    def _parent_mark(self, index: int, span: range) -> str | None:
        level = _indent(self.lines[index])
        if level == -1:
            return None  # a paragraph has no parent
        for i in range(index - 1, span.start - 1, -1):
            line = self.lines[i]
            if not line.strip() or line.startswith("#"):
                return None
            if _indent(line) < level:
                marks = INLINE_MARK.findall(line)
                if marks:
                    return _worst(marks)
                level = _indent(line)
                if level == -1:
                    return None
        return None

    def _lead_mark(self, index: int, span: range) -> str | None:
        """The first mark of the nearest text before the table (e.g. 'Sources for the table below')."""
        i = index
        while i > span.start and self.lines[i].strip().startswith("|"):
            i -= 1
        while i >= span.start:
            block_end = i
            while i >= span.start and self.lines[i].strip() and not self.lines[i].strip().startswith("|"):
                i -= 1
            for line in self.lines[i + 1 : block_end + 1]:
                marks = INLINE_MARK.findall(line)
                if marks:
                    return marks[0]
            while i >= span.start and (not self.lines[i].strip() or self.lines[i].strip().startswith("|")):
                i -= 1
        return None

    def _table_start(self, index: int) -> int:
        while index > 0 and self.lines[index - 1].strip().startswith("|"):
            index -= 1
        return index

    def _is_header(self, index: int) -> bool:
        start = self._table_start(index)
        return index in (start, start + 1)

    def _mark_column(self, index: int) -> int | None:
        header = self._cells(self._table_start(index))
        return next((n for n, cell in enumerate(header) if cell.lower().startswith("mark")), None)


def _cell_mark(cells: list[str], column: int) -> str | None:
    if column >= len(cells):
        return None
    match = CELL_MARK.match(cells[column])
    return match[1] if match else None


def _sentence_mark(line: str, words: set[str]) -> str | None:
    """Where a line holds several sentences, each with its own mark, the sentence holding the words decides."""
    if not words:
        return None
    sentences: list[str] = []
    for part in re.split(r"(?<=[.\]])\s+", line):
        if sentences and part.startswith("["):
            sentences[-1] += " " + part  # a mark standing after a full stop belongs to the sentence before it
        else:
            sentences.append(part)
    marks = [m for text in sentences if words <= _tokens(text) for m in INLINE_MARK.findall(text)]
    return _worst(marks)
