"""Regrading after a key fix (dry run first, then apply; changed structures are skipped) with an injected clock."""

from __future__ import annotations

import copy

from sqlalchemy import select

from lms.quizzes.models import Attempt, AttemptQuestion, AttemptState, Question, QuestionBank
from lms.quizzes.results.regrade import regrade_quiz
from lms.quizzes.taking.attempts import AnswerSave
from tests.quizzes.taking.attempt_helpers import (
    answer_all,
    item_with_key,
    presented,
    reread,
    save,
    start,
    submit,
)


def question_row(session, quiz, key: str) -> Question:
    return session.scalar(select(Question).join(QuestionBank).where(QuestionBank.course_id == quiz.course_id,
                                                                    Question.key == key))


def correct_index(data: dict) -> int:
    return next(i for i, option in enumerate(data["options"]) if option["weight"] > 0)


def move_key_to_next_option(session, quiz, key: str) -> int:
    """Fix a 'wrong' key: the full weight goes to the next option (same number of options). Returns its index."""
    row = question_row(session, quiz, key)
    data = copy.deepcopy(row.data)
    old = correct_index(data)
    new = (old + 1) % len(data["options"])
    data["options"][old]["weight"], data["options"][new]["weight"] = 0.0, 100.0
    row.data = data
    session.flush()
    return new


def add_a_right_option(session, quiz, key: str) -> None:
    """Change the structure: a new option becomes the only right one."""
    row = question_row(session, quiz, key)
    data = copy.deepcopy(row.data)
    for option in data["options"]:
        option["weight"] = 0.0
    data["options"].append({"text": "Một lựa chọn mới", "weight": 100.0, "feedback": ""})
    row.data = data
    session.flush()


def stored_grades(session, attempt_id: int) -> tuple:
    """Score, percent and passed as the database holds them; anything the session still holds dirty is flushed
    first (a column query autoflushes), so grades kept only in memory would show here."""
    return session.execute(select(Attempt.score, Attempt.percent, Attempt.passed).where(Attempt.id == attempt_id)).one()


def stored_item(session, attempt_id: int, key: str) -> AttemptQuestion:
    session.flush()
    session.expire_all()
    return session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id,
                                                        AttemptQuestion.question_key == key))


def finished(session, ex, clock, user, keys: set[str] | None = None):
    """An attempt by `user` with the questions in `keys` (all if None) answered right, then submitted."""
    attempt = start(session, ex, clock, user=user)
    positions = None if keys is None else {q.position for q in attempt.questions if q.question_key in keys}
    answer_all(session, attempt, clock, positions=positions)
    submit(session, attempt, clock)
    return attempt


def test_regrade_dry_run_lists_changes_and_keeps_the_grades(db_session, ex, clock):
    just_passed = finished(db_session, ex, clock, ex.trainee, {"km-001", "km-002", "km-003", "km-004", "km-005"})
    perfect = finished(db_session, ex, clock, ex.other_trainee)
    assert stored_grades(db_session, just_passed.id) == (5.0, 62.5, True)
    assert stored_grades(db_session, perfect.id) == (8.0, 100.0, True)
    old_snapshot = copy.deepcopy(stored_item(db_session, just_passed.id, "km-001").snapshot)
    move_key_to_next_option(db_session, ex.quiz, "km-001")

    changes = regrade_quiz(db_session, ex.quiz, dry_run=True)
    summary = {c.attempt.id: (c.old_score, c.new_score, c.old_passed, c.new_passed, c.skipped_questions)
               for c in changes}
    assert summary == {just_passed.id: (5.0, 4.0, True, False, []), perfect.id: (8.0, 7.0, True, True, [])}

    assert stored_grades(db_session, just_passed.id) == (5.0, 62.5, True)
    assert stored_grades(db_session, perfect.id) == (8.0, 100.0, True)
    item = stored_item(db_session, just_passed.id, "km-001")
    assert (item.score, item.correct) == (1.0, True)
    assert item.snapshot == old_snapshot
    # The session itself holds the stored grades again, not the recomputed ones.
    attempt = db_session.get(Attempt, just_passed.id)
    assert (attempt.score, attempt.passed) == (5.0, True)


