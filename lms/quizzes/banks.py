"""Question banks and tests edited in the web interface: questions, import (all or nothing), export, tests.

Banks and tests loaded from content/ (``from_content``) are read-only here: `flask lms content sync`
overwrites them, so every change is refused with a message saying to edit the files instead. Keys are
unique within the course and the stems of active questions too, as for content banks. Every function
flushes and never commits; rule breaks raise :class:`ProblemsFound` (a RuleViolation) listing each problem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath

import yaml
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.courses.models import Course
from lms.errors import NotFound, RuleViolation
from lms.quizzes.aiken import read_aiken
from lms.quizzes.bank_errors import BankFormatError, ImportProblem
from lms.quizzes.bank_yaml import draw_rule_problems, fold_text, load_yaml, parse_question_dict, slug_key, unique_key
from lms.quizzes.excel import ExcelFormatError, read_excel, write_excel
from lms.quizzes.excel import _json_answer as answer_fields  # the answer fields in the YAML bank format
from lms.quizzes.gift import GIFT_EXPORT_TYPES, read_gift, write_gift
from lms.quizzes.models import Question, QuestionBank, Quiz
from lms.quizzes.questions import (
    Difficulty,
    MatchPair,
    NumericAnswer,
    Option,
    QuestionData,
    QuestionType,
    ShortAnswer,
)
from lms.quizzes.serialize import question_from_dict, question_to_dict, rule_from_dict
from lms.quizzes.services import apply_test_definition
from lms.quizzes.test_definition import AttemptPolicy, Navigation, ReviewItem, TestDefinition

IMPORT_KINDS = ("gift", "aiken", "excel")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class ProblemsFound(RuleViolation):
    """A change refused for one or more reasons; ``problems`` lists them (strings or ImportProblems)."""

    def __init__(self, problems: Sequence[object]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


def read_only_message() -> str:
    return _("This comes from the course's content files and is edited there (then run `flask lms content "
             "sync`); here it can only be viewed and exported.")


def _require_editable(item: QuestionBank | Quiz) -> None:
    if item.from_content:
        raise RuleViolation(read_only_message())


# --------------------------------------------------------------------------- banks


@dataclass
class BankRow:
    bank: QuestionBank
    active: int
    retired: int


def list_banks(session: Session, course: Course) -> list[BankRow]:
    """The banks of a course (content banks first, then by title) with their active and retired counts."""
    of_course = Question.bank_id.in_(select(QuestionBank.id).where(QuestionBank.course_id == course.id))
    counts = dict(session.execute(select(Question.bank_id, func.count())
                                  .where(of_course, Question.active).group_by(Question.bank_id)).all())
    retired = dict(session.execute(select(Question.bank_id, func.count())
                                   .where(of_course, ~Question.active).group_by(Question.bank_id)).all())
    banks = session.scalars(select(QuestionBank).where(QuestionBank.course_id == course.id)
                            .order_by(QuestionBank.from_content.desc(), QuestionBank.title, QuestionBank.slug))
    return [BankRow(bank, counts.get(bank.id, 0), retired.get(bank.id, 0)) for bank in banks]


def get_bank(session: Session, bank_id: int) -> QuestionBank:
    bank = session.get(QuestionBank, bank_id)
    if bank is None:
        raise NotFound()
    return bank


def find_bank(session: Session, course: Course, slug: str) -> QuestionBank | None:
    return session.scalar(select(QuestionBank).where(QuestionBank.course_id == course.id, QuestionBank.slug == slug))


def create_bank(session: Session, course: Course, *, slug: str, title: str) -> QuestionBank:
    """A new web bank; the slug is lowercase ASCII with dashes and unique within the course."""
    slug, title = slug.strip(), title.strip()
    problems = []
    if not SLUG.fullmatch(slug):
        problems.append(_("The short name may only hold lowercase letters without marks, digits and dashes."))
    elif find_bank(session, course, slug) is not None:
        problems.append(_("This course already has a bank with this short name."))
    if not title:
        problems.append(_("The bank needs a title."))
    if problems:
        raise ProblemsFound(problems)
    bank = QuestionBank(course_id=course.id, slug=slug, title=title, from_content=False)
    session.add(bank)
    session.flush()
    return bank


def module_slugs(course: Course) -> list[str]:
    return [module.slug for module in course.modules]


def bank_questions(session: Session, bank: QuestionBank, *, type: str = "", difficulty: str = "", module: str = "",
                   status: str = "active") -> list[Question]:
    """The bank's questions by key, filtered (empty filter: any; status active, retired or all)."""
    query = select(Question).where(Question.bank_id == bank.id).order_by(Question.key)
    for column, value in ((Question.type, type), (Question.difficulty, difficulty), (Question.module, module)):
        if value:
            query = query.where(column == value)
    if status in ("active", "retired"):
        query = query.where(Question.active == (status == "active"))
    return list(session.scalars(query))


