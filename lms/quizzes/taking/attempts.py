"""The life of an attempt: start, save, submit and close, decided by the server clock.

Deadlines are fixed at start, saves are ordered and idempotent, overdue attempts are closed lazily and by a sweep,
and grading happens here, never in the browser.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from lms.auth.models import User
from lms.classes.models import Enrolment, EnrolmentStatus
from lms.errors import Conflict, NotFound, RuleViolation
from lms.quizzes.authoring.serialize import question_from_dict
from lms.quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    CloseReason,
    Quiz,
    QuizOpening,
    QuizOverride,
)
from lms.quizzes.presentation import PresentedQuestion
from lms.quizzes.signals import attempts_graded
from lms.quizzes.taking.answers import InvalidAnswer, validate_answer
from lms.quizzes.taking.deadlines import compute_deadline, seconds_until
from lms.quizzes.taking.draw import draw_rows, keys_seen_before
from lms.quizzes.taking.grading import grade
from lms.quizzes.taking.lateness import judge_late_save, late_entries
from lms.quizzes.taking.prepared import prepared_start, take_prepared
from lms.quizzes.taking.saving import SaveTarget, apply_answer, log_line, note_save, rows_for


@dataclass(frozen=True)
class ClientInfo:
    address: str = ""
    user_agent: str = ""


@dataclass
class AnswerSave:
    """One change from the browser: `seq` grows with every change the page makes in this attempt."""

    position: int
    answer: dict | None
    seq: int
    flagged: bool | None = None
    changed_before_deadline: bool = True


@dataclass
class SaveOutcome:
    applied: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    last_seq: int = 0


def remaining_seconds(attempt: Attempt, now: datetime) -> float:
    return seconds_until(attempt.deadline_at, now)


def get_override(session: Session, quiz_id: int, user_id: int) -> QuizOverride | None:
    return session.scalar(select(QuizOverride).where(QuizOverride.quiz_id == quiz_id, QuizOverride.user_id == user_id))


def current_opening(session: Session, user: User, quiz: Quiz, now: datetime) -> QuizOpening | None:
    """The window, among the trainee's classes, that is open now (the one closing last if several)."""
    query = (
        select(QuizOpening)
        .join(Enrolment, Enrolment.class_id == QuizOpening.class_id)
        .where(Enrolment.user_id == user.id, Enrolment.status == EnrolmentStatus.ACTIVE, QuizOpening.quiz_id == quiz.id,
               QuizOpening.opens_at <= now,
               QuizOpening.closes_at > now)
        .order_by(QuizOpening.closes_at.desc())
    )
    return session.scalars(query).first()


def attempts_of(session: Session, quiz_id: int, user_id: int, *, include_ready: bool = False) -> list[Attempt]:
    """The trainee's attempts at a test in order; one drawn in advance (READY) only when asked for."""
    query = select(Attempt).where(Attempt.quiz_id == quiz_id, Attempt.user_id == user_id).order_by(Attempt.number)
    if not include_ready:
        query = query.where(Attempt.state != AttemptState.READY)
    return list(session.scalars(query))


def attempts_allowed(quiz: Quiz, override: QuizOverride | None) -> int | None:
    """None means unlimited."""
    if quiz.max_attempts == 0:
        return None
    return quiz.max_attempts + (override.extra_attempts if override else 0)


def log_event(session: Session, attempt: Attempt, kind: str, *, now: datetime, client: ClientInfo,
              detail: dict | None = None) -> None:
    # A plain INSERT built once (saving.py): every save logs a line, and the unit of work would only add cost.
    log_line(session, attempt.id, kind, now=now, address=client.address, user_agent=client.user_agent, detail=detail)


@dataclass
class StartPlan:
    """What starting would do, worked out by reads only: resume an open attempt, or insert a new one
    (after discarding a draw made in advance that no longer fits the bank or the test)."""

    resume: Attempt | None = None
    new: Attempt | None = None
    rows: list[dict] = field(default_factory=list)  # the new attempt's questions, inserted in one statement
    discard: Attempt | None = None
    overdue: list[Attempt] = field(default_factory=list)


