"""Staff side of tests: results per test, extra time or attempts for one trainee, regrading after a key fix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import Role, User
from lms.classes.models import TrainingClass, class_trainers
from lms.errors import Forbidden, RuleViolation
from lms.quizzes.attempts import compute_deadline, get_override, grade_attempt
from lms.quizzes.models import Attempt, AttemptState, Question, Quiz, QuizOpening, QuizOverride
from lms.quizzes.serialize import question_from_dict, same_structure


def visible_attempts_query(actor: User, quiz: Quiz):
    """Attempts of the classes the actor may see: admin all, organiser their body's, trainer their classes'."""
    query = (select(Attempt).join(QuizOpening).join(TrainingClass, TrainingClass.id == QuizOpening.class_id)
             .where(Attempt.quiz_id == quiz.id, Attempt.state != AttemptState.READY)
             .options(selectinload(Attempt.user)))
    if actor.role == Role.ADMIN:
        return query
    if actor.role == Role.ORGANISER:
        return query.where(TrainingClass.organising_body_id == actor.organising_body_id)
    if actor.role == Role.TRAINER:
        return query.join(class_trainers, class_trainers.c.class_id == TrainingClass.id).where(
            class_trainers.c.user_id == actor.id)
    raise Forbidden()


def list_attempts(session: Session, actor: User, quiz: Quiz) -> list[Attempt]:
    return list(session.scalars(visible_attempts_query(actor, quiz).order_by(Attempt.started_at)))


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


@dataclass
class RegradeChange:
    attempt: Attempt
    old_score: float | None
    new_score: float | None
    old_passed: bool | None
    new_passed: bool | None
    skipped_questions: list[int]


def regrade_quiz(session: Session, quiz: Quiz, *, dry_run: bool, actor: User | None = None) -> list[RegradeChange]:
    """Grade closed attempts again with the questions as they are now; with dry_run nothing is kept.

    With an actor, only the attempts that actor may see are regraded (an organiser never changes another
    body's results). A question whose shape changed (options added or removed) cannot be regraded against
    what was shown, so it keeps its old grade and is listed as skipped.
    """
    query = visible_attempts_query(actor, quiz) if actor is not None else select(Attempt).where(
        Attempt.quiz_id == quiz.id)
    attempts = session.scalars(query.where(Attempt.state == AttemptState.CLOSED)
                               .options(selectinload(Attempt.questions))).all()
    current = {q.id: q.data for q in session.scalars(select(Question).where(
        Question.id.in_({item.question_id for a in attempts for item in a.questions})))}
    changes = []
    with session.no_autoflush:
        for attempt in attempts:
            change = _regrade_one(attempt, current)
            if change.old_score != change.new_score or change.old_passed != change.new_passed or change.skipped_questions:
                changes.append(change)
        if dry_run:
            # Nothing was flushed: expiring drops the recomputed grades and reloads the stored ones.
            for attempt in attempts:
                for item in attempt.questions:
                    session.expire(item)
                session.expire(attempt)
    if not dry_run:
        session.flush()
    return changes


def _regrade_one(attempt: Attempt, current: dict[int, dict]) -> RegradeChange:
    old_score, old_passed = attempt.score, attempt.passed
    usable, skipped = {}, []
    for item in attempt.questions:
        data = current.get(item.question_id)
        if data is not None and same_structure(question_from_dict(item.snapshot), question_from_dict(data)):
            usable[item.question_id] = data
        else:
            skipped.append(item.position)
    for item in attempt.questions:
        if item.question_id in usable:
            item.snapshot = usable[item.question_id]
    grade_attempt(attempt)
    return RegradeChange(attempt, old_score, attempt.score, old_passed, attempt.passed, skipped)
