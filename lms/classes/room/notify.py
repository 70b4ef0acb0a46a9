"""What the room pushes, and to whom: room names, and the live rows sent after a change committed."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from lms.classes.models import TrainingClass
from lms.classes.room.services import class_trainees, trainee_rows
from lms.db import get_session, write_intent
from lms.extensions import socketio
from lms.quizzes.models import Attempt, QuizOpening


def class_room(class_id: int) -> str:
    return f"class:{class_id}"


def staff_room(class_id: int) -> str:
    return f"class:{class_id}:staff"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def presence():
    return current_app.extensions["room_presence"]


def push_rows(session, class_id: int, user_ids: list[int], opening: QuizOpening | None = None) -> None:
    """Send the trainer's view the current rows of these trainees (only when staff watch the room)."""
    connected = presence().connected(class_id)
    if not any(connected.values()):
        return
    training_class = session.get(TrainingClass, class_id)
    if training_class is None:
        return
    if opening is None:
        from lms.classes.room.services import latest_opening
        from lms.db import utcnow

        opening = latest_opening(session, class_id, utcnow())
    users = class_trainees(session, training_class, user_ids)
    for row in trainee_rows(session, opening, users, connected):
        socketio.emit("live_row", {"class_id": class_id, **row}, to=staff_room(class_id))


def attempt_changed(*, attempt_id: int) -> None:
    """Hook for the quizzes taking views and API (lms.hooks "attempt_changed"), called after their commit:
    the trainer's row of this trainee moves (answered count, submitted and score)."""
    token = write_intent.set(False)  # reads only: never queue for SQLite's write lock after the request's writes
    try:
        session = get_session()
        found = session.execute(select(Attempt.user_id, QuizOpening).join(QuizOpening, Attempt.opening_id == QuizOpening.id)
                                .where(Attempt.id == attempt_id)).first()
        if found is not None:
            user_id, opening = found
            push_rows(session, opening.class_id, [user_id], opening)
        session.rollback()
    finally:
        write_intent.reset(token)
