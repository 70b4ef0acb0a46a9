"""Regrading a test's attempts after a key fix, with a dry run that shows each change first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import User
from lms.db import utcnow
from lms.quizzes.authoring.serialize import question_from_dict, same_structure
from lms.quizzes.models import Attempt, AttemptState, Question, Quiz
from lms.quizzes.results.access import visible_attempts_query
from lms.quizzes.signals import attempts_graded
from lms.quizzes.taking.attempts import grade_attempt


@dataclass
class RegradeChange:
    attempt: Attempt
    old_score: float | None
    new_score: float | None
    old_passed: bool | None
    new_passed: bool | None
    skipped_questions: list[int]


def regrade_quiz(session: Session, quiz: Quiz, *, dry_run: bool, actor: User | None = None,
                 now: datetime | None = None) -> list[RegradeChange]:
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
        # Handlers (automatic certificates) hear of attempts that pass now and did not before.
        newly_passed = [c.attempt for c in changes if c.new_passed and not c.old_passed]
        attempts_graded(session, newly_passed, now=now or utcnow())
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