def plan_start(session: Session, user: User, quiz: Quiz, *, now: datetime, grace_seconds: float) -> StartPlan:
    """Check the rules and draw the questions without writing anything (the costly part of a start).

    A usable attempt drawn in advance is started by `prepared_start` before this is called; one left
    here is outdated and gives way to a fresh draw."""
    previous = attempts_of(session, quiz.id, user.id, include_ready=True)
    ready = next((a for a in previous if a.state == AttemptState.READY), None)
    previous = [a for a in previous if a is not ready]
    cutoff = now - timedelta(seconds=grace_seconds)
    overdue = [a for a in previous if a.state == AttemptState.OPEN and a.deadline_at < cutoff]
    open_attempt = next((a for a in previous if a.state == AttemptState.OPEN and a not in overdue), None)
    if open_attempt is not None:
        return StartPlan(resume=open_attempt)
    opening = current_opening(session, user, quiz, now)
    if opening is None:
        raise RuleViolation(_("This test is not open for you now."))
    override = get_override(session, quiz.id, user.id)
    allowed = attempts_allowed(quiz, override)
    if allowed is not None and len(previous) >= allowed:
        raise RuleViolation(_("You have used all %(count)d attempts of this test.", count=allowed))
    deadline = compute_deadline(started_at=now, time_limit_minutes=quiz.time_limit_minutes,
                                extra_minutes=override.extra_minutes if override else 0, closes_at=opening.closes_at)
    attempt = Attempt(quiz_id=quiz.id, opening_id=opening.id, user_id=user.id, number=len(previous) + 1,
                      state=AttemptState.OPEN, started_at=now, deadline_at=deadline, seed=secrets.randbits(31))
    seen = keys_seen_before(session, previous) if quiz.avoid_repeats else set()
    rows = draw_rows(session, quiz, seed=attempt.seed, seen_keys=seen)
    return StartPlan(new=attempt, rows=rows, discard=ready, overdue=overdue)


def carry_out_start(session: Session, plan: StartPlan, *, now: datetime, client: ClientInfo,
                    grace_seconds: float) -> Attempt:
    """Write what plan_start decided; if another tab started meanwhile, the unique index makes us resume it."""
    for attempt in plan.overdue:
        close_if_overdue(session, attempt, now=now, grace_seconds=grace_seconds)
    if plan.resume is not None:
        log_event(session, plan.resume, "resume", now=now, client=client)
        return plan.resume
    if not _insert_new(session, plan):
        # Two tabs pressed start at once: one of them won; resume that one.
        winner = next((a for a in attempts_of(session, plan.new.quiz_id, plan.new.user_id)
                       if a.state == AttemptState.OPEN), None)
        if winner is None:
            raise Conflict(_("The test could not be started; please try again."))
        return winner
    log_event(session, plan.new, "start", now=now, client=client)
    return plan.new


def _insert_new(session: Session, plan: StartPlan) -> bool:
    try:
        with session.begin_nested():
            if plan.discard is not None:
                # Drawn before the bank or the test changed: it gives way to the fresh draw (same number).
                session.execute(delete(Attempt).where(Attempt.id == plan.discard.id,
                                                      Attempt.state == AttemptState.READY))
            session.add(plan.new)
            session.flush()
            # One multi-row INSERT instead of thirty ORM objects: most of a start's time went there.
            session.execute(insert(AttemptQuestion), [{**row, "attempt_id": plan.new.id} for row in plan.rows])
    except IntegrityError:
        return False  # the unique indexes let another tab's start win
    session.expire(plan.new, ["questions"])
    return True


def start_attempt(session: Session, user: User, quiz: Quiz, *, now: datetime, client: ClientInfo,
                  grace_seconds: float) -> Attempt:
    """Start an attempt (the one drawn in advance if it still fits), or return the one already open (a
    second tab or device resumes it)."""
    prepared = prepared_start(session, user.id, quiz, now=now)
    if prepared is not None and take_prepared(session, prepared, address=client.address,
                                              user_agent=client.user_agent):
        return session.get(Attempt, prepared.attempt_id, populate_existing=True)
    plan = plan_start(session, user, quiz, now=now, grace_seconds=grace_seconds)
    return carry_out_start(session, plan, now=now, client=client, grace_seconds=grace_seconds)


def public_items(session: Session, attempt_id: int) -> list:
    """What the browser needs of an attempt's questions, read without the snapshots (a start's response)."""
    query = (select(AttemptQuestion.position, AttemptQuestion.presentation, AttemptQuestion.answer,
                    AttemptQuestion.answer_seq, AttemptQuestion.flagged, AttemptQuestion.max_score)
             .where(AttemptQuestion.attempt_id == attempt_id).order_by(AttemptQuestion.position))
    return list(session.execute(query))


