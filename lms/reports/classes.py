"""The class report: every active trainee with work unit, attendance, score, pass / fail / not sat and certificate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import User
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.quizzes.models import Attempt, AttemptState, Quiz, QuizOpening
from lms.quizzes.taking.attempts import counted_attempt
from lms.reports.lookups import attendance, certificate_numbers
from lms.text import name_sort_key

PASSED, FAILED, NOT_SAT, IN_PROGRESS = "passed", "failed", "not_sat", "in_progress"


@dataclass
class TraineeLine:
    user: User
    unit: str
    result: str  # PASSED, FAILED, NOT_SAT or IN_PROGRESS
    score: float | None = None
    max_score: float | None = None
    percent: float | None = None
    certificate: str | None = None
    attendance: float | None = None  # percent of counted session time; None: nothing counted
    attendance_met: bool | None = None  # the class's attendance rule; None when the class records no attendance


@dataclass
class ClassReport:
    training_class: TrainingClass
    quiz: Quiz | None
    lines: list[TraineeLine] = field(default_factory=list)
    records_attendance: bool = False  # a session of the class has ended

    @property
    def enrolled(self) -> int:
        return len(self.lines)

    @property
    def sat(self) -> int:
        return sum(line.result != NOT_SAT for line in self.lines)

    @property
    def passed(self) -> int:
        return sum(line.result == PASSED for line in self.lines)

    @property
    def certified(self) -> int:
        return sum(line.certificate is not None for line in self.lines)

    @property
    def pass_rate(self) -> float | None:
        """Passed over every enrolled trainee: one who never sat counts as not passed."""
        return 100 * self.passed / self.enrolled if self.enrolled else None

    @property
    def certified_rate(self) -> float | None:
        return 100 * self.certified / self.enrolled if self.enrolled else None


def class_test(session: Session, training_class: TrainingClass) -> Quiz | None:
    """The class's end-of-course test: the one chosen in its settings, else the last one opened for it."""
    if training_class.quiz_id is not None:
        return session.get(Quiz, training_class.quiz_id)
    return session.scalar(select(Quiz).join(QuizOpening, QuizOpening.quiz_id == Quiz.id)
                          .where(QuizOpening.class_id == training_class.id)
                          .order_by(QuizOpening.opens_at.desc()).limit(1))


def class_reports(session: Session, classes: list[TrainingClass], *, now: datetime) -> list[ClassReport]:
    """One report per class, active trainees (withdrawn and pending ones left out) by given name in Vietnamese
    order; attendance as of `now`."""
    numbers = certificate_numbers(session, [c.id for c in classes])
    return [_report(session, training_class, numbers, now) for training_class in classes]


def _report(session: Session, training_class: TrainingClass, numbers: dict, now: datetime) -> ClassReport:
    quiz = class_test(session, training_class)
    enrolments = session.scalars(select(Enrolment).where(Enrolment.class_id == training_class.id,
                                                         Enrolment.status == EnrolmentStatus.ACTIVE)
                                 .options(selectinload(Enrolment.user).selectinload(User.work_unit))).all()
    attempts: dict[int, list[Attempt]] = {}
    if quiz is not None:
        for attempt in session.scalars(select(Attempt).join(QuizOpening).where(
                Attempt.quiz_id == quiz.id, QuizOpening.class_id == training_class.id,
                Attempt.state != AttemptState.READY)):
            attempts.setdefault(attempt.user_id, []).append(attempt)
    summaries = attendance(session, training_class, now)
    report = ClassReport(training_class, quiz, records_attendance=summaries is not None)
    for enrolment in enrolments:
        user = enrolment.user
        line = _line(user, attempts.get(user.id, []), quiz)
        line.certificate = numbers.get((training_class.id, user.id))
        summary = (summaries or {}).get(user.id)
        if summary is not None and summary.percent is not None:
            line.attendance, line.attendance_met = summary.percent, summary.meets_rule
        report.lines.append(line)
    report.lines.sort(key=lambda line: (name_sort_key(line.user.full_name), line.user.id))
    return report


def _line(user: User, mine: list[Attempt], quiz: Quiz | None) -> TraineeLine:
    unit = user.work_unit.name if user.work_unit else ""
    if not mine or quiz is None:
        return TraineeLine(user, unit, NOT_SAT)
    counted = counted_attempt(mine, quiz.attempt_policy)
    if counted is None:
        return TraineeLine(user, unit, IN_PROGRESS)
    return TraineeLine(user, unit, PASSED if counted.passed else FAILED, counted.score, counted.max_score,
                       counted.percent)
