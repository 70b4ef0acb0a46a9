"""The check log written in batches (CERT_CHECK_LOG_SECONDS > 0): rows kept per process, written together, kept
when the database refuses them, and written by the background thread without any request."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from lms.certificates import checklog
from lms.certificates.checklog import CheckLog
from lms.certificates.models import CertificateCheck
from lms.certificates.verification import check_counts
from tests.certificates.conftest import issue
from tests.certificates.test_verify_views import scanned_path, status_of


@pytest.fixture
def batched(app):
    """The app's check log in batch mode for one test (an hour between batches: the test flushes)."""
    log = CheckLog(app)
    log.interval = 3600
    previous = app.extensions["certificate_check_log"]
    app.extensions["certificate_check_log"] = log
    yield log
    log.stop()
    app.extensions["certificate_check_log"] = previous


def rows(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(CertificateCheck))


def test_checks_are_answered_at_once_and_logged_together(client, db_session, finished, batched):
    certificate = issue(db_session, finished)
    db_session.commit()
    before = rows(db_session)
    for _ in range(3):
        assert status_of(client.get(scanned_path(certificate))) == "valid"
    assert client.get("/verify/no-such-code.json").status_code == 404
    assert batched.pending() == 4 and rows(db_session) == before  # answered without writing
    assert batched.flush() == 4 and batched.pending() == 0
    assert rows(db_session) == before + 4 and check_counts(db_session, [certificate.id]) == {certificate.id: 3}
    results = db_session.scalars(select(CertificateCheck.result).order_by(CertificateCheck.id.desc()).limit(4)).all()
    assert sorted(results) == ["not_found", "valid", "valid", "valid"]


def test_a_batch_the_database_refuses_is_kept_for_the_next(client, db_session, finished, batched, monkeypatch):
    certificate = issue(db_session, finished)
    db_session.commit()
    before = rows(db_session)
    client.get(scanned_path(certificate))
    client.get(scanned_path(certificate))

    def refuse(session, batch):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(checklog, "write_checks", refuse)
    assert batched.flush() == 0 and batched.pending() == 2 and rows(db_session) == before
    monkeypatch.undo()
    client.get(scanned_path(certificate))
    assert batched.flush() == 3 and rows(db_session) == before + 3


def test_beyond_the_bound_the_oldest_rows_are_dropped_and_the_loss_logged(app, batched, monkeypatch, caplog):
    monkeypatch.setattr(checklog, "MAX_PENDING", 3)
    batched._thread_pid = __import__("os").getpid()  # no thread: this test looks at the buffer only
    for index in range(5):
        batched.add({"code": f"c{index}"})
    assert batched.pending() == 3 and [row["code"] for row in batched._pending] == ["c2", "c3", "c4"]
    monkeypatch.setattr(checklog, "write_checks", lambda session, batch: None)
    with caplog.at_level("ERROR"):
        assert batched.flush() == 3
    assert "2 rows dropped" in caplog.text


def test_the_thread_writes_the_batch_without_any_request(client, db_session, finished, batched):
    certificate = issue(db_session, finished)
    db_session.commit()
    before = rows(db_session)
    batched.interval = 0.05
    client.get(scanned_path(certificate))  # the first row starts this process's thread
    deadline = time.monotonic() + 5
    while batched.pending() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert batched.pending() == 0 and rows(db_session) == before + 1