def get_question(session: Session, bank: QuestionBank, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None or question.bank_id != bank.id:
        raise NotFound()
    return question


# --------------------------------------------------------------------------- one question


def parse_question_yaml(text: str) -> QuestionData:
    """One question written in the YAML bank format (docs/content-format.md, plus option ``feedback``).

    Raises ProblemsFound with ``line N: message`` problems.
    """
    try:
        data = load_yaml(text, "")
        if not isinstance(data, dict):
            raise ProblemsFound([ImportProblem(1, _("write one question as 'field: value' lines"))])
        return parse_question_dict(data, line=getattr(data, "line", 1) or 1, require_explanation=False,
                                   extended=True)
    except BankFormatError as error:
        raise ProblemsFound([ImportProblem(p.line or 1, p.message) for p in error.problems]) from None


def question_yaml(question: QuestionData) -> str:
    """``question`` in the YAML bank format, as the editor shows it (parse_question_yaml reads it back)."""
    data: dict = {"key": question.key, "type": str(question.type), "difficulty": str(question.difficulty)}
    if question.module:
        data["module"] = question.module
    if question.tags:
        data["tags"] = list(question.tags)
    if question.points != 1:
        data["points"] = question.points
    data["stem"] = question.stem
    data |= answer_fields(question)
    data["explanation"] = question.explanation
    if question.source:
        data["source"] = question.source
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def question_data(row: Question) -> QuestionData:
    return question_from_dict(row.data)


def skeleton_question(session: Session, bank: QuestionBank, qtype: str) -> QuestionData:
    """A valid starting question of ``qtype`` (single if unknown) with a key free in the bank, for the editor."""
    used = {row.key for row in bank_questions(session, bank, status="all")}
    question = QuestionData(key=unique_key(f"{slug_key(bank.slug, max_length=40)}-001", used),
                            type=QuestionType(qtype) if qtype in set(QuestionType) else QuestionType.SINGLE,
                            stem=_("Write the question here"), explanation=_("Why the right answer is right"),
                            truth=True, short_answers=[ShortAnswer(_("accepted answer"))],
                            numeric_answers=[NumericAnswer(value=2015)])
    first, second, third = _("First"), _("Second"), _("Third")
    question.options = [Option(_("The right answer"), 100.0), Option(_("A wrong answer"))]
    if question.type == QuestionType.MULTIPLE:
        question.options = [Option(first, 50.0), Option(second, 50.0), Option(third)]
    question.pairs = [MatchPair(left, right) for left, right in ((first, "1"), (second, "2"), (third, "3"))]
    question.order_items = [first, second, third]
    return question


def _question_problems(session: Session, bank: QuestionBank, question: QuestionData, *,
                       exclude_id: int | None = None) -> list[str]:
    course = bank.course
    problems = []
    if question.module and question.module not in module_slugs(course):
        problems.append(_("Module '%(module)s' is not a module of this course.", module=question.module))
    others = [row for row in _course_rows(session, course.id, active_only=False) if row.id != exclude_id]
    if any(row.key == question.key for row in others):
        problems.append(_("Key '%(key)s' is already used in this course.", key=question.key))
    stem = fold_text(question.stem)
    same = next((row for row in others if row.active and fold_text(row.stem) == stem), None)
    if same is not None:
        problems.append(_("The same question text is already in this course (question '%(key)s').", key=same.key))
    return problems


def add_question(session: Session, bank: QuestionBank, question: QuestionData, *, now: datetime) -> Question:
    """A new active question in a web bank (key and stem unique in the course, module one of the course's)."""
    _require_editable(bank)
    problems = _question_problems(session, bank, question)
    if problems:
        raise ProblemsFound(problems)
    row = _new_row(bank, question, now)
    session.add(row)
    session.flush()
    return row


def update_question(session: Session, row: Question, question: QuestionData, *, now: datetime) -> Question:
    """Replace a question's content (its key stays); the version goes up when anything changed.

    Refused if it would leave a test of the course unable to draw its questions.
    """
    _require_editable(row.bank)
    problems = [] if question.key == row.key else [_("The key of a question cannot be changed.")]
    problems += _question_problems(session, row.bank, question, exclude_id=row.id)
    if problems:
        raise ProblemsFound(problems)
    if row.active:
        _guard_tests(session, row.bank.course_id, row.id, question)
    payload = question_to_dict(question)
    if payload != row.data:
        row.version += 1
    row.type, row.module, row.tags = str(question.type), question.module, list(question.tags)
    row.difficulty, row.stem, row.data, row.updated_at = str(question.difficulty), question.stem, payload, now
    session.flush()
    return row


def retire_question(session: Session, row: Question, *, now: datetime) -> None:
    """Take a question out of future draws (attempts keep their snapshot); refused if a test needs it."""
    _require_editable(row.bank)
    _guard_tests(session, row.bank.course_id, row.id, None)
    row.active, row.updated_at = False, now
    session.flush()


def restore_question(session: Session, row: Question, *, now: datetime) -> None:
    """Put a retired question back into draws, if its text is still unique among active questions."""
    _require_editable(row.bank)
    problems = _question_problems(session, row.bank, question_from_dict(row.data), exclude_id=row.id)
    if problems:
        raise ProblemsFound(problems)
    row.active, row.updated_at = True, now
    session.flush()


def _new_row(bank: QuestionBank, question: QuestionData, now: datetime) -> Question:
    return Question(bank_id=bank.id, key=question.key, type=str(question.type), module=question.module,
                    tags=list(question.tags), difficulty=str(question.difficulty), stem=question.stem,
                    data=question_to_dict(question), updated_at=now)


def _course_rows(session: Session, course_id: int, *, active_only: bool = True) -> list[Question]:
    query = select(Question).join(QuestionBank).where(QuestionBank.course_id == course_id).order_by(Question.id)
    if active_only:
        query = query.where(Question.active)
    return list(session.scalars(query))


def course_questions(session: Session, course_id: int) -> list[QuestionData]:
    """Every active question of the course (all banks): the pool the tests draw from."""
    return [question_from_dict(row.data) for row in _course_rows(session, course_id)]


def _guard_tests(session: Session, course_id: int, row_id: int, replacement: QuestionData | None) -> None:
    pool = {row.id: question_from_dict(row.data) for row in _course_rows(session, course_id)}
    after = {**pool, row_id: replacement} if replacement is not None else {k: v for k, v in pool.items() if k != row_id}
    quizzes = session.scalars(select(Quiz).where(Quiz.course_id == course_id).order_by(Quiz.title))
    problems = []
    for quiz in quizzes:
        test = quiz_definition(quiz)
        if draw_rule_problems(test, list(pool.values())):
            continue  # already short of questions: this change is not the cause
        for problem in draw_rule_problems(test, list(after.values())):
            problems.append(_("Test '%(title)s' would lack questions: %(problem)s", title=quiz.title,
                              problem=problem.message))
    if problems:
        raise ProblemsFound(problems)


# --------------------------------------------------------------------------- import


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
    rows = _course_rows(session, bank.course_id, active_only=False)
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
    _require_editable(bank)
    checked = check_import(session, bank, preview)
    if not checked.can_commit:
        raise ProblemsFound(checked.blocking or [_("The file holds no question.")])
    session.add_all([_new_row(bank, question, now) for question in checked.questions])
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


# --------------------------------------------------------------------------- tests


def quiz_definition(quiz: Quiz) -> TestDefinition:
    """The stored test as a TestDefinition (what the test editor shows and checks)."""
    return TestDefinition(
        slug=quiz.slug, title=quiz.title, title_en=quiz.title_en, time_limit_minutes=quiz.time_limit_minutes,
        pass_mark_percent=quiz.pass_mark_percent, max_attempts=quiz.max_attempts,
        draw=[rule_from_dict(rule) for rule in quiz.draw_rules], attempt_policy=AttemptPolicy(quiz.attempt_policy),
        shuffle_questions=quiz.shuffle_questions, shuffle_options=quiz.shuffle_options,
        navigation=Navigation(quiz.navigation), avoid_repeats=quiz.avoid_repeats,
        review_after_submit=frozenset(ReviewItem(i) for i in quiz.review_after_submit),
        review_after_close=frozenset(ReviewItem(i) for i in quiz.review_after_close),
    )


def course_tests(session: Session, course: Course) -> list[Quiz]:
    return list(session.scalars(select(Quiz).where(Quiz.course_id == course.id).order_by(Quiz.title)))


def get_test(session: Session, course: Course, quiz_id: int) -> Quiz:
    quiz = session.get(Quiz, quiz_id)
    if quiz is None or quiz.course_id != course.id:
        raise NotFound()
    return quiz


def save_test(session: Session, course: Course, test: TestDefinition, *, quiz: Quiz | None = None,
              now: datetime) -> Quiz:
    """Create a web test (``quiz`` None) or update one; its slug never changes.

    Refused unless the limits are in range and the course's active questions can satisfy every draw rule.
    """
    if quiz is not None:
        _require_editable(quiz)
    problems = _test_problems(test)
    if quiz is None and not SLUG.fullmatch(test.slug):
        problems.append(_("The short name may only hold lowercase letters without marks, digits and dashes."))
    elif quiz is None and session.scalar(select(Quiz.id).where(Quiz.course_id == course.id, Quiz.slug == test.slug)):
        problems.append(_("This course already has a test with this short name."))
    problems += [p.message for p in draw_rule_problems(test, course_questions(session, course.id))]
    if problems:
        raise ProblemsFound(problems)
    if quiz is None:
        quiz = Quiz(course_id=course.id, slug=test.slug, from_content=False)
        session.add(quiz)
    apply_test_definition(quiz, test, now=now)
    session.flush()
    return quiz


def _test_problems(test: TestDefinition) -> list[str]:
    problems = []
    if not test.title.strip():
        problems.append(_("The test needs a title."))
    if test.time_limit_minutes < 1:
        problems.append(_("The time limit must be at least 1 minute."))
    if not 0 <= test.pass_mark_percent <= 100:
        problems.append(_("The pass mark must be between 0 and 100%."))
    if test.max_attempts < 0:
        problems.append(_("The number of attempts cannot be negative (0 means unlimited)."))
    if not test.draw:
        problems.append(_("Add at least one draw rule."))
    return problems


def difficulty_values() -> list[str]:
    return [str(d) for d in Difficulty]
