"""Staff reports on one test: who reaches it, live state per class, result rows, one attempt in full, item statistics.

Queries and shaping only: exports.py writes the files, and the rules of attempts live in taking/attempts.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import User
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.classes.services import require_not_archived
from lms.errors import NotFound, RuleViolation
from lms.quizzes.authoring.serialize import question_from_dict
from lms.quizzes.models import (
    Attempt,
    AttemptEvent,
    AttemptState,
    CloseReason,
    Question,
    Quiz,
    QuizOpening,
    QuizOverride,
)
from lms.quizzes.presentation import FALSE_ID, TRUE_ID, PresentedQuestion
from lms.quizzes.questions import QuestionType
from lms.quizzes.results import itemstats
from lms.quizzes.results.access import visible_attempts_query
from lms.quizzes.results.regrade import RegradeChange
from lms.quizzes.taking.attempts import close_if_overdue, counted_attempt
from lms.quizzes.taking.grading import correct_answer_public
from lms.quizzes.taking.openings import open_quiz, quizzes_for_class
from lms.text import name_sort_key

CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE)


# --------------------------------------------------------------------------- who reaches a test (see access.py)


def sweep_quiz(session: Session, quiz_id: int, *, now: datetime, grace_seconds: float) -> int:
    """Close and grade the test's attempts past their deadline and grace, so no list shows a stale open attempt."""
    cutoff = now - timedelta(seconds=grace_seconds)
    overdue = session.scalars(
        select(Attempt).where(Attempt.quiz_id == quiz_id, Attempt.state == AttemptState.OPEN,
                              Attempt.deadline_at < cutoff)
        .options(selectinload(Attempt.questions)).with_for_update(skip_locked=True)
    ).all()
    return sum(close_if_overdue(session, attempt, now=now, grace_seconds=grace_seconds) for attempt in overdue)


# --------------------------------------------------------------------------- windows for a class


@dataclass
class OpeningState:
    opening: QuizOpening
    status: str  # open, scheduled or closed
    started: int = 0
    in_progress: int = 0
    submitted: int = 0


@dataclass
class ClassTest:
    quiz: Quiz
    openings: list[OpeningState]
    enrolled: int
    started: int
    in_progress: int
    submitted: int

    @property
    def is_open(self) -> bool:
        return any(state.status == "open" for state in self.openings)


def opening_status(opening: QuizOpening, now: datetime) -> str:
    if opening.closes_at <= now:
        return "closed"
    return "scheduled" if opening.opens_at > now else "open"


def class_tests(session: Session, actor: User, training_class: TrainingClass, *, now: datetime) -> list[ClassTest]:
    """Every test of the class's course, its windows for the class and how many trainees started, are still
    working and have submitted."""
    openings = session.scalars(select(QuizOpening).where(QuizOpening.class_id == training_class.id)
                               .order_by(QuizOpening.opens_at.desc())).all()
    rows = session.execute(select(Attempt.opening_id, Attempt.user_id, Attempt.state)
                           .where(Attempt.opening_id.in_([o.id for o in openings]),
                                  Attempt.state != AttemptState.READY)).all()
    tests = []
    for quiz in quizzes_for_class(session, actor, training_class):
        states = [_opening_state(o, rows, now) for o in openings if o.quiz_id == quiz.id]
        ids = {state.opening.id for state in states}
        tests.append(ClassTest(quiz, states, len(training_class.active_enrolments), *_counts([r for r in rows
                                                                                      if r.opening_id in ids])))
    return tests


def _opening_state(opening: QuizOpening, rows, now: datetime) -> OpeningState:
    return OpeningState(opening, opening_status(opening, now), *_counts([r for r in rows if r.opening_id == opening.id]))


def _counts(rows) -> tuple[int, int, int]:
    """Trainees who started, attempts in progress, trainees with a closed attempt."""
    return (len({r.user_id for r in rows}), sum(r.state == AttemptState.OPEN for r in rows),
            len({r.user_id for r in rows if r.state == AttemptState.CLOSED}))


def vietnam_moment(day: date, clock: time, tz_name: str) -> datetime:
    """A date and a wall-clock time in Vietnam, as an aware UTC datetime."""
    return datetime.combine(day, clock, tzinfo=ZoneInfo(tz_name)).astimezone(UTC)


def open_window(session: Session, actor: User, quiz: Quiz, training_class: TrainingClass, *, opens_at: datetime,
                closes_at: datetime, now: datetime) -> QuizOpening:
    """Open the test for the class (services.open_quiz); a window that has already ended is refused."""
    require_not_archived(training_class)
    if closes_at <= now:
        raise RuleViolation(_("This window has already ended; choose a time in the future."))
    return open_quiz(session, actor, quiz=quiz, training_class=training_class, opens_at=opens_at, closes_at=closes_at)


def get_opening(session: Session, opening_id: int) -> QuizOpening:
    opening = session.get(QuizOpening, opening_id)
    if opening is None:
        raise NotFound()
    return opening


# --------------------------------------------------------------------------- results


