"""The class live room: presence, the trainer's live view and controls, over Flask-SocketIO."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def init_room(app: Flask) -> None:
    """Socket.IO on the app (threading mode, so gunicorn's threaded workers keep serving the exam API), rooms
    shared through Redis when REDIS_URL is set, the after-commit hook of the quizzes, the client script route."""
    from lms import hooks
    from lms.classes.room import events  # noqa: F401  (registers the handlers)
    from lms.classes.room.notify import attempt_changed, quiz_closed, quiz_opened
    from lms.classes.room.presence import make_presence
    from lms.classes.room.views import bp, init_templates
    from lms.extensions import socketio

    def origin_allowed(origin: str) -> bool:
        """Browsers connect only from the site's own public address (PUBLIC_BASE_URL)."""
        return bool(origin) and origin.rstrip("/").lower() == _origin(app.config["PUBLIC_BASE_URL"])

    socketio.init_app(app, async_mode="threading", message_queue=app.config.get("REDIS_URL") or None,
                      cors_allowed_origins=origin_allowed, ping_interval=25, ping_timeout=20,
                      logger=False, engineio_logger=False)
    app.extensions["room_presence"] = make_presence(app.config.get("REDIS_URL") or None)
    hooks.listen("attempt_changed", attempt_changed)
    hooks.listen("quiz_opened", quiz_opened)
    hooks.listen("quiz_closed", quiz_closed)
    app.register_blueprint(bp)
    init_templates(app)