def get_attempt(session: Session, attempt_id: int, *, for_update: bool = False, with_questions: bool = True,
                with_quiz: bool = False) -> Attempt:
    query = select(Attempt).where(Attempt.id == attempt_id, Attempt.state != AttemptState.READY)
    if with_questions:
        query = query.options(selectinload(Attempt.questions))
    if with_quiz:  # in the same statement: a lazy load of attempt.quiz would be a second one
        query = query.options(joinedload(Attempt.quiz))
    if for_update:  # the attempt's row only (never the joined quiz's), and current even if already held
        query = query.with_for_update(of=Attempt).execution_options(populate_existing=True)
    attempt = session.scalar(query)
    if attempt is None:
        raise NotFound()
    return attempt


def close_if_overdue(session: Session, attempt: Attempt, *, now: datetime, grace_seconds: float) -> bool:
    """Close and grade an open attempt whose deadline (plus the save grace) has passed."""
    if attempt.state == AttemptState.OPEN and now > attempt.deadline_at + timedelta(seconds=grace_seconds):
        _close(session, attempt, reason=CloseReason.DEADLINE, now=now)
        return True
    return False


def save_answers(session: Session, attempt: Attempt | SaveTarget, saves: list[AnswerSave], *, now: datetime,
                 grace_seconds: float, client: ClientInfo, contact_seconds: float) -> SaveOutcome:
    """Apply answer changes in order: a save older than what is stored for its question is ignored.

    All saves are validated first; one bad save rejects the whole request and nothing is written.
    After the deadline only changes made before it are taken, within the grace period, and only when the
    page was in contact within `contact_seconds` before the deadline (see lateness.py).
    """
    if close_if_overdue(session, attempt, now=now, grace_seconds=grace_seconds) or attempt.state != AttemptState.OPEN:
        raise Conflict(_("This attempt is closed; answers can no longer be changed."))
    late = now > attempt.deadline_at
    verdict = judge_late_save(attempt, now=now, contact_seconds=contact_seconds) if late else None
    rows = rows_for(session, attempt.id, {save.position for save in saves})
    prepared = [_prepare(rows, save) for save in saves]
    if attempt.quiz.navigation == "sequential":
        _check_sequential(session, attempt, sorted((save for save, _row, _answer in prepared), key=lambda s: s.seq))
    outcome = SaveOutcome(last_seq=attempt.last_seq)
    refused: list[int] = []
    for save, row, answer in prepared:
        if verdict is not None and not (save.changed_before_deadline and verdict.trusted):
            refused.append(save.position)
            continue
        (outcome.applied if apply_answer(session, row[0], seq=save.seq, answer=answer, flagged=save.flagged, now=now)
         else outcome.stale).append(save.position)
    outcome.stale.extend(refused)
    note_save(session, attempt, max(save.seq for save, _row, _answer in prepared), now)
    outcome.last_seq = attempt.last_seq
    log_event(session, attempt, "save", now=now, client=client,
              detail={"applied": outcome.applied, "stale": outcome.stale, "late": late})
    for kind, detail in late_entries(verdict, accepted=outcome.applied, refused=refused) if verdict else ():
        log_event(session, attempt, kind, now=now, client=client, detail=detail)
    session.flush()
    return outcome


def _check_sequential(session: Session, attempt: Attempt, saves: list[AnswerSave]) -> None:
    """In a sequential test a question cannot be changed once a later one has been answered.

    A change made before moving on (a lower sequence number than the later answer) is still accepted,
    so a delayed retry from a weak connection is not lost.
    """
    answered = session.execute(select(AttemptQuestion.position, AttemptQuestion.answer_seq).where(
        AttemptQuestion.attempt_id == attempt.id, AttemptQuestion.answer_seq > 0)).all()
    furthest = max((_Reached(r.position, r.answer_seq) for r in answered), key=lambda r: r.position, default=None)
    for save in saves:
        if furthest is not None and save.position < furthest.position and save.seq > furthest.answer_seq:
            raise RuleViolation(_("This test goes forward only: question %(number)d can no longer be changed.",
                                  number=save.position))
        if furthest is None or save.position > furthest.position:
            furthest = _Reached(save.position, save.seq)