@dataclass
class ResultRow:
    attempt: Attempt
    class_name: str
    counted: bool

    @property
    def user(self) -> User:
        return self.attempt.user

    @property
    def duration_seconds(self) -> float | None:
        if self.attempt.closed_at is None:
            return None
        return (self.attempt.closed_at - self.attempt.started_at).total_seconds()

    @property
    def duration_minutes(self) -> float | None:
        if self.attempt.closed_at is None:
            return None
        return round((self.attempt.closed_at - self.attempt.started_at).total_seconds() / 60, 1)


def result_rows(session: Session, actor: User, quiz: Quiz, training_class: TrainingClass | None = None,
                ) -> list[ResultRow]:
    """The attempts the actor may see (of one class if given), by given name, then attempt number."""
    query = visible_attempts_query(actor, quiz).options(
        selectinload(Attempt.opening).selectinload(QuizOpening.training_class),
        selectinload(Attempt.user).selectinload(User.work_unit))
    if training_class is not None:
        query = query.where(QuizOpening.class_id == training_class.id)
    attempts = session.scalars(query).all()
    by_user: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_user.setdefault(attempt.user_id, []).append(attempt)
    counted = {getattr(counted_attempt(mine, quiz.attempt_policy), "id", None) for mine in by_user.values()}
    rows = [ResultRow(a, a.opening.training_class.name, a.id in counted) for a in attempts]
    return sorted(rows, key=lambda r: (name_sort_key(r.user.full_name), r.user.id, r.attempt.number))


def by_trainee_name(changes: list[RegradeChange]) -> list[RegradeChange]:
    return sorted(changes, key=lambda c: (name_sort_key(c.attempt.user.full_name), c.attempt.user_id, c.attempt.number))


def state_label(attempt: Attempt) -> str:
    if attempt.state == AttemptState.OPEN:
        return _("In progress")
    return {CloseReason.SUBMITTED: _("Submitted"), CloseReason.DEADLINE: _("Time up"),
            CloseReason.SWEEP: _("Closed at the deadline")}.get(attempt.close_reason, _("Closed"))


def enrolled_trainees(session: Session, classes: list[TrainingClass]) -> list[User]:
    """Trainees enrolled in any of these classes, by given name."""
    users = session.scalars(select(User).join(Enrolment, Enrolment.user_id == User.id)
                            .where(Enrolment.class_id.in_([c.id for c in classes]),
                                   Enrolment.status == EnrolmentStatus.ACTIVE).distinct())
    return sorted(users, key=lambda u: (name_sort_key(u.full_name), u.id))


def overrides_for(session: Session, quiz: Quiz, trainees: list[User]) -> list[tuple[User, QuizOverride]]:
    by_user = {o.user_id: o for o in session.scalars(select(QuizOverride).where(
        QuizOverride.quiz_id == quiz.id, QuizOverride.user_id.in_([u.id for u in trainees])))}
    return [(user, by_user[user.id]) for user in trainees if user.id in by_user]


def override_values(session: Session, quiz: Quiz, trainee: User, override: QuizOverride | None = None) -> dict:
    """A trainee's extra time and attempts on the test, for the audit log ({} when none was given)."""
    if override is None:
        override = session.scalar(select(QuizOverride).where(QuizOverride.quiz_id == quiz.id,
                                                             QuizOverride.user_id == trainee.id))
    if override is None:
        return {}
    return {"extra_minutes": override.extra_minutes, "extra_attempts": override.extra_attempts,
            "reason": override.reason}


def override_trainee(session: Session, classes: list[TrainingClass], user_id: int) -> User:
    """A trainee of one of the actor's classes of the test (404 for anybody else)."""
    trainee = next((u for u in enrolled_trainees(session, classes) if u.id == user_id), None)
    if trainee is None:
        raise NotFound()
    return trainee


# --------------------------------------------------------------------------- one attempt in full


@dataclass
class ChoiceLine:
    text: str
    chosen: bool
    correct: bool


@dataclass
class ReviewItem:
    position: int
    type: str
    stem: str
    score: float | None
    max_score: float
    correct: bool | None
    choices: list[ChoiceLine] = field(default_factory=list)
    given: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)


def review_items(attempt: Attempt) -> list[ReviewItem]:
    """Every question as it was shown, the trainee's answer, the right answer and the score."""
    return [_review_item(item) for item in attempt.questions]


def _review_item(item) -> ReviewItem:
    question = question_from_dict(item.snapshot)
    presented = PresentedQuestion.from_storage_dict(item.presentation)
    answer, expected = item.answer or {}, correct_answer_public(question, presented)
    review = ReviewItem(item.position, str(presented.type), presented.stem, item.score, item.max_score, item.correct)
    qtype = presented.type
    if qtype in CHOICE_TYPES:
        chosen, right = _choice_ids(answer), _choice_ids(expected)
        review.choices = [ChoiceLine(c.text, c.id in chosen, c.id in right) for c in presented.choices]
    elif qtype == QuestionType.MATCHING:
        texts = {c.id: c.text for c in presented.right}
        for left in presented.left:
            review.given.append(f"{left.text} → {texts.get(answer.get('pairs', {}).get(left.id), '—')}")
            review.expected.append(f"{left.text} → {texts.get(expected['pairs'].get(left.id), '—')}")
    elif qtype == QuestionType.ORDERING:
        texts = {c.id: c.text for c in presented.items}
        review.given = [texts[i] for i in answer.get("order", []) if i in texts]
        review.expected = [texts[i] for i in expected["order"]]
    else:
        review.given = [answer["text"]] if answer.get("text") else []
        review.expected = list(expected.get("texts", [])) + [_range_text(r) for r in expected.get("ranges", [])]
    return review


