"""Who of the classes never started a test ("not sat") and the pass rate over every enrolled trainee."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import User
from lms.classes.models import Enrolment, TrainingClass
from lms.quizzes.models import Attempt, AttemptState, Quiz
from lms.quizzes.results.reports import ResultRow
from lms.quizzes.taking.attempts import current_opening
from lms.text import name_sort_key


@dataclass
class NotSat:
    user: User
    class_name: str


@dataclass
class ResultSummary:
    """Counts per trainee: those who sat (an attempt started), passed (their counted attempt) and never started."""

    enrolled: int
    sat: int
    passed: int
    not_sat: list[NotSat] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        """Passed over every enrolled trainee, so those who never sat count as not passed."""
        return 100 * self.passed / self.enrolled if self.enrolled else None


def summarise(session: Session, classes: list[TrainingClass], rows: list[ResultRow]) -> ResultSummary:
    """The summary of a results page: `rows` are the attempts shown, `classes` the classes they are drawn from."""
    enrolments = session.scalars(select(Enrolment).where(Enrolment.class_id.in_([c.id for c in classes]))
                                 .options(selectinload(Enrolment.user).selectinload(User.work_unit),
                                          selectinload(Enrolment.training_class))).all()
    first_class: dict[int, Enrolment] = {}
    for enrolment in enrolments:
        first_class.setdefault(enrolment.user_id, enrolment)
    sat = {row.user.id for row in rows}
    passed = {row.user.id for row in rows if row.counted and row.attempt.state == AttemptState.CLOSED
              and row.attempt.passed}
    not_sat = [NotSat(e.user, e.training_class.name) for user_id, e in first_class.items() if user_id not in sat]
    not_sat.sort(key=lambda item: (name_sort_key(item.user.full_name), item.user.id))
    # A trainee who sat and has since left the class still counts among those the rate is taken over.
    return ResultSummary(len(set(first_class) | sat), len(sat), len(passed), not_sat)


@dataclass
class CappedExtra:
    """Extra time asked for and the part the window's close leaves (in whole minutes)."""

    asked: int
    given: int
    closes_at: datetime


def capped_extra(session: Session, quiz: Quiz, trainee: User, *, extra_minutes: int, now: datetime,
                 ) -> CappedExtra | None:
    """Whether the window's close cuts the extra time: for an attempt in progress, else for one started now."""
    open_attempt = session.scalar(select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == trainee.id,
                                                        Attempt.state == AttemptState.OPEN))
    if open_attempt is not None:
        start, closes_at = open_attempt.started_at, open_attempt.opening.closes_at
    else:
        opening = current_opening(session, trainee, quiz, now)
        if opening is None:
            return None
        start, closes_at = now, opening.closes_at
    planned_end = start + timedelta(minutes=quiz.time_limit_minutes)
    if extra_minutes <= 0 or planned_end + timedelta(minutes=extra_minutes) <= closes_at:
        return None
    given = max(0, int((closes_at - planned_end).total_seconds() // 60))
    return CappedExtra(extra_minutes, min(given, extra_minutes), closes_at)
