"""Two organisers issuing a class at once: every trainee gets one certificate, numbers 1..N with no gap.

Each worker issues the whole class in one transaction (a bulk action is all or nothing), one in class order and
one in reverse. SQLite: two threads of one process on a database file of their own. PostgreSQL: two processes
on a database of their own beside TEST_DATABASE_URL's (run with `bash scripts/with-postgres.sh ...`).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.certificates import keys
from lms.certificates.models import Certificate, IssueMode
from lms.certificates.records import issue_certificate
from lms.classes.models import TrainingClass
from lms.config import TestConfig
from lms.db import db, get_session, write_intent
from lms.migrate import upgrade
from lms.quizzes.models import Quiz, QuizOpening
from tests.certificates.conftest import BASE_URL, NOW, SECRET, sit
from tests.conftest import FIXTURES
from tests.factories import load_fixture_content, make_body, make_class, make_user

TRAINEES = 10


def _app(url: str):
    app = create_app(TestConfig)
    app.config.update(DATABASE_URL=url, CONTENT_DIR=str(FIXTURES / "content"))
    db.init_app(app)
    return app


def _seed(app) -> int:
    with app.app_context():
        session = get_session()
        session.info["app"] = app
        body = make_body(session)
        course = load_fixture_content(session)
        trainees = [make_user(session, body=body, full_name=f"Học Viên {i:02d}") for i in range(TRAINEES)]
        training_class = make_class(session, body=body, course=course, trainees=trainees)
        quiz = session.scalar(select(Quiz).where(Quiz.course_id == course.id).order_by(Quiz.id))
        opening = QuizOpening(quiz_id=quiz.id, class_id=training_class.id, opens_at=NOW - timedelta(hours=3),
                              closes_at=NOW - timedelta(hours=1))
        session.add(opening)
        session.flush()
        for trainee in trainees:
            sit(session, opening, trainee, 90)
        keys.current_key(session, SECRET, NOW)
        session.commit()
        return training_class.id


def _issue_class(app, class_id: int, reverse: bool) -> list[int]:
    with app.app_context():
        write_intent.set(True)
        session = get_session()
        training_class = session.get(TrainingClass, class_id)
        enrolments = sorted(training_class.enrolments, key=lambda e: e.user_id, reverse=reverse)
        ids = [issue_certificate(session, training_class=training_class, trainee=e.user, actor_id=None,
                                 mode=IssueMode.BULK, now=NOW, secret=SECRET, base_url=BASE_URL).id
               for e in enrolments]
        session.commit()
        return ids


def _check(url: str) -> None:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(Certificate.user_id, Certificate.sequence, Certificate.number)).all()
    engine.dispose()
    assert len(rows) == TRAINEES
    assert len({row.user_id for row in rows}) == TRAINEES
    assert sorted(row.sequence for row in rows) == list(range(1, TRAINEES + 1))
    assert len({row.number for row in rows}) == TRAINEES


def test_two_threads_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    upgrade(url)
    app = _app(url)
    class_id = _seed(app)
    results, errors = [], []

    def run(reverse: bool) -> None:
        try:
            results.append(_issue_class(app, class_id, reverse))
        except Exception as error:  # reported below with the test's failure
            errors.append(error)

    threads = [threading.Thread(target=run, args=(reverse,)) for reverse in (False, True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.engine_for(app).dispose()
    assert not errors, errors
    assert sorted(results[0]) == sorted(results[1])
    _check(url)


def _process(url: str, class_id: int, reverse: bool, queue) -> None:
    try:
        queue.put(sorted(_issue_class(_app(url), class_id, reverse)))
    except Exception as error:  # the parent fails the test with it
        queue.put(repr(error))


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="needs PostgreSQL: run with bash scripts/with-postgres.sh (TEST_DATABASE_URL unset)")
def test_two_processes_on_postgresql():
    base = make_url(os.environ["TEST_DATABASE_URL"])
    url = base.set(database="lms_certificate_race").render_as_string(hide_password=False)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS lms_certificate_race"))
        connection.execute(text("CREATE DATABASE lms_certificate_race"))
    try:
        upgrade(url)
        app = _app(url)
        class_id = _seed(app)
        db.engine_for(app).dispose()
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        workers = [context.Process(target=_process, args=(url, class_id, reverse, queue)) for reverse in (False, True)]
        for worker in workers:
            worker.start()
        results = [queue.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(timeout=10)
        assert all(isinstance(result, list) for result in results), results
        assert results[0] == results[1]
        _check(url)
    finally:
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS lms_certificate_race WITH (FORCE)"))
        admin.dispose()
