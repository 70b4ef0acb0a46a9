"""Attempt rules: starting and resuming, attempt limits, the test window, ordered idempotent saves, submitting, navigation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.auth.models import Role
from lms.errors import Conflict, RuleViolation
from lms.quizzes.models import Attempt, AttemptQuestion, AttemptState, CloseReason
from lms.quizzes.results.overrides import set_override
from lms.quizzes.taking import attempts as attempt_rules
from lms.quizzes.taking.attempts import (
    AnswerSave,
    attempts_allowed,
    sweep_overdue,
)
from lms.quizzes.taking.openings import close_opening
from lms.quizzes.taking.review import visible_items
from tests.factories import make_user
from tests.quizzes.conftest import NOW
from tests.quizzes.taking.attempt_helpers import (
    GRACE,
    LIMIT,
    answer_all,
    bank_keys,
    events,
    item_at,
    item_of_type,
    item_with_key,
    presented,
    reread,
    right_answer,
    save,
    start,
    submit,
)


def test_starting_twice_resumes_the_open_attempt(db_session, ex, clock):
    first = start(db_session, ex, clock)
    clock.advance(minutes=1)
    again = start(db_session, ex, clock)
    assert again.id == first.id
    assert again.deadline_at == NOW + LIMIT  # resuming does not restart the clock
    assert len(events(db_session, first, "start")) == 1
    resumed = events(db_session, first, "resume")
    assert len(resumed) == 1 and resumed[0].at == clock.now and resumed[0].address == "10.0.0.7"
    assert len(db_session.scalars(select(Attempt).where(Attempt.user_id == ex.trainee.id)).all()) == 1


def test_second_attempt_after_closing_gets_number_two_and_a_new_presentation(db_session, ex, clock):
    first = start(db_session, ex, clock)
    clock.advance(minutes=2)
    submit(db_session, first, clock)
    clock.advance(minutes=1)
    second = start(db_session, ex, clock)
    assert second.id != first.id and second.number == 2 and second.state == AttemptState.OPEN
    keys = bank_keys(db_session, ex.quiz)
    assert len(keys) == 8
    # The draw takes the whole bank, so both attempts hold every question once.
    assert {q.question_key for q in first.questions} == {q.question_key for q in second.questions} == keys
    for key in keys:
        ids_first = set(presented(item_with_key(first, key)).key_map)
        ids_second = set(presented(item_with_key(second, key)).key_map)
        assert not ids_first & ids_second, key


def test_second_attempt_avoids_questions_of_the_first_when_the_bank_allows(db_session, ex, clock):
    ex.quiz.draw_rules = [{"count": 2, "module": "hoc-phan-mot", "tags": [], "difficulty": None}]
    db_session.flush()
    first = start(db_session, ex, clock)
    submit(db_session, first, clock)
    second = start(db_session, ex, clock)
    first_keys = {q.question_key for q in first.questions}
    second_keys = {q.question_key for q in second.questions}
    assert len(first_keys) == len(second_keys) == 2
    assert not first_keys & second_keys
    assert first_keys | second_keys <= {"km-001", "km-002", "km-003", "km-004", "km-005"}


def test_attempt_limit_is_enforced(db_session, ex, clock):
    for _ in range(2):
        submit(db_session, start(db_session, ex, clock), clock)
        clock.advance(minutes=1)
    with pytest.raises(RuleViolation):
        start(db_session, ex, clock)
    assert [a.number for a in db_session.scalars(select(Attempt).where(Attempt.user_id == ex.trainee.id))] == [1, 2]
    assert attempts_allowed(ex.quiz, None) == 2


def test_extra_attempts_allow_one_more(db_session, ex, clock):
    for _ in range(2):
        submit(db_session, start(db_session, ex, clock), clock)
    override = set_override(db_session, ex.quiz, ex.trainee, extra_minutes=0, extra_attempts=1, reason="mất điện",
                            now=clock.now)
    assert attempts_allowed(ex.quiz, override) == 3
    third = start(db_session, ex, clock)
    assert third.number == 3
    submit(db_session, third, clock)
    with pytest.raises(RuleViolation):
        start(db_session, ex, clock)


def test_unlimited_attempts(db_session, ex, clock):
    ex.quiz.max_attempts = 0
    db_session.flush()
    assert attempts_allowed(ex.quiz, None) is None
    numbers = []
    for _ in range(4):
        attempt = start(db_session, ex, clock)
        numbers.append(attempt.number)
        clock.advance(seconds=30)
        submit(db_session, attempt, clock)
    assert numbers == [1, 2, 3, 4]


def test_an_overdue_attempt_is_closed_before_a_new_start(db_session, ex, clock):
    first = start(db_session, ex, clock)
    clock.advance(minutes=30)
    second = start(db_session, ex, clock)
    assert second.number == 2
    assert first.state == AttemptState.CLOSED and first.close_reason == CloseReason.DEADLINE
    assert first.closed_at == NOW + LIMIT


def test_not_open_before_the_window(db_session, ex, clock):
    clock.now = ex.opening.opens_at - timedelta(seconds=1)
    with pytest.raises(RuleViolation):
        start(db_session, ex, clock)
    clock.now = ex.opening.opens_at
    assert start(db_session, ex, clock).state == AttemptState.OPEN


def test_not_open_after_the_window(db_session, ex, clock):
    clock.now = ex.opening.closes_at
    with pytest.raises(RuleViolation):
        start(db_session, ex, clock)
    assert db_session.scalars(select(Attempt).where(Attempt.user_id == ex.trainee.id)).first() is None


def test_not_open_for_someone_not_enrolled(db_session, ex, clock):
    stranger = make_user(db_session, Role.TRAINEE, username="nguoi.la")
    with pytest.raises(RuleViolation):
        start(db_session, ex, clock, user=stranger)
    with pytest.raises(RuleViolation):
        start(db_session, ex, clock, user=ex.trainer)


def test_the_database_allows_only_one_open_attempt_per_trainee_and_test(db_session, ex, clock):
    attempt = start(db_session, ex, clock)

    def row(number: int, state: str) -> Attempt:
        return Attempt(quiz_id=ex.quiz.id, opening_id=ex.opening.id, user_id=ex.trainee.id, number=number,
                       state=state, started_at=clock.now, deadline_at=clock.now + LIMIT, seed=1)

    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.add(row(2, AttemptState.OPEN))
        db_session.flush()
    # A closed row is fine: the index only covers open attempts.
    with db_session.begin_nested():
        db_session.add(row(2, AttemptState.CLOSED))
        db_session.flush()
    # Another trainee may have their own open attempt.
    assert start(db_session, ex, clock, user=ex.other_trainee).state == AttemptState.OPEN
    assert reread(db_session, attempt).state == AttemptState.OPEN


def test_saves_in_a_batch_are_applied_in_order(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    item = item_of_type(attempt, "single")
    a, b = (c.id for c in presented(item).choices[:2])
    clock.advance(seconds=20)
    outcome = save(db_session, attempt, clock, AnswerSave(item.position, {"choice": a}, seq=1),
                   AnswerSave(item.position, {"choice": b}, seq=2))
    assert outcome.applied == [item.position, item.position] and outcome.stale == [] and outcome.last_seq == 2
    stored = item_at(reread(db_session, attempt), item.position)
    assert stored.answer == {"choice": b} and stored.answer_seq == 2 and stored.answered_at == clock.now
    # The same two changes arriving newest first: the older one is stale.
    attempt = reread(db_session, attempt)
    outcome = save(db_session, attempt, clock, AnswerSave(item.position, {"choice": a}, seq=4),
                   AnswerSave(item.position, {"choice": b}, seq=3))
    assert outcome.applied == [item.position] and outcome.stale == [item.position] and outcome.last_seq == 4
    assert item_at(reread(db_session, attempt), item.position).answer == {"choice": a}


def test_repeating_a_save_is_harmless(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    item = item_of_type(attempt, "true_false")
    first = save(db_session, attempt, clock, AnswerSave(item.position, {"value": True}, seq=7))
    assert first.applied == [item.position]
    clock.advance(seconds=5)
    again = save(db_session, attempt, clock, AnswerSave(item.position, {"value": True}, seq=7))
    assert again.applied == [] and again.stale == [item.position] and again.last_seq == 7
    stored = item_at(reread(db_session, attempt), item.position)
    assert stored.answer == {"value": True} and stored.answer_seq == 7 and stored.answered_at == NOW


def test_an_older_save_never_overwrites_a_newer_one(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    item = item_of_type(attempt, "short")
    save(db_session, attempt, clock, AnswerSave(item.position, {"text": "PDCA"}, seq=5))
    outcome = save(db_session, attempt, clock, AnswerSave(item.position, {"text": "cũ"}, seq=4))
    assert outcome.stale == [item.position] and outcome.last_seq == 5
    attempt = reread(db_session, attempt)
    assert item_at(attempt, item.position).answer == {"text": "PDCA"} and attempt.last_seq == 5
    # Sequence numbers are per page, not per question: a lower number for another question still applies.
    other = item_of_type(attempt, "numeric")
    assert save(db_session, attempt, clock, AnswerSave(other.position, {"text": "7"}, seq=3)).applied == [other.position]
    assert reread(db_session, attempt).last_seq == 5


def test_clearing_an_answer_stores_none(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    multiple = item_of_type(attempt, "multiple")
    single = item_of_type(attempt, "single")
    choice = presented(multiple).choices[0].id
    save(db_session, attempt, clock, AnswerSave(multiple.position, {"choices": [choice]}, seq=1),
         AnswerSave(single.position, {"choice": presented(single).choices[0].id}, seq=2))
    save(db_session, attempt, clock, AnswerSave(multiple.position, {}, seq=3),
         AnswerSave(single.position, None, seq=4))
    attempt = reread(db_session, attempt)
    assert item_at(attempt, multiple.position).answer is None
    assert item_at(attempt, single.position).answer is None
    assert item_at(attempt, single.position).answer_seq == 4


def test_flags_are_stored_and_kept_when_not_sent(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    item = item_of_type(attempt, "ordering")
    save(db_session, attempt, clock, AnswerSave(item.position, {}, seq=1, flagged=True))
    assert item_at(reread(db_session, attempt), item.position).flagged is True
    attempt = reread(db_session, attempt)
    save(db_session, attempt, clock, AnswerSave(item.position, right_answer(item), seq=2))
    assert item_at(reread(db_session, attempt), item.position).flagged is True
    attempt = reread(db_session, attempt)
    save(db_session, attempt, clock, AnswerSave(item.position, right_answer(item), seq=3, flagged=False))
    assert item_at(reread(db_session, attempt), item.position).flagged is False


def _bad_saves(attempt) -> dict[str, AnswerSave]:
    single, ordering = item_of_type(attempt, "single"), item_of_type(attempt, "ordering")
    numeric = item_of_type(attempt, "numeric")
    return {
        "unknown position": AnswerSave(99, {}, seq=10),
        "unknown choice id": AnswerSave(single.position, {"choice": "zzzzzzzz"}, seq=10),
        "wrong field": AnswerSave(single.position, {"choices": [presented(single).choices[0].id]}, seq=10),
        "not every item": AnswerSave(ordering.position, {"order": [presented(ordering).items[0].id]}, seq=10),
        "not a number": AnswerSave(numeric.position, {"text": "bảy"}, seq=10),
        "zero seq": AnswerSave(single.position, {}, seq=0),
    }


@pytest.mark.parametrize("bad", ["unknown position", "unknown choice id", "wrong field", "not every item",
                                 "not a number", "zero seq"])
def test_one_bad_save_rejects_the_whole_batch(db_session, ex, clock, bad):
    attempt = start(db_session, ex, clock)
    tf = item_of_type(attempt, "true_false")
    save(db_session, attempt, clock, AnswerSave(tf.position, {"value": False}, seq=1))
    before = {q.position: (q.answer, q.answer_seq, q.flagged) for q in reread(db_session, attempt).questions}
    attempt = reread(db_session, attempt)
    single = item_of_type(attempt, "single")
    good = [AnswerSave(tf.position, {"value": True}, seq=2, flagged=True),
            AnswerSave(single.position, {"choice": presented(single).choices[0].id}, seq=3)]
    with pytest.raises(RuleViolation):
        save(db_session, attempt, clock, *good, _bad_saves(attempt)[bad])
    attempt = reread(db_session, attempt)
    assert attempt.last_seq == 1
    assert {q.position: (q.answer, q.answer_seq, q.flagged) for q in attempt.questions} == before
    assert len(events(db_session, attempt, "save")) == 1


def test_every_question_type_accepts_its_answer_shape(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock)
    attempt = reread(db_session, attempt)
    assert all(q.answer == right_answer(q) for q in attempt.questions)
    assert attempt.last_seq == 8


def test_submitting_twice_changes_nothing(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock, positions={1, 2, 3, 4, 5})
    clock.advance(minutes=4)
    submit(db_session, attempt, clock)
    first = reread(db_session, attempt)
    snapshot = (first.state, first.close_reason, first.closed_at, first.score, first.percent, first.passed)
    assert snapshot == (AttemptState.CLOSED, CloseReason.SUBMITTED, NOW + timedelta(minutes=4), 5.0, 62.5, True)
    clock.advance(minutes=1)
    again = submit(db_session, first, clock)
    assert again.id == attempt.id
    again = reread(db_session, attempt)
    assert (again.state, again.close_reason, again.closed_at, again.score, again.percent, again.passed) == snapshot
    with pytest.raises(Conflict):
        save(db_session, again, clock, AnswerSave(8, {}, seq=99))
    again = reread(db_session, attempt)
    assert again.last_seq == 5 and again.score == 5.0


def test_submit_after_deadline_and_grace_counts_as_deadline(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    clock.now = attempt.deadline_at + timedelta(seconds=GRACE + 1)
    submit(db_session, attempt, clock)
    attempt = reread(db_session, attempt)
    assert attempt.close_reason == CloseReason.DEADLINE and attempt.closed_at == NOW + LIMIT


def test_submit_within_the_grace_counts_as_submitted(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    clock.now = attempt.deadline_at + timedelta(seconds=3)
    submit(db_session, attempt, clock)
    assert reread(db_session, attempt).close_reason == CloseReason.SUBMITTED


def test_submit_after_the_sweep_keeps_the_sweep(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    clock.advance(hours=1)
    assert sweep_overdue(db_session, now=clock.now, grace_seconds=GRACE) == 1
    clock.advance(seconds=1)
    submit(db_session, attempt, clock)
    attempt = reread(db_session, attempt)
    assert attempt.close_reason == CloseReason.SWEEP and attempt.closed_at == NOW + LIMIT


def test_two_tabs_starting_at_once_resume_the_winner(db_session, ex, clock, monkeypatch):
    winner = start(db_session, ex, clock)
    real_attempts_of = attempt_rules.attempts_of
    calls = []

    def blind_first(session, quiz_id, user_id, **options):
        # The second tab read the attempts just before the first tab's insert became visible to it.
        calls.append(quiz_id)
        return [] if len(calls) == 1 else real_attempts_of(session, quiz_id, user_id, **options)

    monkeypatch.setattr(attempt_rules, "attempts_of", blind_first)
    clock.advance(seconds=1)
    loser = start(db_session, ex, clock)
    assert len(calls) == 2  # the insert failed and the winner was looked up
    assert loser.id == winner.id
    monkeypatch.undo()
    rows = db_session.scalars(select(Attempt).where(Attempt.user_id == ex.trainee.id)).all()
    assert [a.id for a in rows] == [winner.id]
    assert len(reread(db_session, winner).questions) == 8
    assert len(db_session.scalars(select(AttemptQuestion.id).join(Attempt).where(
        Attempt.user_id == ex.trainee.id)).all()) == 8
    assert len(events(db_session, winner, "start")) == 1


def test_closing_the_window_ends_attempts_in_progress(db_session, ex, clock):
    """Found by this suite: closing a window used to leave running attempts their old deadline, so a classmate
    who had submitted could see the answer key while others were still answering."""

    running = start(db_session, ex, clock)
    finished = start(db_session, ex, clock, user=ex.other_trainee)
    submit(db_session, finished, clock)
    clock.advance(minutes=2)
    close_opening(db_session, ex.trainer, ex.opening, now=clock.now)
    assert running.deadline_at == clock.now
    clock.advance(seconds=15)
    with pytest.raises(Conflict):
        save(db_session, running, clock, AnswerSave(position=1, answer={}, seq=1))
    assert reread(db_session, running).state == "closed"
    assert "correct_answers" in visible_items(db_session, reread(db_session, finished), clock.now,
                                              grace_seconds=GRACE)[0]


def test_sequential_tests_go_forward_only(db_session, ex, clock):
    ex.quiz.navigation = "sequential"
    db_session.flush()
    attempt = start(db_session, ex, clock)
    save(db_session, attempt, clock, AnswerSave(position=1, answer={}, seq=1))
    save(db_session, attempt, clock, AnswerSave(position=3, answer={}, seq=5))
    # A change to question 2 made before moving on to 3 (sequence 3 < 5), delivered late, still counts.
    assert save(db_session, attempt, clock, AnswerSave(position=2, answer={}, seq=3)).applied == [2]
    with pytest.raises(RuleViolation):
        save(db_session, attempt, clock, AnswerSave(position=2, answer={}, seq=6))
    assert item_at(reread(db_session, attempt), 2).answer_seq == 3


def test_free_navigation_allows_going_back(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    save(db_session, attempt, clock, AnswerSave(position=3, answer={}, seq=1))
    outcome = save(db_session, attempt, clock, AnswerSave(position=1, answer={}, seq=2))
    assert outcome.applied == [1]
