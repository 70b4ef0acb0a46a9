"""Importing questions into a web bank (preview first, then all or nothing) and exporting a bank."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import PurePath

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from lms.errors import RuleViolation
from lms.quizzes.authoring.banks import (
    ProblemsFound,
    bank_questions,
    bank_scope,
    module_slugs,
    new_question_row,
    require_editable,
    scope_rows,
)
from lms.quizzes.authoring.formats.aiken import read_aiken
from lms.quizzes.authoring.formats.excel import ExcelFormatError, read_excel, write_excel
from lms.quizzes.authoring.formats.gift.categories import CategoryMapping, CourseModule, category_path, map_category
from lms.quizzes.authoring.formats.gift.reading import read_gift
from lms.quizzes.authoring.formats.gift.writing import GIFT_EXPORT_TYPES, write_gift
from lms.quizzes.authoring.problems import ImportProblem
from lms.quizzes.authoring.serialize import question_from_dict
from lms.quizzes.authoring.validation import fold_text
from lms.quizzes.models import Question, QuestionBank
from lms.quizzes.questions import QuestionData
from lms.text import CONTROL_CHARACTERS

IMPORT_KINDS = ("gift", "aiken", "excel")
MESSAGE_LENGTH = 300  # a problem quotes at most this much of the file
_CONTROL_LINES_LISTED = 100
_LINE_BREAKS = re.compile("\r\n|\r|\n|\u2028|\u2029")  # as the GIFT and Aiken readers count lines


@dataclass
class ImportPreview:
    """What an uploaded file would add: its questions and every problem (``line N``/``row N``)."""

    kind: str
    questions: list[QuestionData]
    problems: list[ImportProblem] = field(default_factory=list)
    categories: list[str | None] = field(default_factory=list)  # GIFT: each question's $CATEGORY
    default_module: str | None = None  # for questions that name no module, neither themselves nor by category
    mappings: list[tuple[CategoryMapping, int]] = field(default_factory=list)  # by check_import, with counts
    new_tags: frozenset[str] = frozenset()  # tags the course has no question with yet (by check_import)

    @property
    def unit(self) -> str:
        return "row" if self.kind == "excel" else "line"

    @property
    def blocking(self) -> list[ImportProblem]:
        """Problems that stop the import (warnings do not)."""
        return [p for p in self.problems if not p.warning]

    @property
    def can_commit(self) -> bool:
        return bool(self.questions) and not self.blocking


def detect_kind(data: bytes, filename: str) -> str:
    """gift, aiken or excel, from the file name and, for text, its content (an answer block means GIFT)."""
    if PurePath(filename).suffix.lower() in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return "excel"
    text = data.decode("utf-8", "replace")
    if "{" not in text and re.search(r"^\s*ANSWER\s*:", text, re.MULTILINE | re.IGNORECASE):
        return "aiken"
    return "gift"


def preview_import(data: bytes, filename: str, kind: str | None = None, *, module: str | None = None) -> ImportPreview:
    """Parse an uploaded GIFT, Aiken or Excel file (no database): questions plus per-question problems.

    ``module`` is kept for questions that name none (check_import gives it after their GIFT category).
    Questions repeating a key or a text of the same file are problems, and so is any line of a text file
    holding a control character. An unreadable file gives one problem at line/row 1. Messages are cut to
    MESSAGE_LENGTH characters.
    """
    kind = kind or detect_kind(data, filename)
    if kind not in IMPORT_KINDS:
        raise RuleViolation(_("Unknown file format."))
    preview = ImportPreview(kind, [], default_module=module or None)
    if kind == "excel":
        try:
            preview.questions, preview.problems = read_excel(data)
        except ExcelFormatError as error:
            preview.problems = [ImportProblem(1, str(error), unit="row")]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            preview.problems = [ImportProblem(1, _("the file is not UTF-8 text; save it again as UTF-8"))]
            return preview
        if kind == "gift":
            items, preview.problems = read_gift(text)
            preview.questions = [item.question for item in items]
            preview.categories = [item.category or None for item in items]
        else:
            preview.questions, preview.problems = read_aiken(text)
        preview.problems += _control_characters(text)
    preview.problems += _repeated_in_file(preview)
    if not preview.questions and not preview.blocking:
        preview.problems.append(ImportProblem(1, _("the file holds no question"), unit=preview.unit))
    preview.problems = _shortened(preview.problems)
    return preview


def _control_characters(text: str) -> list[ImportProblem]:
    """A problem for each line holding a control character (NUL, vertical tab...): refused, never stored."""
    found = [(number, match.group()) for number, line in enumerate(_LINE_BREAKS.split(text), start=1)
             if (match := CONTROL_CHARACTERS.search(line))]
    problems = [ImportProblem(number, _("the line holds the control character %(code)s, which no question may "
                                        "hold; remove it from the file", code=f"U+{ord(char):04X}"))
                for number, char in found[:_CONTROL_LINES_LISTED]]
    if len(found) > _CONTROL_LINES_LISTED:
        problems.append(ImportProblem(found[_CONTROL_LINES_LISTED][0], _(
            "%(count)d more lines hold control characters", count=len(found) - _CONTROL_LINES_LISTED)))
    return problems


def _shortened(problems: list[ImportProblem]) -> list[ImportProblem]:
    cut = [p if len(p.message) <= MESSAGE_LENGTH else replace(p, message=p.message[:MESSAGE_LENGTH - 1] + "…")
           for p in problems]
    return sorted(cut, key=lambda p: p.line)


def _repeated_in_file(preview: ImportPreview) -> list[ImportProblem]:
    first: dict[str, int] = {}
    problems = []
    for question in preview.questions:
        stem = fold_text(question.stem)
        if stem in first:
            problems.append(ImportProblem(question.line or 1, _("the same question text as at %(unit)s %(line)d",
                                                                 unit=_unit_word(preview.unit), line=first[stem]),
                                          unit=preview.unit))
        else:
            first[stem] = question.line or 1
    return problems


def _unit_word(unit: str) -> str:
    return _("row") if unit == "row" else _("line")


def check_import(session: Session, bank: QuestionBank, preview: ImportPreview) -> ImportPreview:
    """The preview with its GIFT categories applied (see formats/gift/categories.py) and its conflicts with
    the course: keys already used, texts already there, unknown modules.

    Each question gets the module its own metadata names, else the one its category names, else the
    preview's default module; the tags of its category are added to its own. Applying it twice changes nothing.
    """
    rows = scope_rows(session, bank_scope(bank), active_only=False)
    questions, mappings = _apply_categories(bank, preview)
    keys = {row.key for row in rows}
    stems = {fold_text(row.stem): row.key for row in rows if row.active}
    modules = set(module_slugs(bank.course))
    problems = list(preview.problems)
    for question in questions:
        line = question.line or 1
        if question.key in keys:
            problems.append(ImportProblem(line, _("key '%(key)s' is already used in this course", key=question.key),
                                          unit=preview.unit))
        if fold_text(question.stem) in stems:
            problems.append(ImportProblem(line, _("the same question text is already in this course (question "
                                                  "'%(key)s')", key=stems[fold_text(question.stem)]), unit=preview.unit))
        if question.module and question.module not in modules:
            problems.append(ImportProblem(line, _("module '%(module)s' is not a module of this course",
                                                  module=question.module), unit=preview.unit))
    new_tags = frozenset(tag for q in questions for tag in q.tags) - _course_tags(rows)
    return replace(preview, questions=questions, problems=_shortened(problems), mappings=mappings, new_tags=new_tags)


def _course_modules(bank: QuestionBank) -> list[CourseModule]:
    return [CourseModule(m.slug, (m.title, m.title_en)) for m in bank.course.modules]


def _roots(bank: QuestionBank) -> tuple[str, ...]:
    return (bank.title, bank.slug, bank.course.title, bank.course.title_en, bank.course.slug)


def _apply_categories(bank: QuestionBank, preview: ImportPreview) -> tuple[list[QuestionData],
                                                                          list[tuple[CategoryMapping, int]]]:
    modules, roots = _course_modules(bank), _roots(bank)
    mapped: dict[str, CategoryMapping] = {}
    counts: dict[str, int] = {}
    questions = []
    for index, question in enumerate(preview.questions):
        category = preview.categories[index] if index < len(preview.categories) else None
        mapping = None
        if category:
            mapping = mapped.get(category) or mapped.setdefault(category, map_category(category, modules, roots))
            counts[category] = counts.get(category, 0) + 1
        module = question.module or (mapping.module if mapping else None) or preview.default_module
        tags = list(dict.fromkeys([*question.tags, *(mapping.tags if mapping else ())]))
        questions.append(replace(question, module=module, tags=tags, category=category or question.category))
    return questions, [(mapping, counts[name]) for name, mapping in mapped.items()]


def _course_tags(rows: list[Question]) -> set[str]:
    return {tag for row in rows for tag in (row.tags or [])}


def commit_import(session: Session, bank: QuestionBank, preview: ImportPreview, *, now: datetime) -> int:
    """Add every question of the preview to a web bank, or none: any problem (a warning aside) refuses all.

    Returns the number of questions added.
    """
    require_editable(bank)
    checked = check_import(session, bank, preview)
    if not checked.can_commit:
        raise ProblemsFound(checked.blocking or [_("The file holds no question.")])
    session.add_all([new_question_row(bank, question, now) for question in checked.questions])
    session.flush()
    return len(checked.questions)


# --------------------------------------------------------------------------- export


@dataclass
class GiftExport:
    text: str
    skipped: list[str]  # keys of questions GIFT cannot hold (ordering)


def _active_questions(session: Session, bank: QuestionBank) -> list[QuestionData]:
    return [question_from_dict(row.data) for row in bank_questions(session, bank)]


def export_gift(session: Session, bank: QuestionBank) -> GiftExport:
    """The bank's active questions as GIFT, grouped by category; ordering questions are left out, listed in a
    leading comment.

    A question imported from GIFT is written under the category it came with; any other under the bank's
    title and its module's title (``Câu hỏi bổ sung/Học phần một``), which importing maps back to the module.
    """
    questions = _active_questions(session, bank)
    writable = [q for q in questions if q.type in GIFT_EXPORT_TYPES]
    skipped = [q.key for q in questions if q.type not in GIFT_EXPORT_TYPES]
    titles = {m.slug: m.title for m in bank.course.modules}
    categories = [q.category or category_path([bank.title or bank.slug, titles.get(q.module or "", q.module or "")])
                  for q in writable]
    first_seen = {category: index for index, category in reversed(list(enumerate(categories)))}
    order = sorted(range(len(writable)), key=lambda i: first_seen[categories[i]])
    text = write_gift([writable[i] for i in order], categories=[categories[i] for i in order])
    if skipped:
        note = _("Not exported, GIFT has no ordering questions: %(keys)s", keys=", ".join(skipped))
        text = f"// {note}\n\n{text}"
    return GiftExport(text, skipped)


def export_excel(session: Session, bank: QuestionBank) -> bytes:
    """The bank's active questions in the Excel template (import gives them back)."""
    return write_excel(_active_questions(session, bank))



