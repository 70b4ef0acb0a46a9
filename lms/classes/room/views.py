"""The room's HTTP side: the pinned socket.io browser client served from node_modules, and template helpers."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, send_file
from flask_login import current_user

from lms.auth.models import Role
from lms.config import ROOT
from lms.db import get_session

bp = Blueprint("room", __name__, template_folder="templates")
# Installed by `npm ci` (package.json / package-lock.json) in `make install`; never committed, never a CDN.
CLIENT = ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"


@bp.get("/room/socket.io.min.js")
def socketio_client():
    """The browser client, the same version for everyone (public: it is a library, not data)."""
    if not Path(CLIENT).is_file():
        abort(404)
    return send_file(CLIENT, mimetype="text/javascript", max_age=3600)


def init_templates(app: Flask) -> None:
    @app.context_processor
    def room_helpers():
        return {"room_classes_of_trainee": _room_classes_of_trainee, "room_announcements": _room_announcements}


def _room_classes_of_trainee() -> list:
    """The classes whose room the current trainee's pages join (none for anyone else)."""
    from lms.classes.room.services import enrolled_classes

    if not current_user.is_authenticated or current_user.role != Role.TRAINEE:
        return []
    return enrolled_classes(get_session(), current_user)


def _room_announcements(class_id: int) -> list[dict]:
    """The class's latest announcements, in the page itself (the room's script keeps them current)."""
    from lms.classes.room.services import recent_announcements

    return recent_announcements(get_session(), class_id)
