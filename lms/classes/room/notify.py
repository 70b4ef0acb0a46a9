"""What the room pushes, and to whom: room names, and the live rows sent after a change committed."""

from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy import select

from lms.classes.models import TrainingClass
from lms.classes.room.services import class_trainees, latest_opening, trainee_rows
from lms.db import get_session, utcnow, write_intent
from lms.extensions import socketio
from lms.quizzes.models import QuizOpening


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
        opening = latest_opening(session, class_id, utcnow())
    users = class_trainees(session, training_class, user_ids)
    rows = trainee_rows(session, opening, users, connected)
    if rows:  # one event for the batch, whatever its size
        socketio.emit("live_rows", {"class_id": class_id, "rows": rows}, to=staff_room(class_id))


_opening_classes: dict[int, int] = {}  # opening id -> class id, read once per process (they never change)


def class_of_opening(session, opening_id: int) -> int | None:
    if opening_id not in _opening_classes:
        class_id = session.scalar(select(QuizOpening.class_id).where(QuizOpening.id == opening_id))
        if class_id is None:
            return None
        if len(_opening_classes) > 10_000:
            _opening_classes.clear()
        _opening_classes[opening_id] = class_id
    return _opening_classes[opening_id]


def attempt_changed(*, attempt_id: int, opening_id: int, user_id: int) -> None:
    """Hook for the quizzes taking views and API (lms.hooks "attempt_changed"), called after their commit:
    the trainer's row of this trainee moves (answered count, submitted and score). The save itself only notes
    the trainee (lms/classes/room/batch.py); with ROOM_PUSH_SECONDS = 0 the row is pushed at once."""
    from lms.classes.room.batch import pending_rows, push_changed

    if float(current_app.config["ROOM_PUSH_SECONDS"]) > 0:
        pending_rows.note(current_app._get_current_object(), opening_id, user_id)
        return
    token = write_intent.set(False)  # reads only: never queue for SQLite's write lock after the request's writes
    try:
        push_changed({(opening_id, user_id)})
    finally:
        write_intent.reset(token)


def emit_test_opened(class_id: int, opening_id: int, quiz_id: int) -> None:
    socketio.emit("test_opened", {"class_id": class_id, "opening_id": opening_id, "quiz_id": quiz_id,
                                  "start_url": url_for("quizzes.start_attempt", quiz_id=quiz_id)},
                  to=class_room(class_id))


def emit_test_closed(class_id: int, opening_id: int) -> None:
    socketio.emit("test_closed", {"class_id": class_id, "opening_id": opening_id}, to=class_room(class_id))


def _opening(opening_id: int) -> QuizOpening | None:
    return get_session().get(QuizOpening, opening_id)


def quiz_opened(*, opening_id: int) -> None:
    """Hook for the staff "open the test" form (lms.hooks "quiz_opened"), after its commit: a window that is open
    now moves the class's connected trainees to the test, as the room's own command does."""
    token = write_intent.set(False)
    try:
        opening = _opening(opening_id)
        if opening is not None and opening.opens_at <= utcnow() < opening.closes_at:
            emit_test_opened(opening.class_id, opening.id, opening.quiz_id)
        get_session().rollback()
    finally:
        write_intent.reset(token)


def quiz_closed(*, opening_id: int) -> None:
    """Hook for the staff "close the window" form (lms.hooks "quiz_closed"), after its commit."""
    token = write_intent.set(False)
    try:
        opening = _opening(opening_id)
        if opening is not None:
            emit_test_closed(opening.class_id, opening.id)
        get_session().rollback()
    finally:
        write_intent.reset(token)
