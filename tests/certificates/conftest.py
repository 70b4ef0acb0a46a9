"""A finished class of the sample course: its test taken (one pass, one fail, one not sat) and an injected clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.auth.models import Role, User
from lms.certificates.models import Certificate, IssueMode
from lms.certificates.records import issue_certificate
from lms.classes.models import TrainingClass
from lms.organisations.models import OrganisingBody
from lms.quizzes.models import Attempt, AttemptState, Quiz, QuizOpening
from tests.factories import load_fixture_content, make_body, make_class, make_unit, make_user

NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
SECRET = "test-secret-key"
BASE_URL = "https://lms.example.vn"


@dataclass
class Finished:
    body: OrganisingBody
    training_class: TrainingClass
    quiz: Quiz
    opening: QuizOpening
    passed: User
    failed: User
    absent: User
    organiser: User
    trainer: User


def sit(session, opening: QuizOpening, user: User, percent: float, *, number: int = 1,
        state: str = AttemptState.CLOSED) -> Attempt:
    """A graded attempt of 30 points at `percent`."""
    score = round(30 * percent / 100, 2)
    attempt = Attempt(quiz_id=opening.quiz_id, opening_id=opening.id, user_id=user.id, number=number, state=state,
                      started_at=NOW - timedelta(hours=2), deadline_at=NOW - timedelta(hours=1, minutes=30),
                      closed_at=NOW - timedelta(hours=1, minutes=40) if state == AttemptState.CLOSED else None,
                      seed=number, score=score, max_score=30, percent=percent,
                      passed=percent >= opening.quiz.pass_mark_percent if state == AttemptState.CLOSED else None)
    session.add(attempt)
    session.flush()
    return attempt


@pytest.fixture
def finished(db_session, app_ctx) -> Finished:
    body = make_body(db_session, "Sở Khoa học và Công nghệ tỉnh Tiền Giang")
    unit = make_unit(db_session, "UBND xã Tân Phước")
    course = load_fixture_content(db_session)
    passed = make_user(db_session, Role.TRAINEE, body=body, full_name="Nguyễn Thị Hương", work_unit_id=unit.id,
                       date_of_birth=date(1985, 4, 17))
    failed = make_user(db_session, Role.TRAINEE, body=body, full_name="Đặng Kim Lợi")
    absent = make_user(db_session, Role.TRAINEE, body=body, full_name="Trần Văn Út Tám")
    organiser = make_user(db_session, Role.ORGANISER, body=body)
    trainer = make_user(db_session, Role.TRAINER, body=body)
    training_class = make_class(db_session, body=body, course=course, trainers=[trainer],
                                trainees=[passed, failed, absent])
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == course.id).order_by(Quiz.id))
    quiz.pass_mark_percent = 70
    opening = QuizOpening(quiz_id=quiz.id, class_id=training_class.id, opens_at=NOW - timedelta(hours=3),
                          closes_at=NOW - timedelta(hours=1))
    db_session.add(opening)
    db_session.flush()
    sit(db_session, opening, passed, 80)
    sit(db_session, opening, failed, 62)
    return Finished(body, training_class, quiz, opening, passed, failed, absent, organiser, trainer)


def issue(db_session, finished: Finished, trainee: User | None = None, *, mode=IssueMode.BULK, reason="",
          now: datetime = NOW) -> Certificate:
    return issue_certificate(db_session, training_class=finished.training_class, trainee=trainee or finished.passed,
                             actor_id=finished.organiser.id, mode=mode, reason=reason, now=now, secret=SECRET,
                             base_url=BASE_URL)


@pytest.fixture(autouse=True)
def fresh_verify_limit(app):
    """Every test starts with the whole per-address allowance of public checks."""
    app.extensions["certificate_verify_limiter"].reset()
    yield
    app.extensions["certificate_verify_limiter"].reset()
