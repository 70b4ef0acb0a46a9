"""Loads everything under content/ into the database in one transaction, all or nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content_checks import check_content
from lms.courses.content import CourseData, read_courses_and_problems
from lms.courses.models import Course
from lms.courses.services import sync_courses
from lms.courses.views import asset_url
from lms.quizzes.authoring.content import CourseQuizzes, read_course_quizzes, sync_course_quizzes


class ContentSyncError(Exception):
    """Every problem found, one `file:line: message` per line."""


def sync_content(session: Session, content_dir: str, *, now: datetime) -> list[str]:
    """Parse all of content/ first; only if every file is valid, write it. Returns a report, line by line."""
    courses, quizzes = read_content(content_dir)
    checks = check_content(courses, quizzes)
    report = sync_courses(session, courses, asset_url=asset_url, now=now)
    by_slug = {c.slug: c for c in session.scalars(select(Course))}
    for found in quizzes:
        sync_course_quizzes(session, by_slug[found.course_slug], found, now=now)
    lines = [f"courses created: {', '.join(report.created) or '-'}", f"courses updated: {', '.join(report.updated) or '-'}",
             f"courses unchanged: {', '.join(report.unchanged) or '-'}"]
    if report.unpublished:
        lines.append(f"courses unpublished (gone from content/): {', '.join(report.unpublished)}")
    lines += [f"{q.course_slug}: {sum(len(b) for b in q.banks.values())} questions, {len(q.tests)} tests" for q in quizzes]
    lines += [f"{course.slug}: content checked on {course.checked_on:%d/%m/%Y}" for course in courses if course.checked_on]
    lines += [f"warning: {problem}" for problem in checks.problems] + [f"note: {note}" for note in checks.notes]
    return lines


def read_content(content_dir: str) -> tuple[list[CourseData], list[CourseQuizzes]]:
    """Everything parsed and checked, or ContentSyncError with every problem."""
    root = Path(content_dir)
    courses, problems = read_courses_and_problems(root)
    quizzes = []
    for course in courses:
        found, course_problems = read_course_quizzes(course.path, root, {m.slug for m in course.modules})
        problems += course_problems
        quizzes.append(found)
    if problems:
        raise ContentSyncError("\n".join(problems))
    return courses, quizzes
