"""Service tests of the timed-test engine with an injected clock (no HTTP): deadlines, extra time, grace, sweep,
attempt limits, ordered idempotent saves, double submit, grading, review and the trainee's test list."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.auth.models import Role
from lms.errors import Conflict, RuleViolation
from lms.quizzes.authoring.serialize import question_from_dict
from lms.quizzes.models import Attempt, AttemptEvent, AttemptQuestion, AttemptState, CloseReason, Question, QuestionBank
from lms.quizzes.presentation import PresentedQuestion
from lms.quizzes.results.overrides import set_override
from lms.quizzes.taking import attempts as attempt_rules
from lms.quizzes.taking import catalogue
from lms.quizzes.taking.attempts import (
    AnswerSave,
    ClientInfo,
    attempts_allowed,
    close_if_overdue,
    counted_attempt,
    get_attempt,
    save_answers,
    start_attempt,
    submit_attempt,
    sweep_overdue,
)
from lms.quizzes.taking.deadlines import compute_deadline
from lms.quizzes.taking.grading import correct_answer_public
from lms.quizzes.taking.openings import close_opening
from lms.quizzes.taking.review import public_questions, result_view, visible_items
from tests.factories import make_user
from tests.quizzes.conftest import NOW, Clock

GRACE = 10.0
LIMIT = timedelta(minutes=10)
CLIENT = ClientInfo(address="10.0.0.7", user_agent="pytest")


# --------------------------------------------------------------------------- helpers (also used by test_results)


def start(session, exam, clock: Clock, user=None):
    return start_attempt(session, user or exam.trainee, exam.quiz, now=clock.now, client=CLIENT, grace_seconds=GRACE)


def submit(session, attempt, clock: Clock):
    return submit_attempt(session, attempt, now=clock.now, client=CLIENT, grace_seconds=GRACE)


def save(session, attempt, clock: Clock, *saves: AnswerSave):
    return save_answers(session, attempt, list(saves), now=clock.now, grace_seconds=GRACE, client=CLIENT)


def item_at(attempt, position: int) -> AttemptQuestion:
    return next(q for q in attempt.questions if q.position == position)


def item_of_type(attempt, qtype: str) -> AttemptQuestion:
    return next(q for q in attempt.questions if q.snapshot["type"] == qtype)


def item_with_key(attempt, key: str) -> AttemptQuestion:
    return next(q for q in attempt.questions if q.question_key == key)


def presented(item: AttemptQuestion) -> PresentedQuestion:
    return PresentedQuestion.from_storage_dict(item.presentation)


def right_answer(item: AttemptQuestion) -> dict:
    """A full-credit answer in the attempt's presented ids (short and numeric turned into a typed text)."""
    public = correct_answer_public(question_from_dict(item.snapshot), presented(item))
    if "texts" in public:
        return {"text": public["texts"][0]}
    if "ranges" in public:
        return {"text": f"{public['ranges'][0]['min']:g}"}
    return public


def wrong_answer(item: AttemptQuestion) -> dict:
    """An answered but zero-credit answer in the attempt's presented ids."""
    shown, right = presented(item), right_answer(item)
    qtype = item.snapshot["type"]
    if qtype == "single":
        return {"choice": next(c.id for c in shown.choices if c.id != right["choice"])}
    if qtype == "multiple":
        return {"choices": [next(c.id for c in shown.choices if c.id not in right["choices"])]}
    if qtype == "true_false":
        return {"value": not right["value"]}
    if qtype in ("short", "numeric"):
        return {"text": "987654"}
    if qtype == "matching":
        lefts, rights = list(right["pairs"]), list(right["pairs"].values())
        return {"pairs": dict(zip(lefts, rights[1:] + rights[:1], strict=True))}
    return {"order": list(reversed(right["order"]))}


def answer_all(session, attempt, clock: Clock, make=right_answer, positions=None) -> None:
    items = [q for q in attempt.questions if positions is None or q.position in positions]
    saves = [AnswerSave(position=q.position, answer=make(q), seq=attempt.last_seq + i)
             for i, q in enumerate(items, start=1)]
    outcome = save(session, attempt, clock, *saves)
    assert outcome.applied == [q.position for q in items]


def events(session, attempt, kind: str) -> list[AttemptEvent]:
    return list(session.scalars(select(AttemptEvent).where(AttemptEvent.attempt_id == attempt.id,
                                                           AttemptEvent.kind == kind)))


