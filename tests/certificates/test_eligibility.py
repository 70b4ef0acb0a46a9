"""Eligibility: the counting attempt of the class's end-of-course test, and the reasons shown to staff."""

from __future__ import annotations

from datetime import timedelta

from lms.certificates.eligibility import attendance_reasons, class_eligibility
from lms.quizzes.models import AttemptState, QuizOpening
from tests.certificates.conftest import NOW, sit
from tests.factories import make_class


def by_name(rows):
    return {row.user.full_name: row for row in rows}


def test_reasons_per_trainee(db_session, finished):
    rows = by_name(class_eligibility(db_session, finished.training_class, NOW))
    assert rows["Nguyễn Thị Hương"].eligible and rows["Nguyễn Thị Hương"].reasons == []
    assert rows["Đặng Kim Lợi"].reasons == ["62 % < 70 %"] and not rows["Đặng Kim Lợi"].eligible
    assert rows["Trần Văn Út Tám"].reasons == ["chưa làm bài kiểm tra"]
    assert [row.user.full_name for row in class_eligibility(db_session, finished.training_class, NOW)] == [
        "Nguyễn Thị Hương", "Đặng Kim Lợi", "Trần Văn Út Tám"]  # by given name: Hương, Lợi, Tám


def test_policy_decides_the_counting_attempt(db_session, finished):
    sit(db_session, finished.opening, finished.failed, 90, number=2)
    assert by_name(class_eligibility(db_session, finished.training_class, NOW))["Đặng Kim Lợi"].eligible
    finished.quiz.attempt_policy = "last"
    sit(db_session, finished.opening, finished.failed, 40, number=3)
    row = by_name(class_eligibility(db_session, finished.training_class, NOW))["Đặng Kim Lợi"]
    assert row.reasons == ["40 % < 70 %"] and row.attempt.number == 3


def test_open_attempt_and_other_class_attempts(db_session, finished):
    sit(db_session, finished.opening, finished.absent, 0, state=AttemptState.OPEN)
    assert by_name(class_eligibility(db_session, finished.training_class, NOW))["Trần Văn Út Tám"].reasons == [
        "đang làm bài kiểm tra"]
    other = make_class(db_session, body=finished.body, course=finished.training_class.course,
                       trainees=[finished.failed])
    window = QuizOpening(quiz_id=finished.quiz.id, class_id=other.id, opens_at=NOW - timedelta(hours=1),
                         closes_at=NOW)
    db_session.add(window)
    db_session.flush()
    sit(db_session, window, finished.failed, 95, number=2)  # passed in another class: does not count here
    assert not by_name(class_eligibility(db_session, finished.training_class, NOW))["Đặng Kim Lợi"].eligible
    assert by_name(class_eligibility(db_session, other, NOW))["Đặng Kim Lợi"].eligible


def test_no_test_opened(db_session, finished):
    other = make_class(db_session, body=finished.body, course=finished.training_class.course,
                       trainees=[finished.passed])
    assert class_eligibility(db_session, other, NOW)[0].reasons == ["lớp chưa mở bài kiểm tra cuối khóa"]
    assert attendance_reasons(db_session, other, finished.passed) == []
