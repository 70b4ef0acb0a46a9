"""Making one attempt's questions from the pool: shared by a start and by drawing in advance."""

from __future__ import annotations

import random

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.errors import RuleViolation
from lms.quizzes.authoring.serialize import rule_from_dict
from lms.quizzes.models import Attempt, AttemptQuestion, Quiz
from lms.quizzes.presentation import present_question
from lms.quizzes.taking.pool import quiz_pool
from lms.quizzes.taking.selection import DrawError, draw_questions


def draw_rows(session: Session, quiz: Quiz, *, seed: int, seen_keys: set[str]) -> list[dict]:
    """Draw, order and present the questions of one attempt: the rows of attempt_questions, without attempt_id."""
    rng = random.Random(seed)
    pool = quiz_pool(session, quiz)
    try:
        drawn = draw_questions(pool.questions(), [rule_from_dict(r) for r in quiz.draw_rules], rng=rng,
                               seen_keys=seen_keys)
    except DrawError as error:
        raise RuleViolation(_("The question bank cannot supply this test: %(reason)s", reason=str(error))) from error
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    entries = pool.by_key()
    rows = []
    for position, question in enumerate(drawn, start=1):
        presented = present_question(question, rng=rng, shuffle_options=quiz.shuffle_options)
        rows.append({"position": position, "question_id": entries[question.key].question_id,
                     "question_key": question.key, "snapshot": entries[question.key].data,
                     "presentation": presented.to_storage_dict(), "max_score": question.points,
                     "answer_seq": 0, "flagged": False})
    return rows


def keys_seen_before(session: Session, previous: list[Attempt]) -> set[str]:
    """The questions of earlier attempts, which a new draw avoids where the bank allows."""
    if not previous:
        return set()
    query = select(AttemptQuestion.question_key).where(AttemptQuestion.attempt_id.in_([a.id for a in previous]))
    return set(session.scalars(query))