def bank_keys(session, quiz) -> set[str]:
    return set(session.scalars(select(Question.key).join(QuestionBank).where(QuestionBank.course_id == quiz.course_id,
                                                                             Question.active)))


def reread(session, attempt) -> Attempt:
    """The attempt as stored: drop everything the session holds and load it again."""
    session.expire_all()
    return get_attempt(session, attempt.id)


# --------------------------------------------------------------------------- deadlines and extra time


def test_compute_deadline_is_the_earlier_of_limit_and_window():
    assert compute_deadline(started_at=NOW, time_limit_minutes=10, extra_minutes=0,
                            closes_at=NOW + timedelta(hours=1)) == NOW + LIMIT
    assert compute_deadline(started_at=NOW, time_limit_minutes=10, extra_minutes=5,
                            closes_at=NOW + timedelta(hours=1)) == NOW + timedelta(minutes=15)
    assert compute_deadline(started_at=NOW, time_limit_minutes=10, extra_minutes=5,
                            closes_at=NOW + timedelta(minutes=7)) == NOW + timedelta(minutes=7)


def test_deadline_is_start_plus_limit_when_the_window_closes_later(db_session, ex, clock):
    clock.advance(minutes=3)
    attempt = start(db_session, ex, clock)
    assert attempt.number == 1 and attempt.state == AttemptState.OPEN
    assert attempt.started_at == clock.now
    assert attempt.deadline_at == clock.now + LIMIT
    assert reread(db_session, attempt).deadline_at == NOW + timedelta(minutes=13)
    assert len(attempt.questions) == 8


def test_deadline_is_the_window_close_when_it_closes_earlier(db_session, ex, clock):
    ex.opening.closes_at = NOW + timedelta(minutes=4)
    db_session.flush()
    attempt = start(db_session, ex, clock)
    assert attempt.deadline_at == NOW + timedelta(minutes=4)


def test_extra_minutes_set_before_start_extend_the_deadline(db_session, ex, clock):
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=15, extra_attempts=0, reason="khiếm thị",
                 now=clock.now)
    attempt = start(db_session, ex, clock)
    assert attempt.deadline_at == NOW + timedelta(minutes=25)
    other = start(db_session, ex, clock, user=ex.other_trainee)
    assert other.deadline_at == NOW + LIMIT


def test_extra_minutes_never_go_past_the_window(db_session, ex, clock):
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=600, extra_attempts=0, reason="", now=clock.now)
    attempt = start(db_session, ex, clock)
    assert attempt.deadline_at == ex.opening.closes_at == NOW + timedelta(hours=2)


def test_override_during_an_open_attempt_moves_its_deadline_at_once(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    clock.advance(minutes=2)
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=20, extra_attempts=0, reason="mất mạng",
                 now=clock.now)
    assert reread(db_session, attempt).deadline_at == NOW + timedelta(minutes=30)
    clock.advance(minutes=1)
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=5, extra_attempts=0, reason="sửa lại", now=clock.now)
    assert reread(db_session, attempt).deadline_at == NOW + timedelta(minutes=15)


def test_shortening_extra_time_never_puts_the_deadline_before_now(db_session, ex, clock):
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=30, extra_attempts=0, reason="", now=clock.now)
    attempt = start(db_session, ex, clock)
    assert attempt.deadline_at == NOW + timedelta(minutes=40)
    clock.advance(minutes=20)
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=0, extra_attempts=0, reason="", now=clock.now)
    attempt = reread(db_session, attempt)
    assert attempt.deadline_at == clock.now
    assert attempt.state == AttemptState.OPEN
    # Within the grace the page can still hand in what was typed before; after it, the attempt closes.
    assert not close_if_overdue(db_session, attempt, now=clock.now + timedelta(seconds=GRACE), grace_seconds=GRACE)
    assert close_if_overdue(db_session, attempt, now=clock.now + timedelta(seconds=GRACE + 1), grace_seconds=GRACE)


