"""Test quality across classes: facility per class from the item statistics, and the flag on a sharp difference."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select

from lms.auth.models import Role
from lms.db import utcnow
from lms.quizzes.models import Quiz, QuizOpening
from lms.reports.quality import quality_report
from tests.conftest import login
from tests.factories import load_fixture_content, make_body, make_class, make_user
from tests.quizzes.results.test_views import take


def test_a_question_easy_in_one_class_and_hard_in_another_is_flagged(app, client, db_session):
    body = make_body(db_session)
    course = load_fixture_content(db_session)
    organiser = make_user(db_session, Role.ORGANISER, body=body, username="cl.btc")
    groups = [[make_user(db_session, Role.TRAINEE, body=body, username=f"cl.{g}{i}") for i in range(5)]
              for g in ("a", "b")]
    classes = [make_class(db_session, body=body, course=course, trainees=group) for group in groups]
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    for training_class in classes:
        db_session.add(QuizOpening(quiz_id=quiz.id, class_id=training_class.id,
                                   opens_at=utcnow() - timedelta(minutes=5), closes_at=utcnow() + timedelta(hours=1)))
    db_session.commit()
    exam = SimpleNamespace(quiz=quiz)
    for trainee in groups[0]:
        take(app, db_session, exam, trainee)
    for trainee in groups[1]:
        take(app, db_session, exam, trainee, wrong=("km-001",))
    with app.test_request_context():
        report = quality_report(db_session, organiser, quiz, classes)
    assert report.attempts == {classes[0].id: 5, classes[1].id: 5}
    flagged = report.flagged
    assert [q.question.key for q in flagged] == ["km-001"]
    assert flagged[0].facility == {classes[0].id: 1.0, classes[1].id: 0.0} and flagged[0].spread == 1.0
    assert all(q.spread == 0 for q in report.questions[1:])
    login(client, organiser.username)
    html = client.get(f"/reports/quality?quiz_id={quiz.id}").get_data(as_text=True)
    assert "1 câu hỏi được đánh dấu" in html and 'class="row-flagged"' in html and "km-001" in html
