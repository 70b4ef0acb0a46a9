"""The trainer's live rows pushed in batches: a save only notes which trainee changed; a thread sends the rows.

On test day every trainee saves an answer every few seconds; computing and emitting a row inside each save
request made the saves several times slower (bench/README.md). Each web process instead keeps the set of
(opening, trainee) pairs changed since the last push, and one background thread per process sends their rows
every ROOM_PUSH_SECONDS (1 s by default). With ROOM_PUSH_SECONDS = 0 (the tests) rows are pushed at once.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from flask import Flask

log = logging.getLogger(__name__)


class PendingRows:
    """Pairs waiting for the next push, and the thread that pushes them (started on first use per process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: set[tuple[int, int]] = set()
        self._thread_pid: int | None = None

    def note(self, app: Flask, opening_id: int, user_id: int) -> None:
        with self._lock:
            self._pending.add((opening_id, user_id))
            if self._thread_pid != os.getpid():  # a forked gunicorn worker starts its own thread
                self._thread_pid = os.getpid()
                threading.Thread(target=self._run, args=(app,), name="room-rows", daemon=True).start()

    def take(self) -> set[tuple[int, int]]:
        with self._lock:
            taken, self._pending = self._pending, set()
        return taken

    def _run(self, app: Flask) -> None:
        interval = float(app.config["ROOM_PUSH_SECONDS"])
        while True:
            time.sleep(interval)
            taken = self.take()
            if not taken:
                continue
            try:
                with app.app_context():
                    push_changed(taken)
            except Exception:  # the next round tries again with what changes then
                log.exception("pushing %d live rows failed", len(taken))


def push_changed(changed: set[tuple[int, int]]) -> None:
    """The rows of these (opening, trainee) pairs, one read per class, to the classes' trainers."""
    from lms.classes.room.notify import class_of_opening, presence, push_rows
    from lms.db import get_session
    from lms.quizzes.models import QuizOpening

    if not presence().any_staff():
        return
    session = get_session()
    by_opening: dict[int, list[int]] = {}
    for opening_id, user_id in changed:
        by_opening.setdefault(opening_id, []).append(user_id)
    try:
        for opening_id, user_ids in by_opening.items():
            class_id = class_of_opening(session, opening_id)
            if class_id is not None and any(presence().connected(class_id).values()):
                push_rows(session, class_id, sorted(user_ids), session.get(QuizOpening, opening_id))
    finally:
        session.rollback()


pending_rows = PendingRows()
