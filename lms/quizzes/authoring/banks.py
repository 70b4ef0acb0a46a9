"""Question banks edited in the web interface: listing, creating, and adding, changing or retiring questions.

Banks and tests loaded from content/ (``from_content``) are read-only here: `flask lms content sync`
overwrites them, so every change is refused with a message saying to edit the files instead. A web bank
belongs to one organising body (see ownership.py). Keys are unique, and the stems of active questions
too, among the questions a bank's tests can draw together: the course's content banks and the body's web
banks. Every function flushes and never commits; rule breaks raise :class:`ProblemsFound` (a
RuleViolation) listing each problem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import yaml
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from lms.auth.models import User
from lms.courses.models import Course
from lms.errors import NotFound, RuleViolation
from lms.quizzes.authoring.feasibility import draw_rule_problems
from lms.quizzes.authoring.formats.yaml_fields import load_yaml
from lms.quizzes.authoring.formats.yaml_questions import parse_question_dict
from lms.quizzes.authoring.formats.yaml_writing import answer_fields as answer_fields
from lms.quizzes.authoring.ownership import (
    banks_of_test,
    can_draw,
    drawable_banks,
    require_visible,
    visible_to,
)
from lms.quizzes.authoring.problems import BankFormatError, ImportProblem
from lms.quizzes.authoring.serialize import question_from_dict, question_to_dict, quiz_definition
from lms.quizzes.authoring.validation import fold_text, slug_key, unique_key
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

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class ProblemsFound(RuleViolation):
    """A change refused for one or more reasons; ``problems`` lists them (strings or ImportProblems)."""

    def __init__(self, problems: Sequence[object]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


def read_only_message() -> str:
    return _("This comes from the course's content files and is edited there (then run `flask lms content "
             "sync`); here it can only be viewed and exported.")


def require_editable(item: QuestionBank | Quiz) -> None:
    if item.from_content:
        raise RuleViolation(read_only_message())


# --------------------------------------------------------------------------- banks


@dataclass
class BankRow:
    bank: QuestionBank
    active: int
    retired: int


def list_banks(session: Session, course: Course, actor: User) -> list[BankRow]:
    """The banks of a course the actor may see (content first, then by title) with active and retired counts."""
    of_course = Question.bank_id.in_(select(QuestionBank.id).where(QuestionBank.course_id == course.id))
    counts = dict(session.execute(select(Question.bank_id, func.count())
                                  .where(of_course, Question.active).group_by(Question.bank_id)).all())
    retired = dict(session.execute(select(Question.bank_id, func.count())
                                   .where(of_course, ~Question.active).group_by(Question.bank_id)).all())
    banks = session.scalars(select(QuestionBank).where(QuestionBank.course_id == course.id,
                                                       visible_to(actor, QuestionBank))
                            .order_by(QuestionBank.from_content.desc(), QuestionBank.title, QuestionBank.slug))
    return [BankRow(bank, counts.get(bank.id, 0), retired.get(bank.id, 0)) for bank in banks]


def get_bank(session: Session, bank_id: int, actor: User) -> QuestionBank:
    """The bank, or 404 when it does not exist or belongs to another organising body."""
    return require_visible(actor, session.get(QuestionBank, bank_id))


def find_bank(session: Session, course: Course, slug: str) -> QuestionBank | None:
    return session.scalar(select(QuestionBank).where(QuestionBank.course_id == course.id, QuestionBank.slug == slug))


def create_bank(session: Session, course: Course, *, slug: str, title: str, body_id: int | None) -> QuestionBank:
    """A new web bank of an organising body (None: an administrator's); the slug is lowercase ASCII with dashes
    and unique within the course."""
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
    bank = QuestionBank(course_id=course.id, slug=slug, title=title, from_content=False,
                        organising_body_id=body_id)
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
    others = [row for row in scope_rows(session, bank_scope(bank), active_only=False) if row.id != exclude_id]
    if any(row.key == question.key for row in others):
        problems.append(_("Key '%(key)s' is already used in this course.", key=question.key))
    stem = fold_text(question.stem)
    same = next((row for row in others if row.active and fold_text(row.stem) == stem), None)
    if same is not None:
        problems.append(_("The same question text is already in this course (question '%(key)s').", key=same.key))
    return problems


def add_question(session: Session, bank: QuestionBank, question: QuestionData, *, now: datetime) -> Question:
    """A new active question in a web bank (key and stem unique in the course, module one of the course's)."""
    require_editable(bank)
    problems = _question_problems(session, bank, question)
    if problems:
        raise ProblemsFound(problems)
    row = new_question_row(bank, question, now)
    session.add(row)
    session.flush()
    return row


def update_question(session: Session, row: Question, question: QuestionData, *, now: datetime) -> Question:
    """Replace a question's content (its key stays); the version goes up when anything changed.

    Refused if it would leave a test of the course unable to draw its questions.
    """
    require_editable(row.bank)
    problems = [] if question.key == row.key else [_("The key of a question cannot be changed.")]
    problems += _question_problems(session, row.bank, question, exclude_id=row.id)
    if problems:
        raise ProblemsFound(problems)
    if row.active:
        _guard_tests(session, row.bank, row.id, question)
    payload = question_to_dict(question)
    if payload != row.data:
        row.version += 1
    row.type, row.module, row.tags = str(question.type), question.module, list(question.tags)
    row.difficulty, row.stem, row.data, row.updated_at = str(question.difficulty), question.stem, payload, now
    session.flush()
    return row


def retire_question(session: Session, row: Question, *, now: datetime) -> None:
    """Take a question out of future draws (attempts keep their snapshot); refused if a test needs it."""
    require_editable(row.bank)
    _guard_tests(session, row.bank, row.id, None)
    row.active, row.updated_at = False, now
    session.flush()


def restore_question(session: Session, row: Question, *, now: datetime) -> None:
    """Put a retired question back into draws, if its text is still unique among active questions."""
    require_editable(row.bank)
    problems = _question_problems(session, row.bank, question_from_dict(row.data), exclude_id=row.id)
    if problems:
        raise ProblemsFound(problems)
    row.active, row.updated_at = True, now
    session.flush()


def new_question_row(bank: QuestionBank, question: QuestionData, now: datetime) -> Question:
    return Question(bank_id=bank.id, key=question.key, type=str(question.type), module=question.module,
                    tags=list(question.tags), difficulty=str(question.difficulty), stem=question.stem,
                    data=question_to_dict(question), updated_at=now)


def bank_scope(bank: QuestionBank) -> ColumnElement[bool]:
    """The banks whose questions can be drawn together with this bank's: keys and stems are unique among them."""
    return drawable_banks(bank.course_id, bank.organising_body_id, content_only=bank.from_content)


def scope_rows(session: Session, where: ColumnElement[bool], *, active_only: bool = True) -> list[Question]:
    """The questions of the banks kept by ``where`` (an ownership clause), in id order."""
    query = select(Question).join(QuestionBank).where(where).order_by(Question.id)
    if active_only:
        query = query.where(Question.active)
    return list(session.scalars(query))


def scope_questions(session: Session, where: ColumnElement[bool]) -> list[QuestionData]:
    """The active questions of those banks: the pool a test of that scope draws from."""
    return [question_from_dict(row.data) for row in scope_rows(session, where)]


def _guard_tests(session: Session, bank: QuestionBank, row_id: int, replacement: QuestionData | None) -> None:
    """Refuse a change that would leave a test drawing from this bank short of questions."""
    problems = []
    for quiz in session.scalars(select(Quiz).where(Quiz.course_id == bank.course_id).order_by(Quiz.title)):
        if not can_draw(quiz, bank):
            continue
        pool = {row.id: question_from_dict(row.data) for row in scope_rows(session, banks_of_test(quiz))}
        after = {**pool, row_id: replacement} if replacement is not None else {
            k: v for k, v in pool.items() if k != row_id}
        test = quiz_definition(quiz)
        if draw_rule_problems(test, list(pool.values())):
            continue  # already short of questions: this change is not the cause
        for problem in draw_rule_problems(test, list(after.values())):
            problems.append(_("Test '%(title)s' would lack questions: %(problem)s", title=quiz.title,
                              problem=problem.message))
    if problems:
        raise ProblemsFound(problems)


# --------------------------------------------------------------------------- tests


def difficulty_values() -> list[str]:
    return [str(d) for d in Difficulty]