def _choice_ids(answer: dict) -> set[str]:
    if "value" in answer:
        return {TRUE_ID if answer["value"] else FALSE_ID} if answer["value"] is not None else set()
    return {answer["choice"]} if answer.get("choice") else set(answer.get("choices", []))


def _range_text(bounds: dict) -> str:
    low, high = bounds["min"], bounds["max"]
    return f"{low:g}" if low == high else f"{low:g} – {high:g}"


def attempt_events(session: Session, attempt: Attempt) -> list[AttemptEvent]:
    return list(session.scalars(select(AttemptEvent).where(AttemptEvent.attempt_id == attempt.id)
                                .order_by(AttemptEvent.at, AttemptEvent.id)))


def event_label(kind: str) -> str:
    labels = {"start": _("Started"), "resume": _("Resumed"), "save": _("Answers saved"), "submit": _("Submitted"),
              "hidden": _("Left the page"), "visible": _("Came back to the page"), "offline": _("Connection lost"),
              "online": _("Connection back"), "reconnect": _("Reconnected"), "dropped": _("Too many page events")}
    return labels.get(kind, kind)


def vietnam_time(value: datetime | None, tz_name: str, pattern: str = "%d/%m/%Y %H:%M:%S") -> str:
    return value.astimezone(ZoneInfo(tz_name)).strftime(pattern) if value else ""


# --------------------------------------------------------------------------- item statistics


@dataclass
class OptionStat:
    label: str
    count: int
    rate: float
    correct: bool


@dataclass
class QuestionStat:
    question: Question
    stats: itemstats.ItemStats
    options: list[OptionStat]

    @property
    def notes(self) -> list[str]:
        notes, facility, r = [], self.stats.facility, self.stats.discrimination
        if facility is not None and facility < 0.3:
            notes.append(_("Very hard"))
        if facility is not None and facility > 0.9:
            notes.append(_("Very easy"))
        if r is not None and r < 0:
            notes.append(_("Strong trainees do worse: check the key"))
        elif r is not None and r < 0.2:
            notes.append(_("Separates strong and weak trainees poorly"))
        return notes


def question_statistics(session: Session, actor: User, quiz: Quiz, training_class: TrainingClass | None = None,
                        ) -> tuple[int, list[QuestionStat]]:
    """Statistics per question over the closed attempts the actor may see: (number of attempts, rows by key)."""
    query = visible_attempts_query(actor, quiz).where(Attempt.state == AttemptState.CLOSED).options(
        selectinload(Attempt.questions))
    if training_class is not None:
        query = query.where(QuizOpening.class_id == training_class.id)
    attempts = [a for a in session.scalars(query) if a.max_score]
    ids = {item.question_id for a in attempts for item in a.questions}
    questions = {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids)))}
    labels = {qid: _option_labels(q.data) for qid, q in questions.items()}
    stats = itemstats.item_statistics([_attempt_row(a) for a in attempts],
                                      option_counts={str(qid): len(options) for qid, options in labels.items()})
    rows = [QuestionStat(questions[int(key)], item, [
        OptionStat(label, item.option_counts.get(index, 0), item.option_rates.get(index, 0.0), correct)
        for index, (label, correct) in enumerate(labels[int(key)])]) for key, item in stats.items()]
    return len(attempts), sorted(rows, key=lambda row: row.question.key)


def _attempt_row(attempt: Attempt) -> itemstats.AttemptRow:
    scores, chosen, shares = {}, {}, {}
    for item in attempt.questions:
        key = str(item.question_id)
        scores[key] = (item.score or 0.0) / item.max_score if item.max_score else 0.0
        shares[key] = item.max_score / attempt.max_score
        chosen[key] = _chosen_indices(item.grade_detail or {})
    return itemstats.AttemptRow(total=(attempt.percent or 0.0) / 100, scores=scores, chosen=chosen, shares=shares)


def _chosen_indices(detail: dict) -> list[int]:
    if "chosen" in detail:
        return list(detail["chosen"])
    if isinstance(detail.get("value"), bool):  # true/false: index 0 is "true", 1 is "false"
        return [0 if detail["value"] else 1]
    return []


def _option_labels(data: dict) -> list[tuple[str, bool]]:
    if data.get("type") == QuestionType.TRUE_FALSE:
        return [(_("True"), data.get("truth") is True), (_("False"), data.get("truth") is False)]
    return [(option["text"], option.get("weight", 0) > 0) for option in data.get("options", [])]
