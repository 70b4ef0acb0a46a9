"""Editorial checks over all of content/: currency, drawability, cross-course near-duplicates, facts behind tests.

Run by `flask lms content sync` (reported as warnings) and enforced by tests/content (failures).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from lms.config import ROOT
from lms.courses.content import CourseData
from lms.courses.fact_sheet import FactSheet
from lms.quizzes.authoring.content import CourseQuizzes
from lms.quizzes.questions import QuestionData
from lms.quizzes.taking.selection import rule_matches

SIMILARITY_THRESHOLD = 0.6  # word-sequence likeness above which, two questions of different courses count as the same question
SYLLABUS = ROOT.parent / "shared" / "SYLLABUS.md"


@dataclass(frozen=True)
class CheckReport:
    problems: list[str]
    notes: list[str]


def check_content(courses: list[CourseData], quizzes: list[CourseQuizzes], *,
                  syllabus: Path | None = SYLLABUS) -> CheckReport:
    """Every editorial problem of the content (empty when it is clean) and notes on checks that were skipped."""
    problems = currency_problems(courses)
    for found in quizzes:
        problems += undrawable_problems(found)
    problems += similar_question_problems(quizzes)
    notes = []
    if syllabus is not None and syllabus.is_file():
        problems += fact_problems(quizzes, FactSheet.read(syllabus))
    else:
        reason = f"không kiểm tra dữ kiện: không có {syllabus}" if syllabus else "không kiểm tra dữ kiện"
        (problems if os.environ.get("CI") else notes).append(reason)
    return CheckReport(problems, notes)


def currency_problems(courses: Iterable[CourseData]) -> list[str]:
    """A course must say when its content was last checked and what it rests on."""
    problems = []
    for course in courses:
        if course.checked_on is None:
            problems.append(f"{course.slug}/course.yaml: thiếu 'checked_on' (ngày rà soát nội dung gần nhất)")
        if not course.basis:
            problems.append(f"{course.slug}/course.yaml: thiếu 'basis' (phiên bản tiêu chuẩn, văn bản làm căn cứ)")
    return problems


def _questions(found: CourseQuizzes) -> list[QuestionData]:
    return [q for bank in found.banks.values() for q in bank]


def undrawable_problems(found: CourseQuizzes) -> list[str]:
    """A question that no draw rule of any test of its course can pick never reaches a trainee."""
    rules = [rule for test in found.tests for rule in test.draw]
    return [f"{found.course_slug}: câu {q.key} ({q.module}, {q.difficulty}) không quy tắc rút câu nào rút được"
            for q in _questions(found) if not any(rule_matches(rule, q) for rule in rules)]


SELECT_ALL = "(Chọn tất cả phương án đúng.)"  # the one select-all instruction: shared wording, not shared content


def _plain(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", text.replace(SELECT_ALL, "").lower()))


def _full_text(question: QuestionData) -> tuple[str, ...]:
    parts = [question.stem, *(o.text for o in question.options if o.correct), *question.order_items,
             *(f"{p.left} {p.right}" for p in question.pairs)]
    return _plain(" ".join(parts))


def similarity(a: QuestionData, b: QuestionData) -> float:
    """0..1: the closer of the two stems and of the two stems with their right answers."""
    return max(_ratio(_plain(a.stem), _plain(b.stem)), _ratio(_full_text(a), _full_text(b)))


def _ratio(a: tuple[str, ...], b: tuple[str, ...], floor: float = 0.0) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() <= floor or matcher.quick_ratio() <= floor:
        return 0.0  # cannot reach the floor: skip the slow exact ratio
    return matcher.ratio()


def similar_question_problems(quizzes: list[CourseQuizzes], threshold: float = SIMILARITY_THRESHOLD) -> list[str]:
    """Pairs of questions from different courses that a trainee taking both would meet twice."""
    problems = []
    texts = {id(q): (_plain(q.stem), _full_text(q)) for found in quizzes for q in _questions(found)}
    for first, second in itertools.combinations(quizzes, 2):
        for a, b in itertools.product(_questions(first), _questions(second)):
            (stem_a, full_a), (stem_b, full_b) = texts[id(a)], texts[id(b)]
            score = max(_ratio(stem_a, stem_b, threshold), _ratio(full_a, full_b, threshold))
            if score > threshold:
                problems.append(f"{a.key} ({first.course_slug}) và {b.key} ({second.course_slug}) gần như trùng "
                                f"nhau (độ giống {score:.2f} > {threshold}): mỗi khóa cần hỏi ở cấp độ của mình")
    return problems


def fact_problems(quizzes: list[CourseQuizzes], sheet: FactSheet) -> list[str]:
    """A test question may rest only on [V] facts of SYLLABUS.md, and its source must name them."""
    problems = []
    for found in quizzes:
        for question in _questions(found):
            if not question.source.startswith("SYLLABUS"):
                problems.append(f"{found.course_slug}: câu {question.key}: nguồn phải bắt đầu bằng 'SYLLABUS FS…'")
                continue
            for lookup in sheet.lookup(question.source):
                if lookup.mark is None:
                    problems.append(f"{found.course_slug}: câu {question.key}: '{lookup.reference}': {lookup.problem}")
                elif lookup.mark != "V":
                    problems.append(f"{found.course_slug}: câu {question.key}: '{lookup.reference}' là dữ kiện "
                                    f"[{lookup.mark}], không được dùng cho câu hỏi kiểm tra")
    return problems
