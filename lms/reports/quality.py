"""Test quality across classes: each question's facility in every class, sharp differences flagged.

A question whose facility differs sharply between classes may have leaked or be badly translated. The
statistics are those of lms/quizzes/results (itemstats), computed class by class.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from lms.auth.models import User
from lms.classes.models import TrainingClass
from lms.quizzes.models import Question, Quiz
from lms.quizzes.results.reports import question_statistics

SPREAD_FLAG = 0.30  # facility differing by 30 points or more between two classes
MIN_ATTEMPTS_PER_CLASS = 5  # a class with fewer closed attempts is shown but not used to flag


@dataclass
class QuestionAcrossClasses:
    question: Question
    facility: dict[int, float | None] = field(default_factory=dict)  # class id → facility (0..1)
    attempts: dict[int, int] = field(default_factory=dict)  # class id → attempts that drew the question

    @property
    def spread(self) -> float | None:
        values = [v for class_id, v in self.facility.items()
                  if v is not None and self.attempts.get(class_id, 0) >= MIN_ATTEMPTS_PER_CLASS]
        return max(values) - min(values) if len(values) >= 2 else None

    @property
    def flagged(self) -> bool:
        return self.spread is not None and self.spread >= SPREAD_FLAG


@dataclass
class QualityReport:
    quiz: Quiz
    classes: list[TrainingClass]
    attempts: dict[int, int]  # class id → closed attempts
    questions: list[QuestionAcrossClasses]

    @property
    def flagged(self) -> list[QuestionAcrossClasses]:
        return [q for q in self.questions if q.flagged]


def quality_report(session: Session, actor: User, quiz: Quiz, classes: list[TrainingClass]) -> QualityReport:
    """Facility per question per class over the classes' closed attempts; flagged questions first."""
    by_question: dict[int, QuestionAcrossClasses] = {}
    attempts: dict[int, int] = {}
    for training_class in classes:
        count, rows = question_statistics(session, actor, quiz, training_class)
        attempts[training_class.id] = count
        for row in rows:
            entry = by_question.setdefault(row.question.id, QuestionAcrossClasses(row.question))
            entry.facility[training_class.id] = row.stats.facility
            entry.attempts[training_class.id] = row.stats.n
    questions = sorted(by_question.values(), key=lambda q: (not q.flagged, -(q.spread or 0), q.question.key))
    return QualityReport(quiz, [c for c in classes if attempts.get(c.id)], attempts, questions)
