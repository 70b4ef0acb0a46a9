"""First attempts drawn in advance, when the trainer opens a test for a class.

On test day the whole class presses "start" within the same few seconds. Drawing thirty questions,
shuffling their options and inserting the rows is most of what a start costs, and none of it depends
on the moment of starting. So opening a test draws every enrolled trainee's first attempt at once and
stores it as a READY attempt; the start itself becomes one guarded UPDATE that fixes the start time and
the deadline (lms/quizzes/taking/attempts.py, `plan_start`).

A READY attempt is nobody's attempt yet: no list, count, export or trainee page shows it, and the API
answers 404 for it, so its questions cannot be seen before the trainee starts. It is used only while the
question pool and the test definition are as they were when it was drawn (`draw_fingerprint`); otherwise
the start draws afresh and the outdated draw is deleted. Trainees enrolled after the opening, and second
attempts, are drawn at start as before.

The start of a prepared attempt (`prepared_start`, then `take_prepared`) runs a few statements built once
at import: at the peak, building and caching SQL statements cost more than SQLite running them. Whatever
it does not cover (an open or finished attempt, no window, a changed bank) goes to the full rules in
lms/quizzes/taking/attempts.py.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from pydantic import TypeAdapter
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.classes.models import Enrolment, EnrolmentStatus
from lms.errors import RuleViolation
from lms.quizzes.models import (
    Attempt,
    AttemptEvent,
    AttemptQuestion,
    AttemptState,
    Quiz,
    QuizOpening,
    QuizOverride,
)
from lms.quizzes.taking.deadlines import compute_deadline
from lms.quizzes.taking.draw import draw_rows
from lms.quizzes.taking.pool import draw_fingerprint
from lms.quizzes.taking.review import public_question_dicts
from lms.quizzes.taking.schemas import AttemptQuestionOut

log = logging.getLogger(__name__)
_VIEW = TypeAdapter(list[AttemptQuestionOut])


def prepare_first_attempts(session: Session, opening: QuizOpening) -> int:
    """Draw a READY first attempt for every active trainee of the class who has none at this test yet.

    Returns how many were drawn. Never fails the opening: if the bank cannot supply the test, or a
    trainee started meanwhile, nothing is prepared and starts draw as usual (and report the problem).
    """
    quiz = opening.quiz
    trainees = _trainees_without_attempts(session, opening)
    if not trainees:
        return 0
    fingerprint = draw_fingerprint(session, quiz)
    try:
        with session.begin_nested():
            attempts = [Attempt(quiz_id=quiz.id, opening_id=opening.id, user_id=user_id, number=1,
                                state=AttemptState.READY, started_at=opening.opens_at,  # both set at start
                                deadline_at=opening.closes_at,
                                seed=secrets.randbits(31), draw_fingerprint=fingerprint)
                        for user_id in trainees]
            drawn = [draw_rows(session, quiz, seed=attempt.seed, seen_keys=set()) for attempt in attempts]
            for attempt, rows in zip(attempts, drawn, strict=True):
                attempt.prepared_view = prepared_view(rows)
            session.add_all(attempts)
            session.flush()
            session.execute(insert(AttemptQuestion), [{**row, "attempt_id": attempt.id}
                                                      for attempt, rows in zip(attempts, drawn, strict=True)
                                                      for row in rows])
    except RuleViolation as error:
        log.warning("no attempts drawn in advance for opening %s: %s", opening.id, error.message)
        return 0
    except IntegrityError:
        log.warning("no attempts drawn in advance for opening %s: a trainee started meanwhile", opening.id)
        return 0
    return len(trainees)


def prepared_view(rows: list[dict]) -> str:
    """The questions as the start response shows them, as JSON text made through the same response model
    (so no key can slip in), to be sent as it is at the busiest moment."""
    items = [SimpleNamespace(answer=None, **row) for row in rows]
    return _VIEW.dump_json(_VIEW.validate_python(public_question_dicts(items))).decode()


def _trainees_without_attempts(session: Session, opening: QuizOpening) -> list[int]:
    """Active trainee accounts enrolled in the class with no attempt of any kind at this test."""
    has_attempt = select(Attempt.id).where(Attempt.quiz_id == opening.quiz_id, Attempt.user_id == User.id).exists()
    query = (select(User.id).join(Enrolment, Enrolment.user_id == User.id)
             .where(Enrolment.class_id == opening.class_id, Enrolment.status == EnrolmentStatus.ACTIVE,
                    User.role == Role.TRAINEE, User.active, ~has_attempt)
             .order_by(User.id))
    return list(session.scalars(query))


# --------------------------------------------------------------------------- starting a prepared attempt

# Core statements on the tables (not the ORM classes) run on the session's connection: no ORM
# compilation step, no unit of work, for the three reads and two writes of a start.
_attempts, _openings = Attempt.__table__.c, QuizOpening.__table__.c
_ATTEMPTS = select(_attempts.id, _attempts.number, _attempts.state, _attempts.draw_fingerprint,
                   _attempts.prepared_view).where(_attempts.quiz_id == bindparam("quiz_id"),
                                                  _attempts.user_id == bindparam("user_id"))
_OPENING = (select(_openings.id, _openings.closes_at)
            .join(Enrolment.__table__, Enrolment.__table__.c.class_id == _openings.class_id)
            .where(Enrolment.__table__.c.user_id == bindparam("user_id"),
                   Enrolment.__table__.c.status == EnrolmentStatus.ACTIVE.value, _openings.quiz_id == bindparam("quiz_id"),
                   _openings.opens_at <= bindparam("now"), _openings.closes_at > bindparam("now"))
            .order_by(_openings.closes_at.desc()).limit(1))
_EXTRA_MINUTES = select(QuizOverride.__table__.c.extra_minutes).where(
    QuizOverride.__table__.c.quiz_id == bindparam("quiz_id"), QuizOverride.__table__.c.user_id == bindparam("user_id"))
_TAKE = (Attempt.__table__.update()
         .where(_attempts.id == bindparam("attempt_id"), _attempts.state == AttemptState.READY.value)
         .values(state=AttemptState.OPEN.value, started_at=bindparam("now"), deadline_at=bindparam("deadline"),
                 opening_id=bindparam("opening"), draw_fingerprint=None, prepared_view=None))
_LOG_START = AttemptEvent.__table__.insert().values(
    attempt_id=bindparam("attempt_id"), kind="start", at=bindparam("now"), address=bindparam("address"),
    user_agent=bindparam("user_agent"))


@dataclass(frozen=True)
class PreparedStart:
    """A first attempt drawn in advance that may be started now, with the values the start fixes."""

    attempt_id: int
    number: int
    opening_id: int
    started_at: datetime
    deadline_at: datetime
    questions_json: str  # the start response's questions, rendered in advance


def prepared_start(session: Session, user_id: int, quiz: Quiz, *, now: datetime) -> PreparedStart | None:
    """Reads only. The trainee's one attempt at this test is READY, a window is open for them and the bank
    and test are unchanged since the draw: that attempt starts now. Otherwise None (full rules decide)."""
    keys = {"quiz_id": quiz.id, "user_id": user_id}
    connection = session.connection()
    attempts = connection.execute(_ATTEMPTS, keys).all()
    if len(attempts) != 1 or attempts[0].state != AttemptState.READY:
        return None
    ready = attempts[0]
    opening = connection.execute(_OPENING, {**keys, "now": now}).first()
    if opening is None or ready.draw_fingerprint != draw_fingerprint(session, quiz):
        return None
    extra_minutes = connection.execute(_EXTRA_MINUTES, keys).scalar() or 0
    deadline = compute_deadline(started_at=now, time_limit_minutes=quiz.time_limit_minutes,
                                extra_minutes=extra_minutes, closes_at=opening.closes_at)
    return PreparedStart(ready.id, ready.number, opening.id, now, deadline, ready.prepared_view)


def take_prepared(session: Session, start: PreparedStart, *, address: str, user_agent: str) -> bool:
    """The writes of the start: one guarded UPDATE and the log line. False if another tab took it first."""
    connection = session.connection()
    taken = connection.execute(_TAKE, {"attempt_id": start.attempt_id, "now": start.started_at,
                                       "deadline": start.deadline_at, "opening": start.opening_id}).rowcount == 1
    if taken:
        connection.execute(_LOG_START, {"attempt_id": start.attempt_id, "now": start.started_at,
                                     "address": address[:64], "user_agent": user_agent[:255]})
    return taken
