"""The certificate check log written in batches, so that a public check never waits for the database's write lock.

Every verification (page, JSON or form) adds one row to `certificate_checks`. Written inside the request, each
check was a writer: on SQLite it queued for the one write lock shared by every worker, and it cost a verify more
CPU than the rest of its work (bench/README.md). Each web process instead keeps the rows of its last checks in
memory and one background thread per process inserts them together every CERT_CHECK_LOG_SECONDS (0.5 s by
default; 0 writes each row within its request, as the tests do). The price, stated in docs/certificates.md: a
worker killed with SIGKILL loses the rows of its last half second; a worker stopped normally (gunicorn's SIGTERM,
a restart) writes them on its way out. A batch that cannot be written (database busy or down) is kept and tried
again with the next one, up to MAX_PENDING rows; beyond that the oldest are dropped and the loss is logged.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import deque

from flask import Flask
from sqlalchemy import insert

from lms.certificates.models import CertificateCheck
from lms.db import get_session, write_intent

log = logging.getLogger(__name__)
MAX_PENDING = 50_000  # rows kept while the database cannot take them (about 10 MB)
_INSERT_CHECKS = insert(CertificateCheck.__table__)


def write_checks(session, rows: list[dict]) -> None:
    """Insert check-log rows with one executemany; the caller commits."""
    if rows:
        session.execute(_INSERT_CHECKS, rows)


class CheckLog:
    """One process's pending check-log rows and the thread that writes them (started on first use per process)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.interval = float(app.config["CERT_CHECK_LOG_SECONDS"])
        self._lock = threading.Lock()
        self._pending: deque[dict] = deque()
        self._dropped = 0
        self._thread_pid: int | None = None
        self._stopping = threading.Event()

    @property
    def batched(self) -> bool:
        return self.interval > 0

    def add(self, row: dict) -> None:
        """Keep one check's row for the next batch."""
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                self._pending.popleft()
                self._dropped += 1
            self._pending.append(row)
            if self._thread_pid != os.getpid():  # a forked gunicorn worker starts its own thread
                self._thread_pid = os.getpid()
                self._stopping.clear()
                threading.Thread(target=self._run, name="certificate-check-log", daemon=True).start()
                atexit.register(self.flush)

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Write every pending row in one transaction; returns how many were written (0 when it failed: they are
        kept for the next try)."""
        with self._lock:
            rows, self._pending = list(self._pending), deque()
            dropped, self._dropped = self._dropped, 0
        if dropped:
            log.error("certificate check log: %d rows dropped while the database could not take them", dropped)
        if not rows:
            return 0
        try:
            with self.app.app_context():
                write_intent.set(True)  # SQLite: the write lock is taken at BEGIN
                session = get_session()
                try:
                    write_checks(session, rows)
                    session.commit()
                except Exception:
                    session.rollback()
                    raise
        except Exception:
            log.warning("certificate check log: %d rows not written yet; tried again with the next batch", len(rows),
                        exc_info=True)
            with self._lock:
                self._pending.extendleft(reversed(rows))
                while len(self._pending) > MAX_PENDING:
                    self._pending.popleft()
                    self._dropped += 1
            return 0
        return len(rows)

    def stop(self) -> None:
        """Stop the thread (tests); the rows still pending are written."""
        self._stopping.set()
        with self._lock:
            self._thread_pid = None
        self.flush()

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            self.flush()


def check_log(app: Flask) -> CheckLog:
    return app.extensions["certificate_check_log"]


def init_check_log(app: Flask) -> None:
    app.extensions["certificate_check_log"] = CheckLog(app)
