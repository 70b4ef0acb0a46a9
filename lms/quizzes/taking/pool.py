"""The questions a test draws from, parsed once per process and reused while the bank is unchanged.

On test day hundreds of trainees start within seconds; parsing the whole bank for each of them was most
of the cost of a start. A cheap fingerprint query tells when the bank changed (a question added, edited,
retired or restored), and only then is the pool read again.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Boolean, Integer, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from lms.quizzes.authoring.serialize import question_from_dict
from lms.quizzes.models import Question, QuestionBank, Quiz
from lms.quizzes.questions import QuestionData


@dataclass(frozen=True)
class PoolEntry:
    question_id: int
    data: dict  # the stored JSON, kept as the attempt's snapshot (never mutated)
    question: QuestionData


@dataclass(frozen=True)
class Pool:
    fingerprint: tuple
    entries: tuple[PoolEntry, ...]

    def questions(self) -> list[QuestionData]:
        return [entry.question for entry in self.entries]

    def by_key(self) -> dict[str, PoolEntry]:
        return {entry.question.key: entry for entry in self.entries}


_cache: dict[tuple, Pool] = {}
_lock = threading.Lock()


# Built once, on the tables: every start reads it, and building an ORM statement costs more than SQLite
# running this one. The banks are those the test draws from (lms.quizzes.authoring.ownership): the course's
# content banks, and for a web test the web banks of its own body.
_questions, _banks = Question.__table__.c, QuestionBank.__table__.c
_OF_TEST = (_banks.course_id == bindparam("course_id")) & or_(
    _banks.from_content,
    and_(bindparam("web", type_=Boolean), _banks.organising_body_id.is_not_distinct_from(
        bindparam("body_id", type_=Integer))))
_FINGERPRINT = (select(func.count(_questions.id), func.sum(_questions.version), func.max(_questions.updated_at),
                       func.max(_questions.id))
                .join(QuestionBank.__table__, _banks.id == _questions.bank_id)
                .where(_OF_TEST, _questions.active))
_ROWS = (select(_questions.id, _questions.data).join(QuestionBank.__table__, _banks.id == _questions.bank_id)
         .where(_OF_TEST, _questions.active).order_by(_questions.id))


def _scope(quiz: Quiz) -> dict:
    return {"course_id": quiz.course_id, "web": not quiz.from_content, "body_id": quiz.organising_body_id}


def _fingerprint(session: Session, scope: dict) -> tuple:
    return tuple(session.connection().execute(_FINGERPRINT, scope).one())


def draw_fingerprint(session: Session, quiz: Quiz) -> str:
    """What a draw for this test depends on: the active questions it draws from and the test definition.

    An attempt drawn in advance is used only while this is unchanged (a question edited, added or retired,
    or the test's rules changed, means drawing again)."""
    state = (*_fingerprint(session, _scope(quiz)), quiz.id, quiz.updated_at)
    text = "|".join(value.astimezone(UTC).isoformat() if isinstance(value, datetime) else str(value)
                    for value in state)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def quiz_pool(session: Session, quiz: Quiz) -> Pool:
    """The active questions a test draws from, in id order."""
    scope = _scope(quiz)
    cache_key = (str(session.get_bind().engine.url), *scope.values())
    fingerprint = _fingerprint(session, scope)
    cached = _cache.get(cache_key)
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    rows = session.connection().execute(_ROWS, scope).all()
    pool = Pool(fingerprint, tuple(PoolEntry(row.id, row.data, question_from_dict(row.data)) for row in rows))
    with _lock:
        _cache[cache_key] = pool
    return pool
