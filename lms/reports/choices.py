"""The tests a report can be made on: those opened for the actor's classes, each with those classes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.auth.models import User
from lms.classes.models import TrainingClass
from lms.classes.services import visible_classes_query
from lms.quizzes.models import Quiz, QuizOpening
from lms.text import collation_key


@dataclass
class ReportTest:
    quiz: Quiz
    classes: list[TrainingClass]


def report_tests(session: Session, actor: User) -> list[ReportTest]:
    """Every test opened for at least one class the actor may see, by title; its classes by name."""
    classes = {c.id: c for c in session.scalars(visible_classes_query(actor))}
    pairs = session.execute(select(QuizOpening.quiz_id, QuizOpening.class_id)
                            .where(QuizOpening.class_id.in_(list(classes))).distinct()).all()
    by_quiz: dict[int, set[int]] = {}
    for quiz_id, class_id in pairs:
        by_quiz.setdefault(quiz_id, set()).add(class_id)
    quizzes = {q.id: q for q in session.scalars(select(Quiz).where(Quiz.id.in_(list(by_quiz))))}
    tests = [ReportTest(quizzes[quiz_id], sorted((classes[c] for c in class_ids),
                                                 key=lambda c: (collation_key(c.name), c.id)))
             for quiz_id, class_ids in by_quiz.items()]
    return sorted(tests, key=lambda t: collation_key(t.quiz.title))
