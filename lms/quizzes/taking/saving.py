"""The statements of an answer save, built once at import and run on the session's connection.

At the peak every trainee saves every twenty seconds or so. Building an SQLAlchemy statement per request and
running it through the ORM's execute path cost several times what SQLite spends on it, so a save's reads and
writes are Core statements on the tables with bound parameters (as a prepared start's are, prepared.py): no ORM
objects loaded, no unit of work. The rules (order, sequence numbers, deadline, grace, late saves) stay in
attempts.py and lateness.py; these only carry them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from lms.errors import NotFound
from lms.quizzes.models import Attempt, AttemptEvent, AttemptQuestion, AttemptState, Quiz

_questions, _attempts, _quizzes = AttemptQuestion.__table__.c, Attempt.__table__.c, Quiz.__table__.c
# The attempt as a save needs it, with its test's navigation rule, in one statement under the write lock (on
# PostgreSQL the attempt's row is locked, never the test's).
_TARGET = (select(_attempts.id, _attempts.user_id, _attempts.opening_id, _attempts.quiz_id, _attempts.state,
                  _attempts.deadline_at, _attempts.started_at, _attempts.last_seq, _attempts.last_contact_at,
                  _quizzes.navigation)
           .join_from(Attempt.__table__, Quiz.__table__, _quizzes.id == _attempts.quiz_id)
           .where(_attempts.id == bindparam("attempt_id"), _attempts.state != AttemptState.READY.value)
           .with_for_update(of=Attempt.__table__))
_ROWS = select(_questions.position, _questions.id, _questions.presentation).where(
    _questions.attempt_id == bindparam("attempt_id"), _questions.position.in_(bindparam("positions", expanding=True)))
# The sequence check is part of the UPDATE itself: two retries racing each other still leave the newest answer.
_APPLY = (AttemptQuestion.__table__.update()
          .where(_questions.id == bindparam("row_id"), _questions.answer_seq < bindparam("seq"))
          .values(answer=bindparam("answer"), answer_seq=bindparam("seq"), answered_at=bindparam("now")))
_APPLY_FLAGGED = _APPLY.values(flagged=bindparam("flagged"))
_NOTE = (Attempt.__table__.update().where(_attempts.id == bindparam("attempt_id"))
         .values(last_seq=bindparam("last_seq"), last_contact_at=bindparam("last_contact_at")))
_LOG = AttemptEvent.__table__.insert().values(
    attempt_id=bindparam("attempt_id"), kind=bindparam("kind"), at=bindparam("at"), address=bindparam("address"),
    user_agent=bindparam("user_agent"), detail=bindparam("detail"))


@dataclass(frozen=True, slots=True)
class QuizRule:
    navigation: str


@dataclass(slots=True)
class SaveTarget:
    """An open attempt as a save reads and writes it: the columns the save rules use (attempts.save_answers takes
    it in place of an Attempt), without loading an ORM object. Attempts that must be closed first, and closed ones,
    go through the ORM (closing grades them)."""

    id: int
    user_id: int
    opening_id: int | None
    quiz_id: int
    state: str
    deadline_at: datetime
    started_at: datetime
    last_seq: int
    last_contact_at: datetime | None
    quiz: QuizRule


def save_target(session: Session, attempt_id: int) -> SaveTarget:
    """The attempt (not one drawn in advance), read with the caller's write lock held; NotFound when there is none."""
    row = session.connection().execute(_TARGET, {"attempt_id": attempt_id}).first()
    if row is None:
        raise NotFound()
    return SaveTarget(row.id, row.user_id, row.opening_id, row.quiz_id, row.state, row.deadline_at, row.started_at,
                      row.last_seq, row.last_contact_at, QuizRule(row.navigation))


def rows_for(session: Session, attempt_id: int, positions: set[int]) -> dict[int, tuple[int, dict]]:
    """Only the questions being saved: position → (row id, presentation). Loading all thirty was most of a save."""
    result = session.connection().execute(_ROWS, {"attempt_id": attempt_id, "positions": sorted(positions)})
    return {row.position: (row.id, row.presentation) for row in result}


def apply_answer(session: Session, row_id: int, *, seq: int, answer: dict | None, flagged: bool | None,
                 now: datetime) -> bool:
    """Store the answer only if nothing newer is stored (`answer_seq < seq`): True if it was stored."""
    values = {"row_id": row_id, "seq": seq, "answer": answer or None, "now": now}
    if flagged is not None:
        values["flagged"] = flagged
    statement = _APPLY if flagged is None else _APPLY_FLAGGED
    applied = session.connection().execute(statement, values).rowcount == 1
    held = session.identity_map.get(identity_key(AttemptQuestion, row_id))
    if applied and held is not None:
        session.expire(held)  # a copy this session already holds must not hide the new answer
    return applied


def note_save(session: Session, attempt: Attempt | SaveTarget, highest_seq: int, now: datetime) -> None:
    """A save's bookkeeping on its attempt (read under this write lock): the highest sequence number and, by
    lateness.note_contact's rule (only contact before the deadline counts), the last contact. One UPDATE."""
    last_seq = max(highest_seq, attempt.last_seq)
    in_time = attempt.state == AttemptState.OPEN and now <= attempt.deadline_at
    last_contact = now if in_time else attempt.last_contact_at
    if last_seq == attempt.last_seq and last_contact == attempt.last_contact_at:
        return
    session.connection().execute(_NOTE, {"attempt_id": attempt.id, "last_seq": last_seq,
                                         "last_contact_at": last_contact})
    if isinstance(attempt, SaveTarget):
        attempt.last_seq, attempt.last_contact_at = last_seq, last_contact
        return
    set_committed_value(attempt, "last_seq", last_seq)  # the object says what the row now holds: nothing to flush
    set_committed_value(attempt, "last_contact_at", last_contact)


def log_line(session: Session, attempt_id: int, kind: str, *, now: datetime, address: str, user_agent: str,
             detail: dict | None) -> None:
    """One line of the attempt log, a plain INSERT."""
    session.connection().execute(_LOG, {"attempt_id": attempt_id, "kind": kind, "at": now, "address": address[:64],
                                        "user_agent": user_agent[:255], "detail": detail})
