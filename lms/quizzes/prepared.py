"""First attempts drawn in advance, when the trainer opens a test for a class.

On test day the whole class presses "start" within the same few seconds. Drawing thirty questions,
shuffling their options and inserting the rows is most of what a start costs, and none of it depends
on the moment of starting. So opening a test draws every enrolled trainee's first attempt at once and
stores it as a READY attempt; the start itself becomes one guarded UPDATE that fixes the start time and
the deadline (lms/quizzes/attempts.py, `plan_start`).

A READY attempt is nobody's attempt yet: no list, count, export or trainee page shows it, and the API
answers 404 for it, so its questions cannot be seen before the trainee starts. It is used only while the
question pool and the test definition are as they were when it was drawn (`draw_fingerprint`); otherwise
the start draws afresh and the outdated draw is deleted. Trainees enrolled after the opening, and second
attempts, are drawn at start as before.
"""

from __future__ import annotations

import logging
import secrets
from types import SimpleNamespace

from pydantic import TypeAdapter
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.classes.models import Enrolment
from lms.errors import RuleViolation
from lms.quizzes.attempts import draw_rows
from lms.quizzes.models import Attempt, AttemptQuestion, AttemptState, QuizOpening
from lms.quizzes.pool import draw_fingerprint
from lms.quizzes.review import public_question_dicts
from lms.quizzes.schemas import AttemptQuestionOut

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


def prepared_view(rows: list[dict]) -> list[dict]:
    """The questions as the start response shows them, through the same response model (so no key can
    slip in), ready to be sent without being built or checked again at the busiest moment."""
    items = [SimpleNamespace(answer=None, **row) for row in rows]
    return _VIEW.dump_python(_VIEW.validate_python(public_question_dicts(items)), mode="json")


def _trainees_without_attempts(session: Session, opening: QuizOpening) -> list[int]:
    """Active trainee accounts enrolled in the class with no attempt of any kind at this test."""
    has_attempt = select(Attempt.id).where(Attempt.quiz_id == opening.quiz_id, Attempt.user_id == User.id).exists()
    query = (select(User.id).join(Enrolment, Enrolment.user_id == User.id)
             .where(Enrolment.class_id == opening.class_id, User.role == Role.TRAINEE, User.active, ~has_attempt)
             .order_by(User.id))
    return list(session.scalars(query))
