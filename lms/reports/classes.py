"""The class report: every trainee with work unit, score, pass / fail / not sat and certificate number."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import User
from lms.classes.models import Enrolment, TrainingClass
from lms.quizzes.models import Attempt, AttemptState, Quiz, QuizOpening
from lms.quizzes.taking.attempts import counted_attempt
from lms.reports.lookups import certificate_numbers
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


@dataclass
class ClassReport:
    training_class: TrainingClass
    quiz: Quiz | None
    lines: list[TraineeLine] = field(default_factory=list)

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


def class_reports(session: Session, classes: list[TrainingClass]) -> list[ClassReport]:
    """One report per class, trainees by given name in Vietnamese order."""
    numbers = certificate_numbers(session, [c.id for c in classes])
    return [_report(session, training_class, numbers) for training_class in classes]


def _report(session: Session, training_class: TrainingClass, numbers: dict) -> ClassReport:
    quiz = class_test(session, training_class)
    enrolments = session.scalars(select(Enrolment).where(Enrolment.class_id == training_class.id)
                                 .options(selectinload(Enrolment.user).selectinload(User.work_unit))).all()
    attempts: dict[int, list[Attempt]] = {}
    if quiz is not None:
        for attempt in session.scalars(select(Attempt).join(QuizOpening).where(
                Attempt.quiz_id == quiz.id, QuizOpening.class_id == training_class.id,
                Attempt.state != AttemptState.READY)):
            attempts.setdefault(attempt.user_id, []).append(attempt)
    report = ClassReport(training_class, quiz)
    for enrolment in enrolments:
        user = enrolment.user
        line = _line(user, attempts.get(user.id, []), quiz)
        line.certificate = numbers.get((training_class.id, user.id))
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