def test_regrade_applies_the_new_key(db_session, ex, clock):
    just_passed = finished(db_session, ex, clock, ex.trainee, {"km-001", "km-002", "km-003", "km-004", "km-005"})
    # The other trainee picked the option that the fixed key makes right, and got nothing for it at first.
    attempt = start(db_session, ex, clock, user=ex.other_trainee)
    km001 = item_with_key(attempt, "km-001")
    new_right = (correct_index(km001.snapshot) + 1) % len(km001.snapshot["options"])
    save(db_session, attempt, clock,
         AnswerSave(km001.position, {"choice": presented(km001).id_for("choices", new_right)}, seq=1))
    submit(db_session, attempt, clock)
    assert stored_grades(db_session, attempt.id) == (0.0, 0.0, False)
    move_key_to_next_option(db_session, ex.quiz, "km-001")

    changes = regrade_quiz(db_session, ex.quiz, dry_run=False)
    assert {c.attempt.id for c in changes} == {just_passed.id, attempt.id}
    assert stored_grades(db_session, just_passed.id) == (4.0, 50.0, False)
    assert stored_grades(db_session, attempt.id) == (1.0, 12.5, False)
    lost = stored_item(db_session, just_passed.id, "km-001")
    assert (lost.score, lost.correct) == (0.0, False)
    assert correct_index(lost.snapshot) == new_right
    gained = stored_item(db_session, attempt.id, "km-001")
    assert (gained.score, gained.correct) == (1.0, True)
    other = stored_item(db_session, just_passed.id, "km-002")
    assert (other.score, other.correct) == (1.0, True)
    # Nothing left to change.
    assert regrade_quiz(db_session, ex.quiz, dry_run=True) == []


def test_a_question_whose_structure_changed_is_skipped_and_keeps_its_grade(db_session, ex, clock):
    attempt = finished(db_session, ex, clock, ex.trainee)
    position = item_with_key(attempt, "km-103").position
    old_snapshot = copy.deepcopy(stored_item(db_session, attempt.id, "km-103").snapshot)
    add_a_right_option(db_session, ex.quiz, "km-103")

    [change] = regrade_quiz(db_session, ex.quiz, dry_run=True)
    assert change.skipped_questions == [position]
    assert (change.old_score, change.new_score, change.old_passed, change.new_passed) == (8.0, 8.0, True, True)

    move_key_to_next_option(db_session, ex.quiz, "km-001")
    [change] = regrade_quiz(db_session, ex.quiz, dry_run=False)
    assert change.skipped_questions == [position]
    assert (change.old_score, change.new_score) == (8.0, 7.0)
    assert stored_grades(db_session, attempt.id) == (7.0, 87.5, True)
    kept = stored_item(db_session, attempt.id, "km-103")
    assert (kept.score, kept.correct) == (1.0, True)
    assert kept.snapshot == old_snapshot and len(kept.snapshot["options"]) == 3
    assert stored_item(db_session, attempt.id, "km-001").correct is False


def test_regrade_leaves_open_attempts_alone(db_session, ex, clock):
    closed = finished(db_session, ex, clock, ex.trainee)
    still_open = start(db_session, ex, clock, user=ex.other_trainee)
    answer_all(db_session, still_open, clock)
    old_snapshot = copy.deepcopy(item_with_key(still_open, "km-001").snapshot)
    move_key_to_next_option(db_session, ex.quiz, "km-001")
    changes = regrade_quiz(db_session, ex.quiz, dry_run=False)
    assert [c.attempt.id for c in changes] == [closed.id]
    still_open = reread(db_session, still_open)
    assert still_open.state == AttemptState.OPEN and still_open.score is None
    assert item_with_key(still_open, "km-001").snapshot == old_snapshot


def test_regrade_without_closed_attempts_finds_nothing(db_session, ex, clock):
    start(db_session, ex, clock)
    move_key_to_next_option(db_session, ex.quiz, "km-001")
    assert regrade_quiz(db_session, ex.quiz, dry_run=True) == []
    assert regrade_quiz(db_session, ex.quiz, dry_run=False) == []
