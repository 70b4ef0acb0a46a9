"""Eligibility: the counting attempt of the class's end-of-course test, and the reasons shown to staff."""

from __future__ import annotations

from datetime import date, time, timedelta

from lms.certificates.eligibility import attendance_reasons, class_eligibility, end_of_course_test, trainee_eligibility
from lms.classes.attendance.services import set_mark
from lms.classes.roster.membership import withdraw
from lms.classes.sessions.services import SessionInput, create_session
from lms.quizzes.models import AttemptState, Quiz, QuizOpening
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


def test_a_batch_of_trainees_is_judged_as_in_the_whole_class(db_session, finished):
    whole = by_name(class_eligibility(db_session, finished.training_class, NOW))
    some = class_eligibility(db_session, finished.training_class, NOW, user_ids=[finished.failed.id, finished.absent.id])
    assert [row.user.full_name for row in some] == ["Đặng Kim Lợi", "Trần Văn Út Tám"]
    assert all(row.reasons == whole[row.user.full_name].reasons for row in some)
    assert class_eligibility(db_session, finished.training_class, NOW, user_ids=[]) == []


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
    assert attendance_reasons(None) == []


def _two_sessions_before_now(db_session, finished):
    """Two ended sessions of the class on 01/11/2026 (the test was sat the next morning)."""
    return [create_session(db_session, finished.trainer, finished.training_class,
                           SessionInput(day=date(2026, 11, 1), start=start, end=end), now=NOW - timedelta(days=5))
            for start, end in ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 30)))]


def test_attendance_below_the_class_rule_keeps_a_pass_from_a_certificate(db_session, finished):
    morning, afternoon = _two_sessions_before_now(db_session, finished)
    for class_session in (morning, afternoon):
        set_mark(db_session, finished.trainer, class_session=class_session, user_id=finished.passed.id,
                 status="present", now=NOW)
    set_mark(db_session, finished.trainer, class_session=morning, user_id=finished.failed.id, status="present",
             now=NOW)
    set_mark(db_session, finished.trainer, class_session=afternoon, user_id=finished.failed.id, status="absent",
             now=NOW)
    sit(db_session, finished.opening, finished.failed, 90, number=2)  # now passes the test, but attended half
    rows = by_name(class_eligibility(db_session, finished.training_class, NOW))
    assert rows["Nguyễn Thị Hương"].eligible
    assert not rows["Đặng Kim Lợi"].eligible and rows["Đặng Kim Lợi"].reasons == ["chuyên cần 50 % < 80 %"]
    # both reasons when the test is failed too, and the same rule for one trainee
    assert trainee_eligibility(db_session, finished.training_class, finished.absent, NOW).reasons == [
        "chưa làm bài kiểm tra", "chuyên cần 0 % < 80 %"]


def test_excused_sessions_are_not_counted_for_the_certificate(db_session, finished):
    morning, afternoon = _two_sessions_before_now(db_session, finished)
    set_mark(db_session, finished.trainer, class_session=morning, user_id=finished.passed.id, status="present",
             now=NOW)
    set_mark(db_session, finished.trainer, class_session=afternoon, user_id=finished.passed.id, status="excused",
             now=NOW)
    assert by_name(class_eligibility(db_session, finished.training_class, NOW))["Nguyễn Thị Hương"].eligible


def test_the_test_chosen_for_the_class_is_its_end_of_course_test(db_session, finished):
    other_quiz = Quiz(course_id=finished.training_class.course_id, slug="on-tap", title="Ôn tập")
    db_session.add(other_quiz)
    db_session.flush()
    practice = QuizOpening(quiz_id=other_quiz.id, class_id=finished.training_class.id, opens_at=NOW - timedelta(hours=1),
                           closes_at=NOW)  # a later window of a practice test
    db_session.add(practice)
    db_session.flush()
    assert end_of_course_test(db_session, finished.training_class)[0].id == other_quiz.id
    finished.training_class.quiz_id = finished.quiz.id  # the organiser chose the real one on the class's form
    db_session.flush()
    quiz, opening_ids = end_of_course_test(db_session, finished.training_class)
    assert quiz.id == finished.quiz.id and opening_ids == [finished.opening.id]
    assert by_name(class_eligibility(db_session, finished.training_class, NOW))["Nguyễn Thị Hương"].eligible


def test_withdrawn_trainees_are_not_listed(app, db_session, finished):
    with app.test_request_context():
        withdraw(db_session, finished.training_class, finished.failed.id, actor_id=finished.organiser.id, now=NOW)
    assert "Đặng Kim Lợi" not in by_name(class_eligibility(db_session, finished.training_class, NOW))
