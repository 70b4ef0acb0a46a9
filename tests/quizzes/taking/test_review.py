"""What a trainee may see of an attempt: nothing while open, then per the test's review rules; never a key in public questions."""

from __future__ import annotations

import json
from datetime import timedelta

from lms.quizzes.models import AttemptState
from lms.quizzes.taking.attempts import (
    AnswerSave,
)
from lms.quizzes.taking.openings import close_opening
from lms.quizzes.taking.review import public_questions, result_view, visible_items
from tests.quizzes.taking.attempt_helpers import (
    GRACE,
    answer_all,
    item_of_type,
    reread,
    right_answer,
    save,
    start,
    submit,
    wrong_answer,
)


def _items(session, attempt, now):
    return visible_items(session, attempt, now, grace_seconds=GRACE)[0]


def _view(session, attempt, now):
    return result_view(session, attempt, now, grace_seconds=GRACE)


FORBIDDEN_IN_PUBLIC = ('"weight"', '"correct"', '"key_map"', '"truth"', '"explanation"', '"short_answers"',
                       '"numeric_answers"', '"order_items"', '"snapshot"', '"question_key"', '"score"', "km-0",
                       "km-1")


def test_public_questions_never_hold_the_key(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock, positions={1, 2, 3, 4})
    body = json.dumps(public_questions(reread(db_session, attempt)), ensure_ascii=False)
    for word in FORBIDDEN_IN_PUBLIC:
        assert word not in body, word
    explanations = [q.snapshot["explanation"] for q in attempt.questions if len(q.snapshot["explanation"]) > 10]
    assert len(explanations) >= 5
    for explanation in explanations:  # the short ones ("PDCA.") also occur in stems
        assert explanation not in body
    assert len(public_questions(attempt)) == 8
    submit(db_session, attempt, clock)
    body = json.dumps(public_questions(reread(db_session, attempt)), ensure_ascii=False)
    for word in FORBIDDEN_IN_PUBLIC:
        assert word not in body, word


def test_nothing_is_visible_while_open(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock)
    assert _items(db_session, attempt, clock.now) == set()
    assert _view(db_session, attempt, clock.now) == {"state": AttemptState.OPEN, "visible": []}
    # Even with the window over, an attempt still open shows nothing.
    assert _items(db_session, attempt, ex.opening.closes_at + timedelta(minutes=1)) == set()


def test_after_submit_only_the_review_after_submit_items(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock)
    submit(db_session, attempt, clock)
    attempt = reread(db_session, attempt)
    assert _items(db_session, attempt, clock.now) == {"score", "passed"}
    view = _view(db_session, attempt, clock.now)
    assert view == {"state": AttemptState.CLOSED, "visible": ["passed", "score"], "score": 8.0, "max_score": 8.0,
                    "percent": 100.0, "passed": True}
    ex.quiz.review_after_submit = ["passed"]
    db_session.flush()
    view = _view(db_session, attempt, clock.now)
    assert "score" not in view and "percent" not in view and view["passed"] is True
    ex.quiz.review_after_submit = []
    db_session.flush()
    assert _view(db_session, attempt, clock.now) == {"state": AttemptState.CLOSED, "visible": []}


def test_after_the_window_closes_answers_and_explanations(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    single = item_of_type(attempt, "single")
    save(db_session, attempt, clock, AnswerSave(single.position, wrong_answer(single), seq=1))
    submit(db_session, attempt, clock)
    clock.advance(minutes=20)
    assert "questions" not in _view(db_session, attempt, clock.now)
    close_opening(db_session, ex.trainer, ex.opening, now=clock.now)
    assert ex.opening.closes_at == clock.now
    attempt = reread(db_session, attempt)
    assert _items(db_session, attempt, clock.now) == {"score", "passed"}  # late saves may still arrive
    clock.advance(seconds=GRACE + 1)
    assert _items(db_session, attempt, clock.now) == {"score", "passed", "correct_answers", "explanations"}
    view = _view(db_session, attempt, clock.now)
    assert view["percent"] == 0.0 and view["passed"] is False and len(view["questions"]) == 8
    reviewed = next(q for q in view["questions"] if q["position"] == single.position)
    assert reviewed["answer"] == wrong_answer(single)
    assert reviewed["correct"] is False and reviewed["score"] == 0.0
    assert reviewed["correct_answer"] == right_answer(single)
    assert reviewed["explanation"] == single.snapshot["explanation"] != ""
    assert all(q["explanation"] for q in view["questions"])


def test_moving_the_close_before_now_also_opens_the_review(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    submit(db_session, attempt, clock)
    clock.advance(minutes=30)
    ex.opening.closes_at = clock.now - timedelta(seconds=GRACE + 1)
    db_session.flush()
    view = _view(db_session, reread(db_session, attempt), clock.now)
    assert {"correct_answers", "explanations"} <= set(view["visible"])
    assert all("correct_answer" in q and "explanation" in q for q in view["questions"])
