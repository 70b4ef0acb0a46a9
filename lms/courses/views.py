"""Catalogue, course outline, lesson pages and progress."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user

from lms.courses import services
from lms.courses.self_check import self_checks
from lms.db import get_session, utcnow
from lms.security import login_required

bp = Blueprint("courses", __name__, template_folder="templates")
ASSET_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


@bp.get("/")
def catalogue():
    session = get_session()
    courses = services.published_courses(session)
    progress, enrolled = {}, set()
    if current_user.is_authenticated:
        enrolled = services.enrolled_course_ids(session, current_user)
        progress = {
            c.id: services.course_progress(session, current_user, services.get_course(session, c.slug))
            for c in courses
            if services.can_study(session, current_user, c)
        }
    return render_template("courses/catalogue.html", courses=courses, progress=progress, enrolled=enrolled)


@bp.get("/courses/<slug>")
def outline(slug: str):
    session = get_session()
    course = services.get_course(session, slug)
    can_study = current_user.is_authenticated and services.can_study(session, current_user, course)
    progress = services.progress_by_lesson(session, current_user, course) if can_study else {}
    summary = services.course_progress(session, current_user, course) if can_study else None
    return render_template(
        "courses/outline.html", course=course, can_study=can_study, progress=progress, summary=summary
    )


@bp.get("/courses/<slug>/continue")
@login_required
def continue_course(slug: str):
    session = get_session()
    course = services.get_course(session, slug)
    services.require_study(session, current_user, course)
    lesson = services.course_progress(session, current_user, course).continue_lesson
    if lesson is None:
        return redirect(url_for("courses.outline", slug=slug))
    return redirect(_lesson_url(course, lesson))


def _lesson_url(course, lesson) -> str:
    return url_for("courses.lesson", slug=course.slug, module_slug=lesson.module.slug, lesson_slug=lesson.slug)


@bp.get("/courses/<slug>/<module_slug>/<lesson_slug>")
@login_required
def lesson(slug: str, module_slug: str, lesson_slug: str):
    session = get_session()
    course = services.get_course(session, slug)
    services.require_study(session, current_user, course)
    current = services.find_lesson(course, module_slug, lesson_slug)
    row = services.record_view(session, current_user, current, now=utcnow())
    session.commit()
    previous, following = services.neighbours(course, current)
    return render_template(
        "courses/lesson.html", course=course, lesson=current, done=row.completed_at is not None,
        previous=previous, following=following, lesson_url=_lesson_url,
        checks=self_checks(current.id, current.self_check or []),
        summary=services.course_progress(session, current_user, course),
    )


@bp.post("/courses/<slug>/<module_slug>/<lesson_slug>/done")
@login_required
def mark_done(slug: str, module_slug: str, lesson_slug: str):
    session = get_session()
    course = services.get_course(session, slug)
    services.require_study(session, current_user, course)
    current = services.find_lesson(course, module_slug, lesson_slug)
    done = request.form.get("done", "1") == "1"
    services.set_done(session, current_user, current, done=done, now=utcnow())
    session.commit()
    _previous, following = services.neighbours(course, current)
    if done and following is not None and request.form.get("go_next") == "1":
        return redirect(_lesson_url(course, following))
    return redirect(_lesson_url(course, current))


@bp.get("/courses/<slug>/assets/<path:filename>")
def asset(slug: str, filename: str):
    """Images beside the lessons; SVGs are sent with a policy that forbids any script in them."""
    if Path(filename).suffix.lower() not in ASSET_TYPES:
        abort(404)
    services.get_course(get_session(), slug)
    folder = Path(current_app.config["CONTENT_DIR"]) / "courses" / slug
    response = send_from_directory(folder, filename, max_age=3600)
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"
    return response


def asset_url(course_slug: str, filename: str) -> str:
    return f"/courses/{course_slug}/assets/{filename}"
