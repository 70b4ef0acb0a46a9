"""Importing questions into a web bank (preview first, then all or nothing) and exporting a bank."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
from lms.quizzes.authoring.formats.gift.reading import read_gift
from lms.quizzes.authoring.formats.gift.writing import GIFT_EXPORT_TYPES, write_gift
from lms.quizzes.authoring.problems import ImportProblem
from lms.quizzes.authoring.serialize import question_from_dict
from lms.quizzes.authoring.validation import fold_text
from lms.quizzes.models import QuestionBank
from lms.quizzes.questions import (
    QuestionData,
)

IMPORT_KINDS = ("gift", "aiken", "excel")


@dataclass
class ImportPreview:
    """What an uploaded file would add: its questions and every problem (``line N``/``row N``)."""

    kind: str
    questions: list[QuestionData]
    problems: list[ImportProblem] = field(default_factory=list)

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

    ``module`` is given to questions that name none. Questions repeating a key or a text of the same file are
    problems. An unreadable file gives one problem at line/row 1.
    """
    kind = kind or detect_kind(data, filename)
    if kind not in IMPORT_KINDS:
        raise RuleViolation(_("Unknown file format."))
    preview = ImportPreview(kind, [])
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
        else:
            preview.questions, preview.problems = read_aiken(text)
    for question in preview.questions:
        question.module = question.module or module or None
    preview.problems += _repeated_in_file(preview)
    if not preview.questions and not preview.blocking:
        preview.problems.append(ImportProblem(1, _("the file holds no question"), unit=preview.unit))
    preview.problems.sort(key=lambda p: p.line)
    return preview


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
    """The preview plus its conflicts with the course: keys already used, texts already there, unknown modules."""
    rows = scope_rows(session, bank_scope(bank), active_only=False)
    keys = {row.key for row in rows}
    stems = {fold_text(row.stem): row.key for row in rows if row.active}
    modules = set(module_slugs(bank.course))
    problems = list(preview.problems)
    for question in preview.questions:
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
    return ImportPreview(preview.kind, preview.questions, sorted(problems, key=lambda p: p.line))


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
    """The bank's active questions as GIFT; ordering questions are left out, listed in a leading comment."""
    questions = _active_questions(session, bank)
    writable = [q for q in questions if q.type in GIFT_EXPORT_TYPES]
    skipped = [q.key for q in questions if q.type not in GIFT_EXPORT_TYPES]
    text = write_gift(writable, categories=[bank.title or bank.slug] * len(writable))
    if skipped:
        note = _("Not exported, GIFT has no ordering questions: %(keys)s", keys=", ".join(skipped))
        text = f"// {note}\n\n{text}"
    return GiftExport(text, skipped)


def export_excel(session: Session, bank: QuestionBank) -> bytes:
    """The bank's active questions in the Excel template (import gives them back)."""
    return write_excel(_active_questions(session, bank))



