"""Loads everything under content/ into the database in one transaction, all or nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from lms.courses.content import ContentError, read_all_courses
from lms.courses.services import sync_courses
from lms.courses.views import asset_url


class ContentSyncError(Exception):
    """Every problem found, one `file:line: message` per line."""


def sync_content(session: Session, content_dir: str, *, now: datetime) -> list[str]:
    """Parse all of content/ first; only if every file is valid, write it. Returns a report, line by line."""
    try:
        courses = read_all_courses(content_dir)
    except ContentError as error:
        raise ContentSyncError(str(error)) from error
    report = sync_courses(session, courses, asset_url=asset_url, now=now)
    lines = [f"courses created: {', '.join(report.created) or '-'}", f"courses updated: {', '.join(report.updated) or '-'}",
             f"courses unchanged: {', '.join(report.unchanged) or '-'}"]
    if report.unpublished:
        lines.append(f"courses unpublished (gone from content/): {', '.join(report.unpublished)}")
    return lines
