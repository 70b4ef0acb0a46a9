"""The room's rules: who may enter a class room, what a trainee's page shows, and the trainer's live view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.classes.models import Enrolment, TrainingClass
from lms.classes.room.models import Announcement, RollCall, RollCallAnswer
from lms.classes.services import get_class
from lms.errors import Forbidden, NotFound
from lms.numbers import format_score
from lms.quizzes.models import Attempt, AttemptQuestion, AttemptState, QuizOpening
from lms.quizzes.taking.attempts import attempts_allowed, attempts_of, get_override
from lms.text import name_sort_key

ANNOUNCEMENTS_SHOWN = 5


@dataclass(frozen=True)
class Access:
    """A user's place in one class room: staff (trainer of the class, organiser of its body, admin) or trainee."""

    training_class: TrainingClass
    staff: bool

    def require_staff(self) -> None:
        if not self.staff:
            raise Forbidden()


def room_access(session: Session, user: User, class_id: int) -> Access:
    """The room of a class the user may see; anyone else gets NotFound (no hint that the class exists)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    if user.role == Role.TRAINEE:
        enrolled = session.scalar(select(Enrolment.id).where(Enrolment.class_id == class_id,
                                                             Enrolment.user_id == user.id))
        training_class = session.get(TrainingClass, class_id) if enrolled else None
        if training_class is None:
            raise NotFound()
        return Access(training_class, staff=False)
    return Access(get_class(session, user, class_id), staff=True)


def enrolled_classes(session: Session, user: User) -> list[TrainingClass]:
    """The classes whose room a trainee's pages join."""
    return list(session.scalars(select(TrainingClass).join(Enrolment).where(Enrolment.user_id == user.id)
                                .order_by(TrainingClass.id)))


def current_opening(session: Session, class_id: int, now: datetime) -> QuizOpening | None:
    """The test open for the class now (the latest opened when several are)."""
    return session.scalar(select(QuizOpening).where(
        QuizOpening.class_id == class_id, QuizOpening.opens_at <= now, QuizOpening.closes_at > now)
        .order_by(QuizOpening.opens_at.desc(), QuizOpening.id.desc()).limit(1))


def latest_opening(session: Session, class_id: int, now: datetime) -> QuizOpening | None:
    """The open test, else the one that opened last: what the trainer's live view follows."""
    return current_opening(session, class_id, now) or session.scalar(select(QuizOpening).where(
        QuizOpening.class_id == class_id, QuizOpening.opens_at <= now)
        .order_by(QuizOpening.opens_at.desc(), QuizOpening.id.desc()).limit(1))


def local_time(value: datetime | None, pattern: str = "%H:%M %d/%m/%Y") -> str:
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])).strftime(pattern)


def open_roll_call(session: Session, class_id: int, now: datetime) -> RollCall | None:
    return session.scalar(select(RollCall).where(RollCall.class_id == class_id, RollCall.started_at <= now,
                                                 RollCall.closes_at > now)
                          .order_by(RollCall.started_at.desc(), RollCall.id.desc()).limit(1))


def roll_call_count(session: Session, roll_call: RollCall) -> int:
    return session.scalar(select(func.count()).select_from(RollCallAnswer)
                          .where(RollCallAnswer.roll_call_id == roll_call.id)) or 0


def recent_announcements(session: Session, class_id: int) -> list[dict]:
    rows = session.scalars(select(Announcement).where(Announcement.class_id == class_id)
                           .order_by(Announcement.created_at.desc(), Announcement.id.desc()).limit(ANNOUNCEMENTS_SHOWN))
    return [announcement_out(a) for a in rows]


def announcement_out(announcement: Announcement) -> dict:
    return {"id": announcement.id, "text": announcement.text, "at": local_time(announcement.created_at)}


def _test_for_trainee(session: Session, opening: QuizOpening, user: User) -> dict:
    """Where the trainee's page goes when the test is open: resume the attempt in progress, or start one."""
    quiz = opening.quiz
    attempts = attempts_of(session, quiz.id, user.id)
    in_progress = next((a for a in attempts if a.state == AttemptState.OPEN), None)
    allowed = attempts_allowed(quiz, get_override(session, quiz.id, user.id))
    started_here = any(a.opening_id == opening.id for a in attempts)
    test = {"opening_id": opening.id, "quiz_id": quiz.id, "title": quiz.title, "closes_at": local_time(opening.closes_at),
            "start_url": url_for("quizzes.start_attempt", quiz_id=quiz.id), "attempt_url": None, "action": None}
    if in_progress is not None:
        test.update(attempt_url=url_for("quizzes.take_attempt", attempt_id=in_progress.id), action="resume")
    elif not started_here and (allowed is None or len(attempts) < allowed):
        test["action"] = "start"
    return test


