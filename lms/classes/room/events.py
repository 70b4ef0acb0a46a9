"""Socket.IO handlers of the class room: each checks the logged-in user and their role in that class.

Every handler answers through its acknowledgement ({"ok": true, ...} or {"ok": false, "error": message}); events
to others are emitted only after the database change has committed.
"""

from __future__ import annotations

import logging

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import join_room

from lms.classes.room import controls
from lms.classes.room.notify import (
    class_room,
    emit_test_closed,
    emit_test_opened,
    presence,
    push_rows,
    staff_room,
    user_room,
)
from lms.classes.room.presence import Seat
from lms.classes.room.services import (
    Access,
    announcement_out,
    live_view,
    open_roll_call,
    roll_call_count,
    room_access,
    trainee_state,
)
from lms.db import begin_writes, get_session, utcnow, write_intent
from lms.errors import DomainError, Forbidden, NotFound
from lms.extensions import socketio

log = logging.getLogger(__name__)


def _access(data) -> Access:
    """The sender's place in the class named by the event (NotFound for a class that is not theirs)."""
    class_id = data.get("class_id") if isinstance(data, dict) else None
    if isinstance(class_id, bool) or not isinstance(class_id, int) or not 0 < class_id < 2**31:
        raise NotFound()
    return room_access(get_session(), current_user, class_id)


def _state(access: Access) -> dict:
    session, now = get_session(), utcnow()
    if access.staff:
        return live_view(session, access.training_class, now=now, connected=presence().connected(access.training_class.id),
                         tests=controls.tests_to_open(session, current_user, access))
    return trainee_state(session, access.training_class, current_user, now=now)


@socketio.on_error_default
def on_error(error: Exception) -> dict:
    get_session().rollback()
    if isinstance(error, DomainError):
        default = _("You may not do this here.") if isinstance(error, Forbidden) else _("This class room was not found.")
        return {"ok": False, "error": error.message or default}
    log.exception("room event %s failed", getattr(request, "event", {}).get("message"))
    return {"ok": False, "error": _("Something went wrong; please try again.")}


@socketio.on("connect")
def on_connect(auth=None):
    if not current_user.is_authenticated or current_user.must_change_password:
        return False  # refused: the room is for logged-in users (who have chosen their own password) only
    join_room(user_room(current_user.id))
    return True


@socketio.on("disconnect")
def on_disconnect(reason=None) -> None:
    seats = presence().remove(request.sid)
    session = get_session()
    for seat in seats:
        if not seat.staff and seat.user_id not in presence().connected(seat.class_id):
            push_rows(session, seat.class_id, [seat.user_id])
    session.rollback()


@socketio.on("join")
def on_join(data) -> dict:
    """Enter a class room (on every (re)connect); the answer carries the current state."""
    access = _access(data)
    class_id = access.training_class.id
    join_room(class_room(class_id))
    if access.staff:
        join_room(staff_room(class_id))
    already_here = current_user.id in presence().connected(class_id)
    presence().add(request.sid, Seat(class_id, current_user.id, access.staff))
    state = _state(access)
    if not access.staff and not already_here:
        push_rows(get_session(), class_id, [current_user.id])
    get_session().rollback()
    return {"ok": True, "state": state}


@socketio.on("state")
def on_state(data) -> dict:
    """The current state again (the page asks after a reconnect)."""
    access = _access(data)
    state = _state(access)
    get_session().rollback()
    return {"ok": True, "state": state}


def _commit(session) -> None:
    """Commit the command's writes; what follows (the new state, the emits) only reads."""
    session.commit()
    write_intent.set(False)


def _command(data) -> tuple:
    """A trainer command: the sender must be staff of this class; writes queue for the write lock at once."""
    access = _access(data)
    access.require_staff()
    session = get_session()
    begin_writes(session)
    return session, access


@socketio.on("open_test")
def on_open_test(data) -> dict:
    session, access = _command(data)
    opening = controls.open_test_now(session, current_user, access, quiz_id=data.get("quiz_id"),
                                     minutes=data.get("minutes"), now=utcnow())
    quiz_id, class_id, opening_id = opening.quiz_id, access.training_class.id, opening.id
    _commit(session)
    emit_test_opened(class_id, opening_id, quiz_id)
    return {"ok": True, "state": _state(access)}


@socketio.on("close_test")
def on_close_test(data) -> dict:
    session, access = _command(data)
    opening = controls.close_test(session, current_user, access, now=utcnow())
    class_id, opening_id = access.training_class.id, opening.id
    _commit(session)
    emit_test_closed(class_id, opening_id)
    return {"ok": True, "state": _state(access)}


@socketio.on("extra_time")
def on_extra_time(data) -> dict:
    session, access = _command(data)
    minutes = data.get("minutes")
    trainee = controls.give_extra_time(session, current_user, access, user_id=data.get("user_id"), minutes=minutes,
                                       now=utcnow())
    trainee_id = trainee.id
    _commit(session)
    socketio.emit("extra_time", {"class_id": access.training_class.id, "minutes": int(minutes)},
                  to=user_room(trainee_id))
    return {"ok": True}


@socketio.on("announce")
def on_announce(data) -> dict:
    session, access = _command(data)
    announcement = controls.announce(session, current_user, access, text=data.get("text"), now=utcnow())
    _commit(session)
    out = announcement_out(announcement)
    socketio.emit("announcement", {"class_id": access.training_class.id, **out},
                  to=class_room(access.training_class.id))
    return {"ok": True, "announcement": out}


@socketio.on("roll_call")
def on_roll_call(data) -> dict:
    session, access = _command(data)
    roll_call = controls.start_roll_call(session, current_user, access, now=utcnow())
    _commit(session)
    payload = {"class_id": access.training_class.id, "id": roll_call.id, "count": 0}
    socketio.emit("roll_call", payload, to=class_room(access.training_class.id))
    return {"ok": True, "roll_call": payload}


@socketio.on("confirm_roll_call")
def on_confirm_roll_call(data) -> dict:
    access = _access(data)
    session = get_session()
    begin_writes(session)
    added = controls.confirm_presence(session, current_user, access, roll_call_id=data.get("roll_call_id"),
                                      now=utcnow())
    _commit(session)
    if added:
        roll_call = open_roll_call(session, access.training_class.id, utcnow())
        if roll_call is not None:
            socketio.emit("roll_call_count", {"class_id": access.training_class.id, "id": roll_call.id,
                                              "count": roll_call_count(session, roll_call)},
                          to=staff_room(access.training_class.id))
        session.rollback()
    return {"ok": True, "confirmed": True}
