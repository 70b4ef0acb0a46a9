"""A fixture programme: two classes of one body (one before 1 July 2025), five trainees in a unit tree with a
former district, hand-set scores and two certificates; a second body's class beside it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms.auth.models import Role, User
from lms.certificates.models import Certificate
from lms.classes.models import TrainingClass
from lms.db import utcnow
from lms.quizzes.models import Quiz, QuizOpening
from tests.factories import load_fixture_content, make_body, make_class, make_unit, make_user
from tests.quizzes.results.test_views import take


@dataclass
class Programme:
    quiz: Quiz
    old_class: TrainingClass  # 10/06/2025: counted by former district too
    new_class: TrainingClass  # 02/11/2026
    far_class: TrainingClass  # another body's
    users: dict[str, User]


def _certificate(session, training_class, user, number: str) -> None:
    session.add(Certificate(
        organising_body_id=training_class.organising_body_id, class_id=training_class.id, user_id=user.id,
        number=number, register_no=number, sequence=1, verification_code=secrets.token_urlsafe(16),
        current_key=f"{training_class.id}:{user.id}", holder_name=user.full_name, course_title="Khóa mẫu",
        class_name=training_class.name, body_name="Sở KH&CN", issued_on=date(2026, 11, 5), key_id="k",
        signature="s"))


def _score(attempt, score: float, passed: bool) -> None:
    attempt.score, attempt.percent, attempt.passed = score, 100 * score / attempt.max_score, passed


@pytest.fixture
def programme(app, db_session) -> Programme:
    body, other_body = make_body(db_session, "Sở Khoa học và Công nghệ tỉnh Đồng Nai"), make_body(db_session)
    body.address = "Số 1 đường Đồng Khởi, phường Tam Hiệp"
    course = load_fixture_content(db_session)
    province = make_unit(db_session, name="Tỉnh Đồng Nai", kind="province")
    district = make_unit(db_session, name="Huyện Long Thành", kind="district", parent_id=province.id,
                         valid_to=date(2025, 7, 1))
    commune = make_unit(db_session, name="Xã An Phước", kind="commune", parent_id=district.id)
    ward = make_unit(db_session, name="Phường Bến Thành", kind="ward", parent_id=province.id)
    department = make_unit(db_session, name="Sở Nội vụ", kind="department", parent_id=province.id)
    people = [("an", "Nguyễn Văn An", commune), ("binh", "Lê Thị Bình", ward), ("cuong", "Trần Văn Cường", department),
              ("dung", "Phạm Thị Dung", commune), ("em", "Hoàng Văn Em", None)]
    users = {key: make_user(db_session, Role.TRAINEE, body=body, username=f"bc.{key}", full_name=name,
                            work_unit_id=unit.id if unit else None) for key, name, unit in people}
    users["organiser"] = make_user(db_session, Role.ORGANISER, body=body, username="bc.btc")
    users["trainer"] = make_user(db_session, Role.TRAINER, body=body, username="bc.gv")
    users["other_trainer"] = make_user(db_session, Role.TRAINER, body=body, username="bc.gv2")
    users["other_organiser"] = make_user(db_session, Role.ORGANISER, body=other_body, username="bc.btc2")
    users["far_trainer"] = make_user(db_session, Role.TRAINER, body=other_body, username="bc.gv3")
    users["far_trainee"] = make_user(db_session, Role.TRAINEE, body=other_body, username="bc.hv3",
                                     full_name="Võ Minh Giang")
    users["admin"] = make_user(db_session, Role.ADMIN, username="bc.qt")
    old_class = make_class(db_session, body=body, course=course, trainers=[users["trainer"]],
                           trainees=[users["an"], users["binh"], users["cuong"]])
    new_class = make_class(db_session, body=body, course=course, trainers=[users["other_trainer"]],
                           trainees=[users["dung"], users["em"]])
    far_class = make_class(db_session, body=other_body, course=course, trainers=[users["far_trainer"]],
                           trainees=[users["far_trainee"]])
    old_class.name, old_class.starts_on, old_class.ends_on = "Lớp Long Thành 2025", date(2025, 6, 10), date(2025, 6, 11)
    new_class.name, new_class.starts_on = "Lớp Đồng Nai 2026", date(2026, 11, 2)
    far_class.name, far_class.starts_on = "Lớp của Sở khác", date(2026, 11, 2)
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    now = utcnow()
    for training_class in (old_class, new_class, far_class):
        db_session.add(QuizOpening(quiz_id=quiz.id, class_id=training_class.id, opens_at=now - timedelta(minutes=5),
                                   closes_at=now + timedelta(hours=2)))
    db_session.commit()
    exam = SimpleNamespace(quiz=quiz)
    for key, score, passed in (("an", 8, True), ("binh", 4, False), ("dung", 6, True), ("em", 7.5, True)):
        _score(take(app, db_session, exam, users[key]), score, passed)
    _score(take(app, db_session, exam, users["far_trainee"]), 8, True)
    _certificate(db_session, old_class, users["an"], "ISO-2025-0001")
    _certificate(db_session, new_class, users["dung"], "ISO-2026-0002")
    db_session.commit()
    return Programme(quiz, old_class, new_class, far_class, users)


NOW = datetime(2026, 12, 7, tzinfo=UTC)
