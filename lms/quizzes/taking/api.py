"""The attempt lifecycle as JSON: list my tests, start, get, save answers, log events, submit, result."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from lms.api import api_route
from lms.auth.models import Role
from lms.db import begin_writes, get_session, utcnow
from lms.errors import NotFound, TooManyRequests
from lms.hooks import fire
from lms.quizzes.models import Attempt, AttemptState, Quiz
from lms.quizzes.taking import attempts as attempt_rules
from lms.quizzes.taking.catalogue import tests_for_trainee
from lms.quizzes.taking.deadlines import seconds_until
from lms.quizzes.taking.events import record_page_event
from lms.quizzes.taking.lateness import note_contact, record_contact
from lms.quizzes.taking.openings import get_quiz
from lms.quizzes.taking.prepared import PreparedStart, prepared_start, take_prepared
from lms.quizzes.taking.review import public_questions, result_view
from lms.quizzes.taking.saving import SaveTarget, save_target
from lms.quizzes.taking.schemas import Ack, AttemptHead, AttemptOut, EventIn, ResultOut, SaveIn, SaveOut, TestList

bp = Blueprint("quizzes_api", __name__, url_prefix="/api/v1")
TRAINEE_ONLY = (Role.TRAINEE,)


def grace() -> float:
    return float(current_app.config["QUIZ_SAVE_GRACE_SECONDS"])


def contact_seconds() -> float:
    return float(current_app.config["QUIZ_LATE_SAVE_CONTACT_SECONDS"])


def client_info() -> attempt_rules.ClientInfo:
    return attempt_rules.ClientInfo(address=request.remote_addr or "", user_agent=request.user_agent.string or "")


def own_attempt(attempt_id: int, *, for_update: bool = False, with_questions: bool = True,
                with_quiz: bool = False) -> Attempt:
    """Only the trainee who owns an attempt reaches it through this API (others get 404, not a hint)."""
    attempt = attempt_rules.get_attempt(get_session(), attempt_id, for_update=for_update, with_questions=with_questions,
                                        with_quiz=with_quiz)
    if attempt.user_id != current_user.id:
        raise NotFound()
    return attempt


def _head_fields(attempt: Attempt) -> dict:
    return dict(
        id=attempt.id, quiz_id=attempt.quiz_id, title=attempt.quiz.title, number=attempt.number,
        state=attempt.state, navigation=attempt.quiz.navigation, started_at=attempt.started_at,
        deadline_at=attempt.deadline_at, remaining_seconds=attempt_rules.remaining_seconds(attempt, utcnow()),
        grace_seconds=grace(), last_seq=attempt.last_seq,
    )


def attempt_out(attempt: Attempt, items=None) -> AttemptOut:
    return AttemptOut(**_head_fields(attempt), questions=public_questions(attempt, items))


def prepared_start_response(quiz: Quiz, start: PreparedStart, now: datetime) -> Response:
    """The AttemptOut of a start that took an attempt drawn in advance. Its questions were rendered to JSON
    through AttemptQuestionOut when the test was opened (lms/quizzes/taking/prepared.py): they are put in as they
    are instead of being decoded, checked and encoded again while the whole class is starting."""
    head = AttemptHead(id=start.attempt_id, quiz_id=quiz.id, title=quiz.title, number=start.number,
                       state=AttemptState.OPEN, navigation=quiz.navigation, started_at=start.started_at,
                       deadline_at=start.deadline_at,
                       remaining_seconds=seconds_until(start.deadline_at, now),
                       grace_seconds=grace(), last_seq=0).model_dump_json()
    body = f'{head[:-1]},"questions":{start.questions_json}}}'
    return current_app.response_class(body, status=201, mimetype="application/json")


@api_route(bp, "/tests", "GET", summary="Tests open (or upcoming) for the current trainee", response=TestList, roles=TRAINEE_ONLY)
def list_tests():
    session = get_session()
    return TestList(tests=tests_for_trainee(session, current_user, now=utcnow(), grace_seconds=grace()))


@api_route(bp, "/tests/<int:quiz_id>/attempts", "POST", summary="Start an attempt, or resume the open one",
           response=AttemptOut, roles=TRAINEE_ONLY, deferred_writes=True, status=201)
def start_attempt(quiz_id: int):
    session = get_session()
    now = utcnow()
    # Held here so that attempt.quiz is found in the session after the commit: a lazy load there would
    # begin a new transaction, and after begin_writes that one queues for SQLite's write lock.
    quiz = get_quiz(session, quiz_id)
    client = client_info()
    prepared = prepared_start(session, current_user.id, quiz, now=now)
    if prepared is not None:  # the usual case on test day: drawn and rendered when the test was opened
        begin_writes(session)
        if take_prepared(session, prepared, address=client.address, user_agent=client.user_agent):
            session.commit()
            fire("attempt_changed", attempt_id=prepared.attempt_id, opening_id=prepared.opening_id,
                 user_id=current_user.id)  # the class's live room, after the commit
            return prepared_start_response(quiz, prepared, now)
        # Another tab started it a moment ago: the full rules below resume that attempt.
    plan = attempt_rules.plan_start(session, current_user, quiz, now=now, grace_seconds=grace())
    begin_writes(session)
    attempt = attempt_rules.carry_out_start(session, plan, now=now, client=client, grace_seconds=grace())
    if attempt is plan.new:  # answer from the rows just inserted instead of reading them back
        items = [SimpleNamespace(answer=None, **row) for row in plan.rows]
    else:  # read before the commit: a read after it would begin another write transaction
        items = attempt_rules.public_items(session, attempt.id)
    session.commit()
    fire("attempt_changed", attempt_id=attempt.id, opening_id=attempt.opening_id, user_id=attempt.user_id)
    return attempt_out(attempt, items), 201


@api_route(bp, "/attempts/<int:attempt_id>", "GET", summary="An attempt with its questions and remaining time",
           response=AttemptOut, roles=TRAINEE_ONLY)
def get_attempt(attempt_id: int):
    session = get_session()
    attempt = own_attempt(attempt_id)
    now = utcnow()
    if not attempt_rules.close_if_overdue(session, attempt, now=now, grace_seconds=grace()):
        note_contact(attempt, now=now)
    session.commit()
    return attempt_out(attempt)


@api_route(bp, "/attempts/<int:attempt_id>/contact", "POST", response=Ack, roles=TRAINEE_ONLY,
           summary="The open test page is still there (sent in the last minutes; bounds which late saves count)")
def keep_contact(attempt_id: int):
    session = get_session()
    attempt = own_attempt(attempt_id, with_questions=False)
    now = utcnow()
    in_time = record_contact(session, attempt.id, now=now)
    session.commit()
    return Ack(ok=in_time, remaining_seconds=attempt_rules.remaining_seconds(attempt, now))


@api_route(bp, "/attempts/<int:attempt_id>/answers", "POST", summary="Save answer changes (ordered, idempotent)",
           body=SaveIn, response=SaveOut, roles=TRAINEE_ONLY, deferred_writes=True)
def save_answers(attempt_id: int, body: SaveIn):
    session = get_session()
    begin_writes(session)
    # One Core read, under the write lock: ownership, current state, deadline and last_seq, with the quiz's
    # navigation rule (no ORM object: loading one was about a fifth of a save). An attempt to be closed first, or
    # closed already, is loaded as an ORM object: closing grades it, and the rules answer as before.
    attempt: Attempt | SaveTarget = save_target(session, attempt_id)
    if attempt.user_id != current_user.id:
        raise NotFound()
    saves = [attempt_rules.AnswerSave(**item.model_dump()) for item in body.saves]
    now = utcnow()
    if attempt.state != AttemptState.OPEN or now > attempt.deadline_at + timedelta(seconds=grace()):
        attempt = own_attempt(attempt_id, for_update=True, with_questions=False, with_quiz=True)
    try:
        outcome = attempt_rules.save_answers(session, attempt, saves, now=now, grace_seconds=grace(),
                                             client=client_info(), contact_seconds=contact_seconds())
    finally:
        session.commit()  # keeps a lazy close even when the save itself is refused
    if outcome.applied:
        fire("attempt_changed", attempt_id=attempt.id, opening_id=attempt.opening_id, user_id=attempt.user_id)
    return SaveOut(applied=outcome.applied, stale=outcome.stale, last_seq=outcome.last_seq,
                   remaining_seconds=attempt_rules.remaining_seconds(attempt, now), state=attempt.state)


@api_route(bp, "/attempts/<int:attempt_id>/events", "POST", summary="Log a page event (tab hidden, reconnect...)",
           body=EventIn, response=Ack, roles=TRAINEE_ONLY, errors=(429,))
def log_event(attempt_id: int, body: EventIn):
    session = get_session()
    attempt = own_attempt(attempt_id, for_update=True, with_questions=False)  # one counter per attempt
    now = utcnow()
    outcome = record_page_event(session, attempt, body.kind, now=now, client=client_info(), detail=body.detail,
                                per_minute=current_app.config["QUIZ_EVENTS_PER_MINUTE"])
    session.commit()
    if not outcome.logged:
        raise TooManyRequests(_("Too many page events for this attempt: try again in %(seconds)d seconds.",
                                seconds=outcome.retry_after), retry_after=outcome.retry_after)
    return Ack(ok=True, remaining_seconds=attempt_rules.remaining_seconds(attempt, now))


@api_route(bp, "/attempts/<int:attempt_id>/submit", "POST", summary="Submit (harmless if already closed)",
           response=ResultOut, roles=TRAINEE_ONLY)
def submit_attempt(attempt_id: int):
    session = get_session()
    attempt = own_attempt(attempt_id, for_update=True)
    now = utcnow()
    attempt_rules.submit_attempt(session, attempt, now=now, client=client_info(), grace_seconds=grace())
    session.commit()
    fire("attempt_changed", attempt_id=attempt.id, opening_id=attempt.opening_id, user_id=attempt.user_id)
    return result_out(attempt)


@api_route(bp, "/attempts/<int:attempt_id>/result", "GET", summary="The result, as far as the review rules allow",
           response=ResultOut, roles=TRAINEE_ONLY)
def get_result(attempt_id: int):
    session = get_session()
    attempt = own_attempt(attempt_id)
    if attempt_rules.close_if_overdue(session, attempt, now=utcnow(), grace_seconds=grace()):
        session.commit()
    return result_out(attempt)


def result_out(attempt: Attempt) -> ResultOut:
    view = result_view(get_session(), attempt, utcnow(), grace_seconds=grace())
    return ResultOut(attempt_id=attempt.id, close_reason=attempt.close_reason, **view)
