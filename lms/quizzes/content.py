"""Reads the question banks and test definitions of each course folder in content/ (no database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lms.quizzes.bank_errors import BankFormatError
from lms.quizzes.bank_yaml import draw_rule_problems, duplicate_problems, parse_bank, parse_test_definition
from lms.quizzes.questions import QuestionData
from lms.quizzes.test_definition import TestDefinition


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
