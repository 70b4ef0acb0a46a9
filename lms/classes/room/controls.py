"""The trainer's commands in the room (open, close, extra time, announce, roll call) and a trainee's confirmation.

Each is a plain function over the session through the existing quiz services; the caller commits, then emits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import User
from lms.classes.attendance.services import confirm_roll_call
from lms.classes.room.models import Announcement, RollCall, RollCallAnswer
from lms.classes.room.services import Access, class_trainees, current_opening, open_roll_call
from lms.classes.sessions.services import current_session
from lms.errors import NotFound, RuleViolation
from lms.quizzes.models import QuizOpening
from lms.quizzes.results.access import quiz_of_class
from lms.quizzes.results.overrides import set_override
from lms.quizzes.results.reports import open_window
from lms.quizzes.taking.attempts import get_override
from lms.quizzes.taking.openings import close_opening, quizzes_for_class
from lms.text import nfc

ANNOUNCEMENT_MAX = 1000
ROLL_CALL_MINUTES = 10


def _int(value, low: int, high: int, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        raise RuleViolation(message)
    number = int(value)
    if not low <= number <= high:
        raise RuleViolation(message)
    return number


def tests_to_open(session: Session, actor: User, access: Access) -> list[dict]:
    """The tests the trainer may open for the class, with the usual window length (time limit + 5 minutes)."""
    return [{"id": q.id, "title": q.title, "minutes": q.time_limit_minutes + 5}
            for q in quizzes_for_class(session, actor, access.training_class)]


def open_test_now(session: Session, actor: User, access: Access, *, quiz_id, minutes, now: datetime) -> QuizOpening:
    """Open a test for the whole class from now for `minutes` (the deadline rule is the usual one)."""
    access.require_staff()
    quiz = quiz_of_class(session, actor, access.training_class,
                         _int(quiz_id, 1, 2**31 - 1, _("Choose a test to open.")))
    length = _int(minutes, 1, 24 * 60, _("The test stays open from 1 to 1440 minutes."))
    opening = open_window(session, actor, quiz, access.training_class, opens_at=now,
                          closes_at=now + timedelta(minutes=length), now=now)
    record(session, "room.open_test", actor_id=actor.id, body_id=access.training_class.organising_body_id,
           target_type="quiz_opening", target_id=opening.id, target_label=quiz.title,
           after={"class_id": access.training_class.id, "minutes": length}, now=now)
    return opening


def close_test(session: Session, actor: User, access: Access, *, now: datetime) -> QuizOpening:
    """Close the class's open test now (attempts in progress get this moment as their deadline)."""
    access.require_staff()
    opening = current_opening(session, access.training_class.id, now)
    if opening is None:
        raise RuleViolation(_("No test is open for this class."))
    close_opening(session, actor, opening, now=now)
    record(session, "room.close_test", actor_id=actor.id, body_id=access.training_class.organising_body_id,
           target_type="quiz_opening", target_id=opening.id, target_label=opening.quiz.title, now=now)
    return opening


def give_extra_time(session: Session, actor: User, access: Access, *, user_id, minutes, now: datetime) -> User:
    """Extra minutes for one trainee of the class on the open test; an attempt in progress gets them at once."""
    access.require_staff()
    opening = current_opening(session, access.training_class.id, now)
    if opening is None:
        raise RuleViolation(_("No test is open for this class."))
    wanted = _int(user_id, 1, 2**31 - 1, _("Choose a trainee of this class."))
    found = class_trainees(session, access.training_class, [wanted])
    if not found:
        raise NotFound(_("Choose a trainee of this class."))
    trainee = found[0]
    extra = _int(minutes, 1, 600, _("Extra time must be 1 to 600 minutes."))
    existing = get_override(session, opening.quiz_id, trainee.id)
    set_override(session, opening.quiz, trainee, extra_minutes=extra,
                 extra_attempts=existing.extra_attempts if existing else 0,
                 reason=_("Extra time given in the live room"), now=now)
    record(session, "room.extra_time", actor_id=actor.id, body_id=access.training_class.organising_body_id,
           target_type="user", target_id=trainee.id, target_label=trainee.full_name,
           after={"quiz_id": opening.quiz_id, "extra_minutes": extra}, now=now)
    return trainee


def announce(session: Session, actor: User, access: Access, *, text, now: datetime) -> Announcement:
    """Store an announcement to the class (shown on its pages and pushed to everyone connected)."""
    access.require_staff()
    cleaned = nfc(text if isinstance(text, str) else "")
    if not cleaned:
        raise RuleViolation(_("Write the announcement first."))
    if len(cleaned) > ANNOUNCEMENT_MAX:
        raise RuleViolation(_("An announcement has at most %(count)d characters.", count=ANNOUNCEMENT_MAX))
    announcement = Announcement(class_id=access.training_class.id, author_id=actor.id, text=cleaned, created_at=now)
    session.add(announcement)
    session.flush()
    return announcement


def start_roll_call(session: Session, actor: User, access: Access, *, now: datetime) -> RollCall:
    """A new roll call, open for ROLL_CALL_MINUTES (a running one is closed first)."""
    access.require_staff()
    running = open_roll_call(session, access.training_class.id, now)
    if running is not None:
        running.closes_at = now
    roll_call = RollCall(class_id=access.training_class.id, started_by_id=actor.id, started_at=now,
                         closes_at=now + timedelta(minutes=ROLL_CALL_MINUTES))
    session.add(roll_call)
    session.flush()
    return roll_call


def confirm_presence(session: Session, user: User, access: Access, *, roll_call_id, now: datetime) -> bool:
    """A trainee's one tap; returns False when already confirmed (a second tap changes nothing)."""
    if access.staff:
        raise RuleViolation(_("Only trainees answer the roll call."))
    roll_call = open_roll_call(session, access.training_class.id, now)
    if roll_call is None or str(roll_call.id) != str(roll_call_id):
        raise RuleViolation(_("This roll call has ended."))
    exists = session.scalar(select(RollCallAnswer.id).where(RollCallAnswer.roll_call_id == roll_call.id,
                                                                  RollCallAnswer.user_id == user.id))
    if exists is not None:
        return False
    try:
        with session.begin_nested():
            session.add(RollCallAnswer(roll_call_id=roll_call.id, user_id=user.id, confirmed_at=now))
    except IntegrityError:  # the same trainee's other tab confirmed at the same moment
        return False
    class_session = current_session(session, access.training_class, now)
    if class_session is not None:  # counts toward the attendance of the session in progress
        confirm_roll_call(session, class_session=class_session, user=user, now=now)
    return True
