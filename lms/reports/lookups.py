"""What reports borrow from other packages: the certificate numbers issued to a class's trainees.

Attendance is not reported yet: the attendance records are built by another package, and its column is left
out of every report until they exist.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.certificates.models import Certificate


def certificate_numbers(session: Session, class_ids: list[int]) -> dict[tuple[int, int], str]:
    """(class id, trainee id) → the number of the trainee's current certificate of that class (neither revoked nor
    superseded)."""
    if not class_ids:
        return {}
    rows = session.execute(select(Certificate.class_id, Certificate.user_id, Certificate.number).where(
        Certificate.class_id.in_(class_ids), Certificate.current_key.is_not(None),
        Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None)))
    return {(class_id, user_id): number for class_id, user_id, number in rows}