@dataclass(frozen=True)
class _Reached:
    position: int
    answer_seq: int


def _prepare(rows: dict[int, tuple[int, dict]], save: AnswerSave) -> tuple[AnswerSave, tuple[int, dict], dict]:
    row = rows.get(save.position)
    if row is None:
        raise RuleViolation(_("Question %(number)d is not part of this attempt.", number=save.position))
    if save.seq < 1:
        raise RuleViolation(_("Each save needs a positive sequence number."))
    try:
        answer = validate_answer(PresentedQuestion.from_storage_dict(row[1]), save.answer or {})
    except InvalidAnswer as error:
        raise RuleViolation(_("Question %(number)d: %(reason)s", number=save.position, reason=str(error))) from error
    return save, row, answer


def flag_question(session: Session, attempt: Attempt, position: int, flagged: bool) -> None:
    question = next((q for q in attempt.questions if q.position == position), None)
    if question is None:
        raise RuleViolation(_("Question %(number)d is not part of this attempt.", number=position))
    question.flagged = flagged
    session.flush()


def submit_attempt(session: Session, attempt: Attempt, *, now: datetime, client: ClientInfo,
                   grace_seconds: float) -> Attempt:
    """Close and grade; submitting twice (or after the sweep) returns the attempt unchanged."""
    if attempt.state == AttemptState.OPEN:
        overdue = now > attempt.deadline_at + timedelta(seconds=grace_seconds)
        _close(session, attempt, reason=CloseReason.DEADLINE if overdue else CloseReason.SUBMITTED, now=now)
    log_event(session, attempt, "submit", now=now, client=client)
    session.flush()
    return attempt


def _close(session: Session, attempt: Attempt, *, reason: CloseReason, now: datetime) -> None:
    attempt.state, attempt.close_reason = AttemptState.CLOSED, reason
    attempt.closed_at = min(now, attempt.deadline_at) if reason != CloseReason.SUBMITTED else now
    grade_attempt(attempt)
    session.flush()
    attempts_graded(session, [attempt], now=now)


def grade_attempt(attempt: Attempt, questions: dict[int, dict] | None = None) -> None:
    """Grade every answer on the server and store the per-question breakdown and the total."""
    total = maximum = 0.0
    for item in attempt.questions:
        data = (questions or {}).get(item.question_id, item.snapshot)
        result = grade(question_from_dict(data), PresentedQuestion.from_storage_dict(item.presentation), item.answer)
        item.score, item.max_score, item.correct, item.grade_detail = (
            result.score, result.max_score, result.correct, result.detail)
        total, maximum = total + result.score, maximum + result.max_score
    attempt.score, attempt.max_score = round(total, 4), maximum
    attempt.percent = round(100 * total / maximum, 2) if maximum else 0.0
    attempt.passed = attempt.percent >= attempt.quiz.pass_mark_percent


def sweep_overdue(session: Session, *, now: datetime, grace_seconds: float, limit: int | None = None) -> int:
    """Close every open attempt past its deadline and grace (run periodically and by `flask lms quizzes sweep`);
    with `limit`, at most that many, the longest overdue first."""
    cutoff = now - timedelta(seconds=grace_seconds)
    # SKIP LOCKED (PostgreSQL): an attempt whose save is in flight is left to the next sweep, not waited for.
    overdue = session.scalars(
        select(Attempt).where(Attempt.state == AttemptState.OPEN, Attempt.deadline_at < cutoff)
        .order_by(Attempt.deadline_at).limit(limit)
        .options(selectinload(Attempt.questions)).with_for_update(skip_locked=True, of=Attempt)
    ).all()
    for attempt in overdue:
        _close(session, attempt, reason=CloseReason.SWEEP, now=now)
    return len(overdue)


def counted_attempt(attempts: list[Attempt], policy: str) -> Attempt | None:
    """The closed attempt that counts: the highest score, or the last one."""
    closed = [a for a in attempts if a.state == AttemptState.CLOSED]
    if not closed:
        return None
    if policy == "last":
        return max(closed, key=lambda a: a.number)
    return max(closed, key=lambda a: (a.percent or 0, -a.number))


def open_attempt_count(session: Session, quiz_id: int) -> int:
    query = select(func.count()).select_from(Attempt).where(Attempt.quiz_id == quiz_id,
                                                             Attempt.state == AttemptState.OPEN)
    return session.scalar(query) or 0
