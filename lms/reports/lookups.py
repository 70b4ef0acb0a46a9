"""What reports borrow from other packages: certificate numbers and each trainee's attendance under the rule.

Attendance comes from lms.classes.attendance.summary.attendance_summary, the function certificate eligibility
uses; a class with no ended session records no attendance and its column stays blank.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.certificates.models import Certificate
from lms.classes.attendance.summary import AttendanceSummary, attendance_summary
from lms.classes.models import TrainingClass
from lms.classes.sessions.models import ClassSession


def certificate_numbers(session: Session, class_ids: list[int]) -> dict[tuple[int, int], str]:
    """(class id, trainee id) → the number of the trainee's current certificate of that class (neither revoked nor
    superseded)."""
    if not class_ids:
        return {}
    rows = session.execute(select(Certificate.class_id, Certificate.user_id, Certificate.number).where(
        Certificate.class_id.in_(class_ids), Certificate.current_key.is_not(None),
        Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None)))
    return {(class_id, user_id): number for class_id, user_id, number in rows}


def attendance(session: Session, training_class: TrainingClass, now: datetime) -> dict[int, AttendanceSummary] | None:
    """Each active trainee's attendance summary, or None when the class has no session ended by `now` (the class
    records no attendance: the report leaves the column blank rather than showing 0)."""
    ended = session.scalar(select(ClassSession.id).where(ClassSession.class_id == training_class.id,
                                                         ClassSession.ends_at <= now).limit(1))
    if ended is None:
        return None
    return attendance_summary(session, training_class, now)
