"""Answer keys reach a trainee only when no class can still sit the same questions, or an organiser releases them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.auth.models import Role
from lms.errors import Forbidden
from lms.quizzes.models import Quiz, QuizOpening
from lms.quizzes.taking.keys import attempt_key_status, quiz_key_status, release_keys
from lms.quizzes.taking.openings import close_opening
from lms.quizzes.taking.review import result_view
from tests.factories import make_body, make_class, make_user
from tests.quizzes.taking.attempt_helpers import GRACE, reread, start, submit


def _view(session, attempt, clock):
    return result_view(session, reread(session, attempt), clock.now, grace_seconds=GRACE)


def _second_class(session, ex, *, body=None, opens_in=timedelta(0), lasts=timedelta(hours=3)):
    """Another class (by default of another organising body) with its own window on the same test."""
    body = body or make_body(session)
    trainee = make_user(session, Role.TRAINEE, body=body)
    training_class = make_class(session, body=body, course=ex.training_class.course, trainees=[trainee])
    opening = QuizOpening(quiz_id=ex.quiz.id, class_id=training_class.id, opens_at=ex.opening.opens_at + opens_in,
                          closes_at=ex.opening.opens_at + opens_in + lasts)
    session.add(opening)
    session.flush()
    return trainee, opening


def _closed_for_class_a(session, ex, clock):
    attempt = start(session, ex, clock)
    submit(session, attempt, clock)
    close_opening(session, ex.trainer, ex.opening, now=clock.now)
    clock.advance(seconds=GRACE + 1)
    return attempt


def test_keys_wait_while_another_class_is_still_sitting_the_test(db_session, ex, clock):
    _trainee_b, opening_b = _second_class(db_session, ex)
    attempt = _closed_for_class_a(db_session, ex, clock)
    view = _view(db_session, attempt, clock)
    assert view["visible"] == ["passed", "score"] and "questions" not in view
    assert view["keys_held"] is True and view["keys_held_until"] == opening_b.closes_at
    status = attempt_key_status(db_session, attempt, now=clock.now, grace_seconds=GRACE)
    assert (status.released, status.running, status.scheduled) == (False, 1, 0)

    clock.now = opening_b.closes_at + timedelta(seconds=GRACE + 1)
    view = _view(db_session, attempt, clock)
    assert "keys_held" not in view and len(view["questions"]) == 8
    assert all("correct_answer" in q and q["explanation"] for q in view["questions"])


def test_keys_wait_for_a_window_still_to_come(db_session, ex, clock):
    _second_class(db_session, ex, opens_in=timedelta(days=7), lasts=timedelta(hours=1))
    attempt = _closed_for_class_a(db_session, ex, clock)
    view = _view(db_session, attempt, clock)
    assert view["keys_held"] is True and "questions" not in view
    status = attempt_key_status(db_session, attempt, now=clock.now, grace_seconds=GRACE)
    assert (status.running, status.scheduled) == (0, 1)


def test_settings_showing_keys_right_after_submit_wait_as_well(db_session, ex, clock):
    ex.quiz.review_after_submit = ["score", "passed", "correct_answers", "explanations"]
    db_session.flush()
    attempt = start(db_session, ex, clock)
    submit(db_session, attempt, clock)
    assert "questions" not in _view(db_session, attempt, clock)  # the own class's window still runs


def _other_test(session, ex, clock, rules) -> Quiz:
    """A second test of the course, open for class A for a day from now."""
    quiz = Quiz(course_id=ex.quiz.course_id, slug=f"khac-{len(rules)}", title="Bài khác", draw_rules=rules,
                review_after_close=["correct_answers"])
    session.add(quiz)
    session.flush()
    session.add(QuizOpening(quiz_id=quiz.id, class_id=ex.training_class.id, opens_at=clock.now,
                            closes_at=clock.now + timedelta(days=1)))
    session.flush()
    return quiz


def test_another_test_drawing_the_same_questions_holds_the_keys(db_session, ex, clock):
    _other_test(db_session, ex, clock, [{"module": "hoc-phan-hai", "count": 1}])
    attempt = _closed_for_class_a(db_session, ex, clock)
    assert _view(db_session, attempt, clock)["keys_held"] is True


def test_another_test_drawing_other_questions_does_not(db_session, ex, clock):
    _other_test(db_session, ex, clock, [{"module": "hoc-phan-khac", "count": 1}])
    attempt = _closed_for_class_a(db_session, ex, clock)
    assert len(_view(db_session, attempt, clock)["questions"]) == 8


def test_an_organiser_releases_keys_for_their_body_only(db_session, ex, clock):
    trainee_b, opening_b = _second_class(db_session, ex)
    attempt = _closed_for_class_a(db_session, ex, clock)
    before = quiz_key_status(db_session, ex.quiz, body_id=ex.training_class.organising_body_id, now=clock.now,
                             grace_seconds=GRACE)
    assert (before.released, before.running) == (False, 1)
    with pytest.raises(Forbidden):
        release_keys(db_session, ex.trainer, ex.quiz, now=clock.now)
    release_keys(db_session, ex.organiser, ex.quiz, now=clock.now)
    release_keys(db_session, ex.organiser, ex.quiz, now=clock.now)  # twice is once
    assert len(_view(db_session, attempt, clock)["questions"]) == 8
    after = quiz_key_status(db_session, ex.quiz, body_id=ex.training_class.organising_body_id, now=clock.now,
                            grace_seconds=GRACE)
    assert after.released and after.explicit
    # Class B, of another body, is not covered by class A's organiser.
    other_body = quiz_key_status(db_session, ex.quiz, body_id=trainee_b.organising_body_id, now=clock.now,
                                 grace_seconds=GRACE)
    assert not other_body.released and other_body.last_close == opening_b.closes_at


def test_api_result_holds_keys_while_class_b_sits_the_test(app, client, exam, db_session):
    """The reported leak: class A's window closed, class B (same test) still open → no key over the API."""
    from lms.db import utcnow
    from tests.conftest import login
    from tests.quizzes.taking.test_api import api

    body_b = make_body(db_session)
    trainee_b = make_user(db_session, Role.TRAINEE, body=body_b)
    class_b = make_class(db_session, body=body_b, course=exam.training_class.course, trainees=[trainee_b])
    db_session.add(QuizOpening(quiz_id=exam.quiz.id, class_id=class_b.id, opens_at=exam.opening.opens_at,
                               closes_at=utcnow() + timedelta(hours=2)))
    db_session.commit()
    login(client, exam.trainee.username)
    attempt_id = api(client, "POST", f"/api/v1/tests/{exam.quiz.id}/attempts").json["id"]
    assert api(client, "POST", f"/api/v1/attempts/{attempt_id}/submit").status_code == 200
    exam.opening.closes_at = utcnow() - timedelta(seconds=app.config["QUIZ_SAVE_GRACE_SECONDS"] + 1)
    db_session.commit()
    body = client.get(f"/api/v1/attempts/{attempt_id}/result").get_data(as_text=True)
    assert '"keys_held":true' in body.replace(" ", "")
    for word in ('"correct_answer"', '"explanation"', '"questions":['):
        assert word not in body.replace(" ", ""), word
