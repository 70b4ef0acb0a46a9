"""A class with the sample course's test opened now, and a trainee enrolled in it; an injected clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.auth.models import Role, User
from lms.classes.models import TrainingClass
from lms.db import utcnow
from lms.quizzes.models import Quiz, QuizOpening
from tests.factories import load_fixture_content, make_body, make_class, make_user


@dataclass
class Exam:
    quiz: Quiz
    opening: QuizOpening
    training_class: TrainingClass
    trainee: User
    other_trainee: User
    trainer: User
    organiser: User


@pytest.fixture
def exam(db_session) -> Exam:
    body = make_body(db_session)
    course = load_fixture_content(db_session)
    trainee = make_user(db_session, Role.TRAINEE, body=body, username="thi.sinh", full_name="Nguyễn Văn An")
    other = make_user(db_session, Role.TRAINEE, body=body, username="thi.sinh2", full_name="Lê Thị Bình")
    trainer = make_user(db_session, Role.TRAINER, body=body, username="giam.thi")
    organiser = make_user(db_session, Role.ORGANISER, body=body, username="to.chuc")
    training_class = make_class(db_session, body=body, course=course, trainers=[trainer], trainees=[trainee, other])
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    now = utcnow()
    opening = QuizOpening(quiz_id=quiz.id, class_id=training_class.id, opens_at=now - timedelta(minutes=5),
                          closes_at=now + timedelta(hours=2))
    db_session.add(opening)
    db_session.commit()
    return Exam(quiz, opening, training_class, trainee, other, trainer, organiser)


NOW = datetime(2030, 3, 11, 8, 0, tzinfo=UTC)


@dataclass
class Clock:
    """The injected clock: a fixed moment that only moves when a test moves it."""

    now: datetime

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def place_window(session, opening, now: datetime, *, before=timedelta(minutes=5), after=timedelta(hours=2)) -> None:
    """Put the fixture's window (made from the real clock) around the injected `now`."""
    opening.opens_at, opening.closes_at = now - before, now + after
    session.flush()


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def ex(exam, db_session, app_ctx, clock):
    """The fixture course test, its window placed around the injected clock (opened 5 min ago, closing in 2 h)."""
    place_window(db_session, exam.opening, clock.now)
    return exam
