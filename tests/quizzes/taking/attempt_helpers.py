"""Helpers shared by the attempt-rule tests: start, save and submit with an injected clock, and answers of every kind."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms.quizzes.authoring.serialize import question_from_dict
from lms.quizzes.models import Attempt, AttemptEvent, AttemptQuestion, Question, QuestionBank
from lms.quizzes.presentation import PresentedQuestion
from lms.quizzes.taking.attempts import (
    AnswerSave,
    ClientInfo,
    get_attempt,
    save_answers,
    start_attempt,
    submit_attempt,
)
from lms.quizzes.taking.grading import correct_answer_public
from tests.quizzes.conftest import Clock

GRACE = 10.0
CONTACT = 60.0  # how long before the deadline the page must have been heard from for a late save to count
LIMIT = timedelta(minutes=10)
CLIENT = ClientInfo(address="10.0.0.7", user_agent="pytest")




def start(session, exam, clock: Clock, user=None):
    return start_attempt(session, user or exam.trainee, exam.quiz, now=clock.now, client=CLIENT, grace_seconds=GRACE)


def submit(session, attempt, clock: Clock):
    return submit_attempt(session, attempt, now=clock.now, client=CLIENT, grace_seconds=GRACE)


def save(session, attempt, clock: Clock, *saves: AnswerSave):
    return save_answers(session, attempt, list(saves), now=clock.now, grace_seconds=GRACE, client=CLIENT,
                        contact_seconds=CONTACT)


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
