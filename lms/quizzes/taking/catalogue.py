"""Which tests a trainee can see and start: the openings of the classes they are enrolled in."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import User
from lms.classes.models import Enrolment, EnrolmentStatus
from lms.quizzes.models import AttemptState, Quiz, QuizOpening
from lms.quizzes.taking.attempts import attempts_allowed, attempts_of, close_if_overdue, counted_attempt, get_override
from lms.quizzes.taking.schemas import TestSummary

RECENT = timedelta(days=30)


def tests_for_trainee(session: Session, user: User, *, now: datetime, grace_seconds: float) -> list[TestSummary]:
    """Open and upcoming windows first, then those closed in the last 30 days; one entry per test."""
    openings = session.scalars(
        select(QuizOpening).join(Enrolment, Enrolment.class_id == QuizOpening.class_id)
        .where(Enrolment.user_id == user.id, Enrolment.status == EnrolmentStatus.ACTIVE,
               QuizOpening.closes_at > now - RECENT)
        .options(selectinload(QuizOpening.quiz).selectinload(Quiz.course), selectinload(QuizOpening.training_class))
        .order_by(QuizOpening.closes_at.desc())
    ).all()
    best: dict[int, QuizOpening] = {}
    for opening in openings:
        current = best.get(opening.quiz_id)
        if current is None or _rank(opening, now) < _rank(current, now):
            best[opening.quiz_id] = opening
    summaries = [_summary(session, user, opening, now, grace_seconds) for opening in best.values()]
    return sorted(summaries, key=lambda s: (not s.is_open, s.closes_at))


def _rank(opening: QuizOpening, now: datetime) -> int:
    if opening.opens_at <= now < opening.closes_at:
        return 0
    return 1 if opening.opens_at > now else 2


def _summary(session: Session, user: User, opening: QuizOpening, now: datetime, grace_seconds: float) -> TestSummary:
    quiz = opening.quiz
    attempts = attempts_of(session, quiz.id, user.id)
    for attempt in attempts:
        close_if_overdue(session, attempt, now=now, grace_seconds=grace_seconds)
    allowed = attempts_allowed(quiz, get_override(session, quiz.id, user.id))
    open_attempt = next((a for a in attempts if a.state == AttemptState.OPEN), None)
    is_open = opening.opens_at <= now < opening.closes_at
    counted = counted_attempt(attempts, quiz.attempt_policy)
    may_start = open_attempt is not None or (allowed is None or len(attempts) < allowed)
    return TestSummary(
        quiz_id=quiz.id, title=quiz.title, course_title=quiz.course.title, class_name=opening.training_class.name,
        opens_at=opening.opens_at, closes_at=opening.closes_at, is_open=is_open,
        time_limit_minutes=quiz.time_limit_minutes, question_count=sum(r["count"] for r in quiz.draw_rules),
        pass_mark_percent=quiz.pass_mark_percent, attempts_used=len(attempts), attempts_allowed=allowed,
        open_attempt_id=open_attempt.id if open_attempt else None, can_start=is_open and may_start,
        best_percent=counted.percent if counted and "score" in quiz.review_after_submit else None,
        passed=counted.passed if counted and "passed" in quiz.review_after_submit else None,
    )
