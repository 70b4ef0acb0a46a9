"""A class whose test was sat (one passed, one failed, one not yet), its staff and a second body's people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from lms.auth.models import Role, User
from lms.certificates.models import Certificate, IssueMode
from lms.certificates.records import issue_certificate
from lms.classes.models import TrainingClass
from lms.db import utcnow
from lms.quizzes.authoring.serialize import question_from_dict
from lms.quizzes.models import Attempt, Quiz, QuizOpening
from lms.quizzes.presentation import PresentedQuestion
from lms.quizzes.taking.attempts import AnswerSave, ClientInfo, save_answers, start_attempt, submit_attempt
from lms.quizzes.taking.grading import correct_answer_public
from tests.factories import load_fixture_content, make_body, make_class, make_user

CLIENT = ClientInfo(address="203.0.113.9", user_agent="pytest")


@dataclass
class CertClass:
    training_class: TrainingClass
    quiz: Quiz
    opening: QuizOpening
    users: dict[str, User]

    @property
    def passer(self) -> User:
        return self.users["trainee"]


def sit(app, session, quiz: Quiz, user: User, *, right: bool, now=None, submit: bool = True) -> Attempt:
    """Start, answer every question right (or none at all) and submit the attempt (or leave it open)."""
    now = now or utcnow()
    with app.test_request_context():
        attempt = start_attempt(session, user, quiz, now=now, client=CLIENT, grace_seconds=10)
        if right:
            saves = [AnswerSave(item.position, _answer(item), seq=index)
                     for index, item in enumerate(attempt.questions, start=1)]
            save_answers(session, attempt, saves, now=now, grace_seconds=10, client=CLIENT, contact_seconds=60)
        if submit:
            submit_attempt(session, attempt, now=now, client=CLIENT, grace_seconds=10)
    session.commit()
    return attempt


def _answer(item) -> dict:
    key = correct_answer_public(question_from_dict(item.snapshot), PresentedQuestion.from_storage_dict(item.presentation))
    if "texts" in key:
        return {"text": key["texts"][0]}
    if "ranges" in key:
        return {"text": f"{key['ranges'][0]['min']:g}"}
    return key


@pytest.fixture
def cert_class(app, db_session) -> CertClass:
    body, far_body = make_body(db_session, "Sở KH&CN Thái Nguyên"), make_body(db_session, "Trung tâm QTC")
    course = load_fixture_content(db_session)
    users = {
        "admin": make_user(db_session, Role.ADMIN, username="qt.cc"),
        "organiser": make_user(db_session, Role.ORGANISER, body=body, username="btc.cc"),
        "other_organiser": make_user(db_session, Role.ORGANISER, body=far_body, username="btc.xa"),
        "trainer": make_user(db_session, Role.TRAINER, body=body, username="gv.cc"),
        "other_trainer": make_user(db_session, Role.TRAINER, body=body, username="gv.khac"),
        "far_trainer": make_user(db_session, Role.TRAINER, body=far_body, username="gv.xa"),
        "trainee": make_user(db_session, Role.TRAINEE, body=body, username="hv.dau", full_name="Nguyễn Thị Hương"),
        "failer": make_user(db_session, Role.TRAINEE, body=body, username="hv.truot", full_name="Đặng Kim Lợi"),
        "absent": make_user(db_session, Role.TRAINEE, body=body, username="hv.vang", full_name="Trần Văn Út Tám"),
        "far_trainee": make_user(db_session, Role.TRAINEE, body=far_body, username="hv.xa"),
    }
    training_class = make_class(db_session, body=body, course=course, trainers=[users["trainer"]],
                                trainees=[users["trainee"], users["failer"], users["absent"]])
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    now = utcnow()
    opening = QuizOpening(quiz_id=quiz.id, class_id=training_class.id, opens_at=now - timedelta(minutes=5),
                          closes_at=now + timedelta(hours=2))
    db_session.add(opening)
    db_session.commit()
    return CertClass(training_class, quiz, opening, users)


@pytest.fixture
def sat(app, db_session, cert_class) -> CertClass:
    """The class after the test: the trainee passed, the failer failed, the absent one never sat it."""
    sit(app, db_session, cert_class.quiz, cert_class.users["trainee"], right=True)
    sit(app, db_session, cert_class.quiz, cert_class.users["failer"], right=False)
    return cert_class


@dataclass
class Clock:
    """The injected clock: a fixed moment that moves only when the test moves it; calling it reads it."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def certificates_of(session, cert_class: CertClass) -> list[Certificate]:
    return list(session.scalars(select(Certificate).where(Certificate.class_id == cert_class.training_class.id)
                                .order_by(Certificate.id)))


def issue_to(app, session, cert_class: CertClass, user: User, *, mode: str = IssueMode.SINGLE,
             reason: str = "") -> Certificate:
    with app.test_request_context():
        certificate = issue_certificate(session, training_class=cert_class.training_class, trainee=user,
                                        actor_id=cert_class.users["organiser"].id, mode=mode, reason=reason,
                                        now=utcnow(), secret=app.config["SECRET_KEY"],
                                        base_url=app.config["PUBLIC_BASE_URL"])
    session.commit()
    return certificate
