"""Who in a class may receive a certificate, and why not: the end-of-course test passed, and attendance met.

The end-of-course test of a class is the one its organiser chose for it (`TrainingClass.quiz_id`, set on the
class's form); for a class without one, the test with the most recent window opened for that class (a
QuizOpening of the class; a window opened later for a re-sit of the same test keeps it the same test). Only
attempts made in that test's windows for this class count, and among them the one the test's policy counts
(`counted_attempt`: the highest score or the last one, closed attempts only). Trainees withdrawn from the
class are not listed.

Attendance: the class's rule from `lms.classes.attendance.summary.attendance_summary`, the one function the
attendance sheet uses too (a reason such as "attendance 55 % < 80 %" when the trainee is below the class's
minimum over the sessions ended so far). A class with no ended session records no attendance, and the rule
reads "passed the test".
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.auth.models import User
from lms.classes.attendance.summary import AttendanceSummary, attendance_summary
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.numbers import format_percent
from lms.quizzes.models import Attempt, AttemptState, Quiz, QuizOpening
from lms.quizzes.taking.attempts import counted_attempt
from lms.text import name_sort_key


@dataclass
class Eligibility:
    user: User
    eligible: bool
    reasons: list[str] = field(default_factory=list)  # translated, empty when eligible
    quiz: Quiz | None = None
    attempt: Attempt | None = None  # the counting attempt, if any

    @property
    def percent(self) -> float | None:
        return self.attempt.percent if self.attempt is not None else None


def end_of_course_test(db: Session, training_class: TrainingClass) -> tuple[Quiz | None, list[int]]:
    """The class's end-of-course test and the ids of its windows for the class (None, [] when there is none)."""
    openings = db.scalars(select(QuizOpening).where(QuizOpening.class_id == training_class.id)
                          .order_by(QuizOpening.opens_at.desc(), QuizOpening.id.desc())).all()
    if training_class.quiz_id is not None:
        chosen = db.get(Quiz, training_class.quiz_id)
        return chosen, [opening.id for opening in openings if opening.quiz_id == chosen.id]
    if not openings:
        return None, []
    quiz = openings[0].quiz
    return quiz, [opening.id for opening in openings if opening.quiz_id == quiz.id]


def attendance_reasons(summary: AttendanceSummary | None) -> list[str]:
    """The reason attendance keeps the trainee from a certificate, if it does (none when the rule is met)."""
    if summary is None or summary.meets_rule:
        return []
    return [summary.reason]


def _judge(user: User, quiz: Quiz | None, attempts: list[Attempt], attendance: AttendanceSummary | None) -> Eligibility:
    reasons: list[str] = []
    counted = counted_attempt(attempts, quiz.attempt_policy) if quiz is not None else None
    if quiz is None:
        reasons.append(_("no end-of-course test opened for this class"))
    elif counted is None:
        in_progress = any(a.state == AttemptState.OPEN for a in attempts)
        reasons.append(_("test in progress") if in_progress else _("not yet sat"))
    elif not counted.passed:
        reasons.append(_("%(percent)s < %(mark)s", percent=format_percent(counted.percent or 0),
                         mark=format_percent(quiz.pass_mark_percent)))
    reasons.extend(attendance_reasons(attendance))
    return Eligibility(user, not reasons, reasons, quiz, counted)


def class_eligibility(db: Session, training_class: TrainingClass, now: datetime, *,
                      user_ids: Collection[int] | None = None) -> list[Eligibility]:
    """Every enrolled trainee of the class (or only those of `user_ids`: a batch of a bulk issue), by given name,
    eligible or not and why."""
    quiz, opening_ids = end_of_course_test(db, training_class)
    users_query = (select(User).join(Enrolment, Enrolment.user_id == User.id)
                   .where(Enrolment.class_id == training_class.id, Enrolment.status == EnrolmentStatus.ACTIVE))
    attempts_query = select(Attempt).where(Attempt.opening_id.in_(opening_ids), Attempt.state != AttemptState.READY)
    if user_ids is not None:
        users_query = users_query.where(User.id.in_(user_ids))
        attempts_query = attempts_query.where(Attempt.user_id.in_(user_ids))
    users = db.scalars(users_query).all()
    by_user: dict[int, list[Attempt]] = {}
    if opening_ids:
        for attempt in db.scalars(attempts_query):
            by_user.setdefault(attempt.user_id, []).append(attempt)
    attendance = attendance_summary(db, training_class, now, user_ids=user_ids)
    rows = [_judge(user, quiz, by_user.get(user.id, []), attendance.get(user.id)) for user in users]
    return sorted(rows, key=lambda row: (name_sort_key(row.user.full_name), row.user.id))


def trainee_eligibility(db: Session, training_class: TrainingClass, user: User, now: datetime) -> Eligibility:
    """One trainee's eligibility in the class (the trainee must be enrolled: callers check)."""
    quiz, opening_ids = end_of_course_test(db, training_class)
    attempts = list(db.scalars(select(Attempt).where(Attempt.opening_id.in_(opening_ids), Attempt.user_id == user.id,
                                                     Attempt.state != AttemptState.READY)
                               .options(selectinload(Attempt.quiz)))) if opening_ids else []
    return _judge(user, quiz, attempts, attendance_summary(db, training_class, now, user_id=user.id).get(user.id))
