"""Two organisers press "issue all" at once (two threads, a database file of their own): one job, one set."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, func, select

from lms.certificates.models import Certificate, CertificateJob
from lms.certificates.staff import jobs
from lms.classes.models import TrainingClass
from lms.db import db, get_session, utcnow, write_intent
from lms.migrate import upgrade
from tests.certificates.test_concurrency import TRAINEES, _app, _seed


def _press(app, class_id: int, barrier: threading.Barrier) -> tuple[int, bool]:
    """What the issue-all view does: ask for the class's job, commit, and if this request got the lease run it
    in a background thread (the path of a large class), here joined so the test can look at the outcome."""
    with app.app_context(), app.test_request_context():
        write_intent.set(True)
        session = get_session()
        barrier.wait(timeout=10)
        job, lease = jobs.request_bulk_job(session, session.get(TrainingClass, class_id), actor_id=None,
                                           now=utcnow(), stale_seconds=60)
        session.commit()
        if lease is not None:
            jobs.start_job(app, session, lease, inline=False).join(timeout=60)
        return job.id, lease is not None


def test_two_presses_at_once_give_one_job_and_one_certificate_each(tmp_path):
    url = f"sqlite:///{tmp_path / 'press.sqlite3'}"
    upgrade(url)
    app = _app(url)
    class_id = _seed(app)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run() -> None:
        try:
            results.append(_press(app, class_id, barrier))
        except Exception as error:  # reported below with the test's failure
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.engine_for(app).dispose()
    assert not errors, errors
    assert len({job_id for job_id, _ in results}) == 1  # both presses landed on the same job
    assert sorted(ran for _, ran in results) == [False, True]  # and only one ran it
    engine = create_engine(url)
    with engine.connect() as connection:
        users = connection.execute(select(Certificate.user_id)).scalars().all()
        job = connection.execute(select(CertificateJob)).one()
        assert connection.execute(select(func.count()).select_from(CertificateJob)).scalar() == 1
    engine.dispose()
    assert len(users) == len(set(users)) == TRAINEES
    assert (job.state, job.total, job.done, job.issued, job.active_key) == ("done", TRAINEES, TRAINEES, TRAINEES, None)
