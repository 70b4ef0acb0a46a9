"""SQLite writers queue across threads and processes, so none sleeps in SQLite's busy handler."""

from __future__ import annotations

import multiprocessing
import threading
import time

from lms.db import WriterQueue


def _hold(path: str, hold_seconds: float, spans) -> None:
    queue = WriterQueue(path)
    assert queue.acquire()
    started = time.monotonic()
    time.sleep(hold_seconds)
    spans.append((started, time.monotonic()))
    queue.release()


def _overlaps(spans) -> bool:
    ordered = sorted(spans)
    return any(later[0] < earlier[1] for earlier, later in zip(ordered, ordered[1:], strict=False))


def test_two_processes_never_write_at_once(tmp_path):
    path = str(tmp_path / "lms.sqlite3")
    context = multiprocessing.get_context("fork")
    with context.Manager() as manager:
        spans = manager.list()
        workers = [context.Process(target=_hold, args=(path, 0.2, spans)) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=10)
        assert len(spans) == 3 and not _overlaps(list(spans))


def test_threads_of_one_process_take_turns_and_the_next_starts_at_once(tmp_path):
    queue = WriterQueue(str(tmp_path / "lms.sqlite3"))
    spans = []

    def hold():
        assert queue.acquire()
        started = time.monotonic()
        time.sleep(0.05)
        spans.append((started, time.monotonic()))
        queue.release()

    threads = [threading.Thread(target=hold) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    ordered = sorted(spans)
    assert len(spans) == 4 and not _overlaps(spans)
    # The next writer starts within a few milliseconds of the previous one's end (no busy-handler sleep).
    assert max(later[0] - earlier[1] for earlier, later in zip(ordered, ordered[1:], strict=False)) < 0.02


def test_the_write_lock_is_held_until_the_commit_has_happened(tmp_path):
    """SQLAlchemy's "commit" event fires before COMMIT; letting the next writer go there made its
    BEGIN IMMEDIATE find the database still locked and sleep in SQLite's busy handler."""
    from sqlalchemy import event, text

    from lms.db import _held_writer, make_engine, write_intent

    engine = make_engine(f"sqlite:///{tmp_path / 'lms.sqlite3'}")
    held_at_commit = []
    event.listen(engine, "commit", lambda _connection: held_at_commit.append(_held_writer.get() is not None))
    token = write_intent.set(True)
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.commit()
            assert held_at_commit == [True]
            assert _held_writer.get() is None  # released once COMMIT returned
            connection.execute(text("INSERT INTO t VALUES (1)"))
            connection.rollback()
            assert _held_writer.get() is None
    finally:
        write_intent.reset(token)
        engine.dispose()
