"""Course rules: loading content into the database, who may study what, and lesson progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import Role, User
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.courses.content import CourseData, LessonData, ModuleData
from lms.courses.markdown import render_markdown
from lms.courses.models import Course, Lesson, LessonProgress, Module
from lms.errors import Forbidden, NotFound


@dataclass
class SyncReport:
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    unpublished: list[str]


def sync_courses(session: Session, courses: list[CourseData], *, asset_url, now: datetime) -> SyncReport:
    """Create or update every course by slug; courses gone from content/ are unpublished, not deleted."""
    report = SyncReport([], [], [], [])
    existing = {c.slug: c for c in session.scalars(select(Course).options(selectinload(Course.modules)))}
    for data in courses:
        course = existing.pop(data.slug, None)
        if course is not None and course.content_hash == data.content_hash and course.published:
            report.unchanged.append(data.slug)
            continue
        (report.updated if course else report.created).append(data.slug)
        if course is None:
            course = Course(slug=data.slug)
            session.add(course)
        _apply_course(course, data, asset_url=asset_url, now=now)
    for course in existing.values():
        if course.published:
            course.published = False
            report.unpublished.append(course.slug)
    session.flush()
    return report


def _apply_course(course: Course, data: CourseData, *, asset_url, now: datetime) -> None:
    course.title, course.title_en = data.title, data.title_en
    course.summary, course.summary_en = data.summary, data.summary_en
    course.audience, course.duration_hours, course.position = data.audience, data.duration_hours, data.position
    course.published, course.content_hash, course.updated_at = True, data.content_hash, now
    course.checked_on, course.basis = data.checked_on, list(data.basis)
    by_slug = {m.slug: m for m in course.modules}
    course.modules = [_apply_module(by_slug.get(m.slug) or Module(slug=m.slug), m, data.slug, asset_url) for m in data.modules]


def _apply_module(module: Module, data: ModuleData, course_slug: str, asset_url) -> Module:
    module.position, module.title, module.title_en = data.position, data.title, data.title_en
    module.summary, module.summary_en = data.summary, data.summary_en
    by_slug = {lesson.slug: lesson for lesson in module.lessons}
    module.lessons = [
        _apply_lesson(by_slug.get(ld.slug) or Lesson(slug=ld.slug), ld, course_slug, data.folder, asset_url)
        for ld in data.lessons
    ]
    return module


def _apply_lesson(lesson: Lesson, data: LessonData, course_slug: str, folder: str, asset_url) -> Lesson:
    def resolve(src: str) -> str:
        if "://" in src or src.startswith("/") or src.startswith("data:"):
            return src
        return asset_url(course_slug, f"{folder}/{src}")

    lesson.position, lesson.title, lesson.title_en = data.position, data.title, data.title_en
    lesson.duration_minutes = data.duration_minutes
    lesson.objectives, lesson.key_points, lesson.self_check = data.objectives, data.key_points, data.self_check
    lesson.body_html = render_markdown(data.body, resolve_image=resolve)
    return lesson


def published_courses(session: Session) -> list[Course]:
    return list(session.scalars(select(Course).where(Course.published).order_by(Course.position, Course.title)))


def get_course(session: Session, slug: str) -> Course:
    course = session.scalar(
        select(Course).where(Course.slug == slug, Course.published).options(
            selectinload(Course.modules).selectinload(Module.lessons)
        )
    )
    if course is None:
        raise NotFound()
    return course


def enrolled_course_ids(session: Session, user: User) -> set[int]:
    query = select(TrainingClass.course_id).join(Enrolment).where(Enrolment.user_id == user.id,
                                                                  Enrolment.status == EnrolmentStatus.ACTIVE)
    return set(session.scalars(query))


def can_study(session: Session, user: User, course: Course) -> bool:
    """Staff may open any course; a trainee only the courses of the classes they are enrolled in."""
    if not user.is_authenticated:
        return False
    if user.role != Role.TRAINEE:
        return True
    return course.id in enrolled_course_ids(session, user)


def require_study(session: Session, user: User, course: Course) -> None:
    if not can_study(session, user, course):
        from flask_babel import gettext as _

        raise Forbidden(_("You are not enrolled in this course. Ask your class organiser to enrol you."))


def find_lesson(course: Course, module_slug: str, lesson_slug: str) -> Lesson:
    for module in course.modules:
        if module.slug == module_slug:
            for lesson in module.lessons:
                if lesson.slug == lesson_slug:
                    return lesson
    raise NotFound()


def ordered_lessons(course: Course) -> list[Lesson]:
    return [lesson for module in course.modules for lesson in module.lessons]


def neighbours(course: Course, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after this one across module boundaries."""
    lessons = ordered_lessons(course)
    index = next(i for i, candidate in enumerate(lessons) if candidate.id == lesson.id)
    previous = lessons[index - 1] if index > 0 else None
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    return previous, following


def progress_by_lesson(session: Session, user: User, course: Course) -> dict[int, LessonProgress]:
    lesson_ids = [lesson.id for lesson in ordered_lessons(course)]
    if not lesson_ids:
        return {}
    rows = session.scalars(
        select(LessonProgress).where(LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(lesson_ids))
    )
    return {row.lesson_id: row for row in rows}


@dataclass
class CourseProgress:
    done: int
    total: int
    continue_lesson: Lesson | None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def course_progress(session: Session, user: User, course: Course) -> CourseProgress:
    """How many lessons are done and where to continue: the last lesson viewed if unfinished, else the next undone."""
    lessons = ordered_lessons(course)
    progress = progress_by_lesson(session, user, course)
    done = sum(1 for lesson in lessons if progress.get(lesson.id) and progress[lesson.id].completed_at)
    viewed = [progress[lesson.id] for lesson in lessons if lesson.id in progress]
    last = max(viewed, key=lambda row: row.last_viewed_at, default=None)
    resume = None
    if last is not None and last.completed_at is None:
        resume = next(lesson for lesson in lessons if lesson.id == last.lesson_id)
    if resume is None:
        start = lessons.index(next(lsn for lsn in lessons if lsn.id == last.lesson_id)) if last else 0
        after = lessons[start:] + lessons[:start]
        resume = next((lsn for lsn in after if not (progress.get(lsn.id) and progress[lsn.id].completed_at)), None)
    return CourseProgress(done=done, total=len(lessons), continue_lesson=resume)


def _progress_row(session: Session, user: User, lesson: Lesson, now: datetime) -> LessonProgress:
    row = session.scalar(
        select(LessonProgress).where(LessonProgress.user_id == user.id, LessonProgress.lesson_id == lesson.id)
    )
    if row is None:
        row = LessonProgress(user_id=user.id, lesson_id=lesson.id, first_viewed_at=now, last_viewed_at=now)
        session.add(row)
    return row


def record_view(session: Session, user: User, lesson: Lesson, *, now: datetime) -> LessonProgress:
    """Remember that the user opened the lesson now (for "continue where you left off")."""
    row = _progress_row(session, user, lesson, now)
    row.last_viewed_at = now
    session.flush()
    return row


def set_done(session: Session, user: User, lesson: Lesson, *, done: bool, now: datetime) -> LessonProgress:
    """Mark a lesson done (or not done again); marking twice keeps the first completion time."""
    row = _progress_row(session, user, lesson, now)
    if done and row.completed_at is None:
        row.completed_at = now
    elif not done:
        row.completed_at = None
    row.last_viewed_at = now
    session.flush()
    return row