def trainee_state(session: Session, training_class: TrainingClass, user: User, *, now: datetime) -> dict:
    """What a trainee's page shows and does on (re)connect: the open test, the roll call, the announcements."""
    opening = current_opening(session, training_class.id, now)
    roll_call = open_roll_call(session, training_class.id, now)
    confirmed = roll_call is not None and session.scalar(select(RollCallAnswer.id).where(
        RollCallAnswer.roll_call_id == roll_call.id, RollCallAnswer.user_id == user.id)) is not None
    return {
        "class_id": training_class.id, "staff": False,
        "test": _test_for_trainee(session, opening, user) if opening else None,
        "roll_call": {"id": roll_call.id, "confirmed": confirmed} if roll_call else None,
        "announcements": recent_announcements(session, training_class.id),
    }


def _answered_counts(session: Session, attempt_ids: list[int]) -> dict[int, int]:
    if not attempt_ids:
        return {}
    rows = session.execute(select(AttemptQuestion.attempt_id, func.count()).where(
        AttemptQuestion.attempt_id.in_(attempt_ids), AttemptQuestion.answer.is_not(None))
        .group_by(AttemptQuestion.attempt_id))
    return dict(rows.all())


def _question_counts(session: Session, attempt_ids: list[int]) -> dict[int, int]:
    if not attempt_ids:
        return {}
    rows = session.execute(select(AttemptQuestion.attempt_id, func.count()).where(
        AttemptQuestion.attempt_id.in_(attempt_ids)).group_by(AttemptQuestion.attempt_id))
    return dict(rows.all())


def trainee_rows(session: Session, opening: QuizOpening | None, users: list[User],
                 connected: dict[int, bool]) -> list[dict]:
    """One live row per trainee: connected, in the test with how many answered, submitted with the score,
    not started (connected, no attempt) or absent (not connected, not in the test)."""
    attempts: dict[int, Attempt] = {}
    if opening is not None and users:
        for attempt in session.scalars(select(Attempt).where(
                Attempt.opening_id == opening.id, Attempt.user_id.in_([u.id for u in users]),
                Attempt.state.in_((AttemptState.OPEN, AttemptState.CLOSED))).order_by(Attempt.number)):
            attempts[attempt.user_id] = attempt  # the latest attempt of each trainee
    ids = [a.id for a in attempts.values()]
    answered, totals = _answered_counts(session, ids), _question_counts(session, ids)
    rows = []
    for user in users:
        attempt = attempts.get(user.id)
        is_connected = user.id in connected
        row = {"user_id": user.id, "name": user.full_name, "connected": is_connected, "answered": 0, "questions": 0,
               "score": ""}
        if attempt is not None:
            row.update(answered=answered.get(attempt.id, 0), questions=totals.get(attempt.id, 0))
        if attempt is not None and attempt.state == AttemptState.OPEN:
            row["status"] = "in_test"
        elif attempt is not None:
            row.update(status="submitted", score=format_score(attempt.score, attempt.max_score))
        else:
            row["status"] = "not_started" if is_connected else "absent"
        rows.append(row)
    return rows


def class_trainees(session: Session, training_class: TrainingClass, user_ids: list[int] | None = None) -> list[User]:
    query = select(User).join(Enrolment, Enrolment.user_id == User.id).where(Enrolment.class_id == training_class.id)
    if user_ids is not None:
        query = query.where(User.id.in_(user_ids))
    return sorted(session.scalars(query), key=lambda u: name_sort_key(u.full_name))


def live_view(session: Session, training_class: TrainingClass, *, now: datetime, connected: dict[int, bool],
              tests: list[dict]) -> dict:
    """The trainer's whole live view (on join and on reconnect; single rows are pushed after each change)."""
    opening = latest_opening(session, training_class.id, now)
    rows = trainee_rows(session, opening, class_trainees(session, training_class), connected)
    roll_call = open_roll_call(session, training_class.id, now)
    return {
        "class_id": training_class.id, "staff": True, "tests": tests,
        "opening": opening_out(opening, now) if opening else None,
        "rows": rows,
        "roll_call": {"id": roll_call.id, "count": roll_call_count(session, roll_call)} if roll_call else None,
        "announcements": recent_announcements(session, training_class.id),
    }


def opening_out(opening: QuizOpening, now: datetime) -> dict:
    return {"id": opening.id, "quiz_id": opening.quiz_id, "title": opening.quiz.title,
            "is_open": opening.opens_at <= now < opening.closes_at, "closes_at": local_time(opening.closes_at)}
