"""SQLAlchemy 2.0 set-up: declarative Base, an engine built from config, a session per app context."""

from __future__ import annotations

import contextvars
import fcntl
import os
import threading
from datetime import UTC, datetime

from flask import Flask, current_app
from flask.globals import app_ctx
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Set for requests that will write, so SQLite takes the write lock up front instead of failing
# with "database is locked" when a reader later tries to upgrade under concurrent load.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)
# The in-process writer lock this thread holds, if any (see _configure_sqlite).
_held_writer: contextvars.ContextVar[WriterQueue | None] = contextvars.ContextVar("_held_writer", default=None)
WRITER_WAIT_SECONDS = 30


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys, a busy timeout and real transactions."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    kwargs: dict = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if url in ("sqlite://", "sqlite:///:memory:"):
        from sqlalchemy.pool import StaticPool

        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)
    _configure_sqlite(engine, in_memory=url in ("sqlite://", "sqlite:///:memory:"))
    return engine


class WriterQueue:
    """Writers of one SQLite database wait here in turn, woken the moment the writer before them finishes.

    Threads of a process queue on a lock; processes (gunicorn workers, a cron sweep) on flock() of a file
    beside the database. SQLite's own busy handler sleeps up to 100 ms between tries, which under load
    leaves the write lock idle while waiters sleep.
    """

    def __init__(self, database_path: str | None) -> None:
        self.path = f"{database_path}.writer-lock" if database_path else None
        self.thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid: int | None = None

    def _file(self) -> int:
        if self._pid != os.getpid():  # a forked worker opens its own file description
            self._fd, self._pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
        return self._fd

    def acquire(self) -> bool:
        if not self.thread_lock.acquire(timeout=WRITER_WAIT_SECONDS):
            return False
        if self.path is not None:
            try:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
            except OSError:
                self.path = None  # no lock file here (read-only folder): threads still queue
        return True

    def release(self) -> None:
        try:
            if self.path is not None and self._fd is not None and self._pid == os.getpid():
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self.thread_lock.release()


def _take_writer(queue: WriterQueue) -> None:
    if _held_writer.get() is None and queue.acquire():
        _held_writer.set(queue)


def begin_writes(session: Session) -> None:
    """End the read-only part of a request and let its writes begin.

    Views that read and compute a lot before writing (starting a test, saving answers) call this between
    the two, so SQLite's single write lock is held only for the writes, not for the whole request.
    Objects already loaded stay usable (expire_on_commit is off); re-read what must be current.
    """
    session.commit()
    write_intent.set(True)


def deferred_writes(view):
    """Mark a view that calls begin_writes itself: its transaction starts read-only."""
    view.deferred_writes = True
    return view


def release_writer() -> None:
    """Let the next writer (thread or process) begin its write transaction."""
    queue = _held_writer.get()
    if queue is not None:
        _held_writer.set(None)
        queue.release()


def _then_release_writer(finish):
    def finish_then_release(dbapi_connection):
        try:
            finish(dbapi_connection)
        finally:
            release_writer()

    return finish_then_release


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    # Writers queue in WriterQueue before BEGIN IMMEDIATE and leave it at commit or rollback (and at the
    # end of the app context at the latest). Writers that bypass it still wait through busy_timeout.
    writer = WriterQueue(None if in_memory else engine.url.database)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, issue BEGIN so SAVEPOINTs and transactions behave.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if not write_intent.get():
            connection.exec_driver_sql("BEGIN")
            return
        if not in_memory:
            _take_writer(writer)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            release_writer()
            raise

    # The next writer may go once COMMIT or ROLLBACK has really happened. SQLAlchemy's "commit" and
    # "rollback" events fire just *before* them, so releasing there let the next BEGIN IMMEDIATE find the
    # database still locked and sleep in SQLite's busy handler (1, 2, 5, 10... ms): under load that
    # capped writes at about a hundred a second. The engine's own dialect object is wrapped instead.
    dialect = engine.dialect
    for name in ("do_commit", "do_rollback"):
        setattr(dialect, name, _then_release_writer(getattr(dialect, name)))


class Database:
    """Engine per app, session per app context: the minimum Flask-SQLAlchemy would give."""

    def __init__(self) -> None:
        self.session = scoped_session(self._create_session, scopefunc=_app_ctx_id)

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        # Tests point "bind" at one connection with savepoints; everything else uses the engine.
        app.extensions["lms_db"] = {"engine": engine, "bind": engine, "join_transaction_mode": "conditional_savepoint"}
        app.teardown_appcontext(self._remove_session)

    @staticmethod
    def state(app: Flask | None = None) -> dict:
        return (app or current_app).extensions["lms_db"]

    def engine_for(self, app: Flask | None = None) -> Engine:
        return self.state(app)["engine"]

    def _create_session(self) -> Session:
        state = self.state()
        return Session(bind=state["bind"], expire_on_commit=False,
                       join_transaction_mode=state["join_transaction_mode"])

    def _remove_session(self, exc: BaseException | None) -> None:
        try:
            self.session.remove()
        finally:
            release_writer()


def _app_ctx_id() -> int:
    return id(app_ctx._get_current_object())


db = Database()


def get_session() -> Session:
    return db.session()
