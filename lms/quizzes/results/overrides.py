"""Extra time or extra attempts given to one trainee for one test."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.auth.models import User
from lms.errors import RuleViolation
from lms.quizzes.models import Attempt, AttemptState, Quiz, QuizOverride
from lms.quizzes.taking.attempts import get_override
from lms.quizzes.taking.deadlines import compute_deadline


def set_override(session: Session, quiz: Quiz, trainee: User, *, extra_minutes: int, extra_attempts: int,
                 reason: str, now: datetime) -> QuizOverride:
    """Give a trainee extra time or attempts; an attempt in progress gets the new deadline at once."""
    if not (0 <= extra_minutes <= 600 and 0 <= extra_attempts <= 20):
        raise RuleViolation(_("Extra time must be 0 to 600 minutes and extra attempts 0 to 20."))
    override = get_override(session, quiz.id, trainee.id)
    if override is None:
        override = QuizOverride(quiz_id=quiz.id, user_id=trainee.id)
        session.add(override)
    override.extra_minutes, override.extra_attempts = extra_minutes, extra_attempts
    override.reason, override.updated_at = reason.strip()[:255], now
    for attempt in session.scalars(select(Attempt).where(
            Attempt.quiz_id == quiz.id, Attempt.user_id == trainee.id, Attempt.state == AttemptState.OPEN)):
        attempt.deadline_at = max(now, compute_deadline(
            started_at=attempt.started_at, time_limit_minutes=quiz.time_limit_minutes,
            extra_minutes=extra_minutes, closes_at=attempt.opening.closes_at))
    session.flush()
    return override
