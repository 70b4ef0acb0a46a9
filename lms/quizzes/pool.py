"""The questions a test draws from, parsed once per process and reused while the bank is unchanged.

On test day hundreds of trainees start within seconds; parsing the whole bank for each of them was most
of the cost of a start. A cheap fingerprint query tells when the bank changed (a question added, edited,
retired or restored), and only then is the pool read again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.quizzes.models import Question, QuestionBank
from lms.quizzes.questions import QuestionData
from lms.quizzes.serialize import question_from_dict


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


_cache: dict[tuple[str, int], Pool] = {}
_lock = threading.Lock()


def _fingerprint(session: Session, course_id: int) -> tuple:
    query = (select(func.count(Question.id), func.sum(Question.version), func.max(Question.updated_at),
                    func.max(Question.id))
             .join(QuestionBank).where(QuestionBank.course_id == course_id, Question.active))
    return tuple(session.execute(query).one())


def course_pool(session: Session, course_id: int) -> Pool:
    """The active questions of a course's banks, in id order."""
    cache_key = (str(session.get_bind().engine.url), course_id)
    fingerprint = _fingerprint(session, course_id)
    cached = _cache.get(cache_key)
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    rows = session.execute(
        select(Question.id, Question.data).join(QuestionBank)
        .where(QuestionBank.course_id == course_id, Question.active).order_by(Question.id)
    ).all()
    pool = Pool(fingerprint, tuple(PoolEntry(row.id, row.data, question_from_dict(row.data)) for row in rows))
    with _lock:
        _cache[cache_key] = pool
    return pool
