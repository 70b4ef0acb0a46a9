"""Question banks and tests of each course folder in content/: read from the files, then synced into the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.courses.models import Course
from lms.quizzes.authoring.feasibility import draw_rule_problems
from lms.quizzes.authoring.formats.yaml_questions import duplicate_problems, parse_bank
from lms.quizzes.authoring.formats.yaml_tests import parse_test_definition
from lms.quizzes.authoring.problems import BankFormatError
from lms.quizzes.authoring.quiz_editor import apply_test_definition
from lms.quizzes.authoring.serialize import question_to_dict
from lms.quizzes.authoring.test_definition import TestDefinition
from lms.quizzes.models import Question, QuestionBank, Quiz
from lms.quizzes.questions import QuestionData


@dataclass
class CourseQuizzes:
    course_slug: str
    banks: dict[str, list[QuestionData]] = field(default_factory=dict)  # module slug → questions
    tests: list[TestDefinition] = field(default_factory=list)


def read_course_quizzes(course_dir: Path, content_root: Path, module_slugs: set[str]) -> tuple[CourseQuizzes, list[str]]:
    """Parse questions/*.yaml and tests/*.yaml of one course; returns the data and `file:line: message` problems."""
    found = CourseQuizzes(course_dir.name)
    problems: list[str] = []
    for path in sorted((course_dir / "questions").glob("*.yaml")):
        relative = str(path.relative_to(content_root))
        try:
            questions = parse_bank(path.read_text(encoding="utf-8-sig"), relative, require_source=True)
        except (BankFormatError, UnicodeDecodeError) as error:
            problems.extend(_lines(error, relative))
            continue
        if path.stem not in module_slugs:
            problems.append(f"{relative}:1: học phần '{path.stem}' không có trong khóa học")
        found.banks[path.stem] = questions
    problems += [str(p) for p in duplicate_problems(_bank_pairs(found, course_dir, content_root))]
    all_questions = [q for questions in found.banks.values() for q in questions]
    for path in sorted((course_dir / "tests").glob("*.yaml")):
        relative = str(path.relative_to(content_root))
        try:
            test = parse_test_definition(path.read_text(encoding="utf-8-sig"), relative)
        except (BankFormatError, UnicodeDecodeError) as error:
            problems.extend(_lines(error, relative))
            continue
        problems += [str(p) for p in draw_rule_problems(test, all_questions)]
        found.tests.append(test)
    return found, problems


def _bank_pairs(found: CourseQuizzes, course_dir: Path, root: Path):
    return [(str((course_dir / "questions" / f"{slug}.yaml").relative_to(root)), questions)
            for slug, questions in found.banks.items()]


def _lines(error: Exception, relative: str) -> list[str]:
    if isinstance(error, BankFormatError):
        return [str(problem) for problem in error.problems]
    return [f"{relative}:1: tệp không phải UTF-8"]


def sync_course_quizzes(session: Session, course: Course, found: CourseQuizzes, *, now: datetime) -> None:
    """Upsert the course's content banks and tests by slug/key; questions gone from the files are retired."""
    banks = {b.slug: b for b in session.scalars(select(QuestionBank).where(QuestionBank.course_id == course.id))}
    for slug, questions in found.banks.items():
        bank = banks.get(slug) or QuestionBank(course_id=course.id, slug=slug, title=slug, from_content=True)
        session.add(bank)
        session.flush()
        _sync_questions(session, bank, questions, now=now)
    for slug, bank in banks.items():
        if bank.from_content and slug not in found.banks:
            _sync_questions(session, bank, [], now=now)
    for test in found.tests:
        _sync_quiz(session, course, test, now=now)
    session.flush()


def _sync_questions(session: Session, bank: QuestionBank, questions: list[QuestionData], *, now: datetime) -> None:
    existing = {q.key: q for q in session.scalars(select(Question).where(Question.bank_id == bank.id))}
    for data in questions:
        stored = existing.pop(data.key, None)
        payload = question_to_dict(data)
        if stored is None:
            session.add(_new_question(bank, data, payload, now))
        elif stored.data != payload or not stored.active:
            _update_question(stored, data, payload, now)
    for retired in existing.values():
        retired.active = False


def _new_question(bank: QuestionBank, data: QuestionData, payload: dict, now: datetime) -> Question:
    return Question(bank_id=bank.id, key=data.key, type=str(data.type), module=data.module, tags=list(data.tags),
                    difficulty=str(data.difficulty), stem=data.stem, data=payload, updated_at=now)


def _update_question(stored: Question, data: QuestionData, payload: dict, now: datetime) -> None:
    if stored.data != payload:
        stored.version += 1
    stored.type, stored.module, stored.tags = str(data.type), data.module, list(data.tags)
    stored.difficulty, stored.stem, stored.data = str(data.difficulty), data.stem, payload
    stored.active, stored.updated_at = True, now


def _sync_quiz(session: Session, course: Course, test: TestDefinition, *, now: datetime) -> Quiz:
    quiz = session.scalar(select(Quiz).where(Quiz.course_id == course.id, Quiz.slug == test.slug))
    if quiz is None:
        quiz = Quiz(course_id=course.id, slug=test.slug, from_content=True)
        session.add(quiz)
    apply_test_definition(quiz, test, now=now)
    return quiz




