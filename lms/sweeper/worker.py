"""The sweeper's background thread: one per worker process, a pass every QUIZ_SWEEPER_INTERVAL_SECONDS.

Started at the worker's first request (after gunicorn forks); a pass sweeps only in the worker holding the lease.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime

from flask import Flask

from lms.db import get_session, utcnow, write_intent
from lms.sweeper.leases import leases_for
from lms.sweeper.services import LEASE_NAME, sweep_if_holder

logger = logging.getLogger("lms.sweeper")


class Sweeper:
    """One worker's sweeper. `tick` is one pass (tests call it with an injected clock); `start` runs it in a thread."""

    def __init__(self, app: Flask, *, leases=None, interval: float | None = None, clock: Callable[[], datetime] = utcnow,
                 holder: str | None = None) -> None:
        self.app = app
        self.leases = leases or leases_for(app.config.get("REDIS_URL"))
        self.interval = float(interval or app.config["QUIZ_SWEEPER_INTERVAL_SECONDS"])
        # A holder that dies is replaced after this long; a live one renews at every tick, well before.
        self.lease_seconds = max(3 * self.interval, 2.0)
        self.clock = clock
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def tick(self) -> int | None:
        """One pass: the number of attempts closed, or None when another worker holds the lease (or it failed)."""
        with self.app.app_context():
            write_intent.set(False)
            session = get_session()
            try:
                closed = sweep_if_holder(session, self.leases, holder=self.holder, now=self.clock(),
                                         grace_seconds=self.app.config["QUIZ_SAVE_GRACE_SECONDS"],
                                         lease_seconds=self.lease_seconds)
                session.commit()
            except Exception:
                session.rollback()
                logger.exception("sweep failed; the next tick tries again")
                return None
        if closed:
            logger.info("sweep closed overdue attempts", extra={"closed": closed, "holder": self.holder})
        return closed

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="lms-sweeper", daemon=True)
        self.thread.start()
        atexit.register(self.stop)

    def stop(self) -> None:
        """Stop ticking and hand the lease over at once."""
        self.stopping.set()
        atexit.unregister(self.stop)
        try:
            with self.app.app_context():
                write_intent.set(True)
                session = get_session()
                self.leases.release(session, LEASE_NAME, self.holder)
                session.commit()
        except Exception:  # shutting down: the lease simply expires
            logger.warning("sweeper lease not released", exc_info=True)

    def _run(self) -> None:
        while not self.stopping.wait(self.interval):
            self.tick()


def init_sweeper(app: Flask) -> None:
    """Start this process's sweeper at its first request (after gunicorn forks, so each worker has one thread)."""
    if not app.config.get("QUIZ_SWEEPER"):
        return
    state = {"pid": None}
    lock = threading.Lock()

    @app.before_request
    def start_sweeper_once() -> None:
        if state["pid"] == os.getpid():
            return
        with lock:
            if state["pid"] != os.getpid():
                sweeper = Sweeper(app)
                sweeper.start()
                app.extensions["sweeper"] = sweeper
                state["pid"] = os.getpid()
