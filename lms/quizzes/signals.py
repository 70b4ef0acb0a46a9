"""Hooks that other features register at app start to hear of graded attempts; quizzes never import them.

Certificates sit above quizzes (`certificates → quizzes`), so a passed attempt cannot call the certificate
code directly: `lms.certificates` registers a handler here when the app is built, and the quizzes code calls
:func:`attempts_graded` after closing or regrading attempts, in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from lms.quizzes.models import Attempt

GradedHandler = Callable[[Session, list[Attempt], datetime], None]
_graded_handlers: list[GradedHandler] = []
log = logging.getLogger(__name__)


def on_attempts_graded(handler: GradedHandler) -> GradedHandler:
    """Register ``handler(session, attempts, now)``; registering the same function twice keeps one."""
    if handler not in _graded_handlers:
        _graded_handlers.append(handler)
    return handler


def attempts_graded(session: Session, attempts: list[Attempt], *, now: datetime) -> None:
    """Tell every handler that these attempts were just graded (closed, or regraded).

    A handler must leave the session usable whatever happens (it works inside a savepoint); an error it lets
    out is logged here and never fails the trainee's submit or the sweep.
    """
    if not attempts:
        return
    for handler in list(_graded_handlers):
        try:
            handler(session, attempts, now)
        except Exception:
            log.exception("handler %s of graded attempts failed", getattr(handler, "__name__", handler))