def test_override_of_another_trainee_leaves_the_attempt_alone(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    set_override(db_session, ex.quiz, ex.other_trainee, extra_minutes=30, extra_attempts=0, reason="", now=clock.now)
    assert reread(db_session, attempt).deadline_at == NOW + LIMIT


def test_override_limits_are_enforced(db_session, ex, clock):
    with pytest.raises(RuleViolation):
        set_override(db_session, ex.quiz, ex.trainee, extra_minutes=601, extra_attempts=0, reason="", now=clock.now)
    with pytest.raises(RuleViolation):
        set_override(db_session, ex.quiz, ex.trainee, extra_minutes=0, extra_attempts=-1, reason="", now=clock.now)


# --------------------------------------------------------------------------- starting, resuming, limits


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


# --------------------------------------------------------------------------- saves


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


# --------------------------------------------------------------------------- grace and closing on time


def test_a_change_made_before_the_deadline_is_taken_within_the_grace(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    tf, short = item_of_type(attempt, "true_false"), item_of_type(attempt, "short")
    clock.now = attempt.deadline_at + timedelta(seconds=5)
    outcome = save(db_session, attempt, clock, AnswerSave(tf.position, {"value": True}, seq=1),
                   AnswerSave(short.position, {"text": "PDCA"}, seq=2, changed_before_deadline=False))
    assert outcome.applied == [tf.position] and outcome.stale == [short.position]
    attempt = reread(db_session, attempt)
    assert item_at(attempt, tf.position).answer == {"value": True}
    assert item_at(attempt, short.position).answer is None
    assert attempt.state == AttemptState.OPEN


def test_a_save_after_the_grace_closes_and_grades_the_attempt(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    tf = item_of_type(attempt, "true_false")
    save(db_session, attempt, clock, AnswerSave(tf.position, right_answer(tf), seq=1))
    clock.now = attempt.deadline_at + timedelta(seconds=GRACE + 1)
    with pytest.raises(Conflict):
        save(db_session, attempt, clock, AnswerSave(tf.position, wrong_answer(tf), seq=2))
    attempt = reread(db_session, attempt)
    assert attempt.state == AttemptState.CLOSED and attempt.close_reason == CloseReason.DEADLINE
    assert attempt.closed_at == NOW + LIMIT
    assert item_at(attempt, tf.position).answer == right_answer(tf)
    assert attempt.score == 1.0 and attempt.max_score == 8.0 and attempt.percent == 12.5 and attempt.passed is False
    with pytest.raises(Conflict):
        save(db_session, attempt, clock, AnswerSave(tf.position, wrong_answer(tf), seq=3))


def test_close_if_overdue_waits_for_the_grace(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    deadline = attempt.deadline_at
    assert not close_if_overdue(db_session, attempt, now=deadline, grace_seconds=GRACE)
    assert not close_if_overdue(db_session, attempt, now=deadline + timedelta(seconds=GRACE), grace_seconds=GRACE)
    assert attempt.state == AttemptState.OPEN
    assert close_if_overdue(db_session, attempt, now=deadline + timedelta(seconds=GRACE + 1), grace_seconds=GRACE)
    attempt = reread(db_session, attempt)
    assert attempt.state == AttemptState.CLOSED and attempt.close_reason == CloseReason.DEADLINE
    assert attempt.closed_at == deadline and attempt.score == 0.0
    assert not close_if_overdue(db_session, attempt, now=deadline + timedelta(hours=1), grace_seconds=GRACE)


def test_sweep_closes_only_overdue_attempts(db_session, ex, clock):
    late = start(db_session, ex, clock)
    answer_all(db_session, late, clock)
    clock.advance(minutes=5)
    in_time = start(db_session, ex, clock, user=ex.other_trainee)
    clock.now = NOW + LIMIT + timedelta(seconds=GRACE)
    assert sweep_overdue(db_session, now=clock.now, grace_seconds=GRACE) == 0
    clock.advance(minutes=3)
    assert sweep_overdue(db_session, now=clock.now, grace_seconds=GRACE) == 1
    late, in_time = reread(db_session, late), get_attempt(db_session, in_time.id)
    assert late.state == AttemptState.CLOSED and late.close_reason == CloseReason.SWEEP
    assert late.closed_at == late.deadline_at == NOW + LIMIT
    assert late.percent == 100.0 and late.passed is True
    assert all(q.correct is True and q.score == q.max_score for q in late.questions)
    assert in_time.state == AttemptState.OPEN and in_time.closed_at is None and in_time.score is None
    assert sweep_overdue(db_session, now=clock.now, grace_seconds=GRACE) == 0
    clock.advance(hours=1)
    assert sweep_overdue(db_session, now=clock.now, grace_seconds=GRACE) == 1
    in_time = reread(db_session, in_time)
    assert in_time.close_reason == CloseReason.SWEEP and in_time.closed_at == NOW + timedelta(minutes=15)


# --------------------------------------------------------------------------- submitting


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


# --------------------------------------------------------------------------- grading


def test_all_right_is_full_marks(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock)
    submit(db_session, attempt, clock)
    attempt = reread(db_session, attempt)
    assert (attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (8.0, 8.0, 100.0, True)
    for item in attempt.questions:
        assert (item.score, item.max_score, item.correct) == (1.0, 1.0, True), item.question_key
        assert item.grade_detail["answered"] is True


def test_all_wrong_or_empty_is_zero(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock, make=wrong_answer, positions={1, 2, 3, 4, 5})
    submit(db_session, attempt, clock)
    attempt = reread(db_session, attempt)
    assert (attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (0.0, 8.0, 0.0, False)
    for item in attempt.questions:
        assert item.score == 0.0, item.question_key
        assert item.correct is (False if item.position <= 5 else None), item.question_key


def test_grades_per_question_follow_the_answers(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    right = {q.position for q in attempt.questions if q.question_key in ("km-001", "km-101", "km-102")}
    answer_all(db_session, attempt, clock, positions=right)
    answer_all(db_session, attempt, clock, make=wrong_answer, positions={item_with_key(attempt, "km-005").position})
    submit(db_session, attempt, clock)
    attempt = reread(db_session, attempt)
    assert attempt.score == 3.0 and attempt.percent == 37.5 and attempt.passed is False
    graded = {q.question_key: (q.score, q.correct) for q in attempt.questions}
    assert graded == {"km-001": (1.0, True), "km-101": (1.0, True), "km-102": (1.0, True), "km-005": (0.0, False),
                      "km-002": (0.0, None), "km-003": (0.0, None), "km-004": (0.0, None), "km-103": (0.0, None)}


def test_half_of_a_matching_question_gives_partial_credit(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    matching = item_of_type(attempt, "matching")
    pairs = right_answer(matching)["pairs"]
    first_left = next(iter(pairs))
    save(db_session, attempt, clock, AnswerSave(matching.position, {"pairs": {first_left: pairs[first_left]}}, seq=1))
    submit(db_session, attempt, clock)
    item = item_at(reread(db_session, attempt), matching.position)
    assert item.score == pytest.approx(1 / 3) and item.correct is False


def test_counted_attempt_highest_or_last(db_session, ex, clock):
    assert counted_attempt([], "highest") is None
    best = start(db_session, ex, clock)
    answer_all(db_session, best, clock)
    submit(db_session, best, clock)
    worse = start(db_session, ex, clock)
    assert counted_attempt([best, worse], "last") is best  # an open attempt never counts
    answer_all(db_session, worse, clock, positions={1})
    submit(db_session, worse, clock)
    attempts = [reread(db_session, best), get_attempt(db_session, worse.id)]
    assert [a.percent for a in attempts] == [100.0, 12.5]
    assert counted_attempt(attempts, "highest").id == best.id
    assert counted_attempt(attempts, "last").id == worse.id


def test_counted_attempt_prefers_the_earlier_of_equal_scores(db_session, ex, clock):
    first = start(db_session, ex, clock)
    submit(db_session, first, clock)
    second = start(db_session, ex, clock)
    submit(db_session, second, clock)
    assert counted_attempt([second, first], "highest").id == first.id


# --------------------------------------------------------------------------- review


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
    assert visible_items(attempt, clock.now) == set()
    assert result_view(attempt, clock.now) == {"state": AttemptState.OPEN, "visible": []}
    # Even with the window over, an attempt still open shows nothing.
    assert visible_items(attempt, ex.opening.closes_at + timedelta(minutes=1)) == set()


def test_after_submit_only_the_review_after_submit_items(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock)
    submit(db_session, attempt, clock)
    attempt = reread(db_session, attempt)
    assert visible_items(attempt, clock.now) == {"score", "passed"}
    view = result_view(attempt, clock.now)
    assert view == {"state": AttemptState.CLOSED, "visible": ["passed", "score"], "score": 8.0, "max_score": 8.0,
                    "percent": 100.0, "passed": True}
    ex.quiz.review_after_submit = ["passed"]
    db_session.flush()
    view = result_view(attempt, clock.now)
    assert "score" not in view and "percent" not in view and view["passed"] is True
    ex.quiz.review_after_submit = []
    db_session.flush()
    assert result_view(attempt, clock.now) == {"state": AttemptState.CLOSED, "visible": []}


def test_after_the_window_closes_answers_and_explanations(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    single = item_of_type(attempt, "single")
    save(db_session, attempt, clock, AnswerSave(single.position, wrong_answer(single), seq=1))
    submit(db_session, attempt, clock)
    clock.advance(minutes=20)
    assert "questions" not in result_view(attempt, clock.now)
    close_opening(db_session, ex.trainer, ex.opening, now=clock.now)
    assert ex.opening.closes_at == clock.now
    attempt = reread(db_session, attempt)
    assert visible_items(attempt, clock.now) == {"score", "passed", "correct_answers", "explanations"}
    view = result_view(attempt, clock.now)
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
    ex.opening.closes_at = clock.now - timedelta(minutes=1)
    db_session.flush()
    view = result_view(reread(db_session, attempt), clock.now)
    assert {"correct_answers", "explanations"} <= set(view["visible"])
    assert all("correct_answer" in q and "explanation" in q for q in view["questions"])


# --------------------------------------------------------------------------- the trainee's test list


def test_test_list_before_and_after_start(db_session, ex, clock):
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.quiz_id == ex.quiz.id and summary.is_open and summary.can_start
    assert (summary.attempts_used, summary.attempts_allowed, summary.open_attempt_id) == (0, 2, None)
    assert summary.question_count == 8 and summary.time_limit_minutes == 10 and summary.pass_mark_percent == 60
    assert summary.best_percent is None and summary.passed is None
    attempt = start(db_session, ex, clock)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.open_attempt_id == attempt.id and summary.attempts_used == 1 and summary.can_start
    answer_all(db_session, attempt, clock, positions={1, 2, 3, 4, 5, 6})
    submit(db_session, attempt, clock)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.open_attempt_id is None and summary.attempts_used == 1 and summary.can_start
    assert summary.best_percent == 75.0 and summary.passed is True


def test_test_list_when_attempts_are_used_up(db_session, ex, clock):
    for _ in range(2):
        submit(db_session, start(db_session, ex, clock), clock)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.attempts_used == 2 and not summary.can_start and summary.is_open
    set_override(db_session, ex.quiz, ex.trainee, extra_minutes=0, extra_attempts=1, reason="", now=clock.now)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.attempts_allowed == 3 and summary.can_start
    ex.quiz.max_attempts = 0
    db_session.flush()
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.attempts_allowed is None and summary.can_start


def test_test_list_hides_results_the_review_rules_hide(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    answer_all(db_session, attempt, clock)
    submit(db_session, attempt, clock)
    ex.quiz.review_after_submit = []
    db_session.flush()
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.best_percent is None and summary.passed is None
    ex.quiz.review_after_submit = ["score"]
    db_session.flush()
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.best_percent == 100.0 and summary.passed is None


def test_test_list_closes_an_overdue_attempt_and_shows_a_closed_window(db_session, ex, clock):
    attempt = start(db_session, ex, clock)
    clock.advance(minutes=30)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert summary.open_attempt_id is None and summary.attempts_used == 1
    assert reread(db_session, attempt).close_reason == CloseReason.DEADLINE
    clock.now = ex.opening.closes_at + timedelta(days=1)
    [summary] = catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE)
    assert not summary.is_open and not summary.can_start
    clock.now = ex.opening.closes_at + timedelta(days=31)
    assert catalogue.tests_for_trainee(db_session, ex.trainee, now=clock.now, grace_seconds=GRACE) == []


def test_test_list_is_empty_for_someone_not_enrolled(db_session, ex, clock):
    stranger = make_user(db_session, Role.TRAINEE, username="nguoi.la2")
    assert catalogue.tests_for_trainee(db_session, stranger, now=clock.now, grace_seconds=GRACE) == []




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
    from lms.quizzes.taking.openings import close_opening
    from lms.quizzes.taking.review import visible_items

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
    assert "correct_answers" in visible_items(reread(db_session, finished), clock.now)


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
