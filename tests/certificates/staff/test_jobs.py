"""Bulk issue jobs: progress and heartbeat, takeover of a dead worker's job (injected clock), one job per class."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from lms.certificates.models import Certificate, CertificateJob
from lms.certificates.staff import jobs
from lms.db import utcnow
from tests.certificates.staff.conftest import Clock, certificates_of
from tests.conftest import login, post_form

T0 = datetime(2030, 3, 11, 8, 0, tzinfo=UTC)


def _run(app, session, lease, clock) -> bool:
    with app.test_request_context():
        return jobs.run_job(session, lease, clock=clock, signing=jobs.signing_of(app))


def test_a_job_issues_every_eligible_trainee_once_and_records_progress(app, db_session, sat):
    clock = Clock(T0)
    with app.test_request_context():
        job, lease = jobs.request_bulk_job(db_session, sat.training_class, actor_id=sat.users["organiser"].id,
                                           now=clock(), stale_seconds=60)
    db_session.commit()
    assert lease is not None and job.state == jobs.JobState.QUEUED
    assert _run(app, db_session, lease, clock)
    db_session.refresh(job)
    assert (job.state, job.total, job.done, job.issued, job.active_key) == ("done", 1, 1, 1, None)
    assert job.heartbeat_at == T0 and job.finished_at == T0
    assert [c.user_id for c in certificates_of(db_session, sat)] == [sat.passer.id]

    with app.test_request_context():  # a second job finds nothing left to issue
        again, lease = jobs.request_bulk_job(db_session, sat.training_class, actor_id=None, now=clock(),
                                             stale_seconds=60)
    db_session.commit()
    assert again.id != job.id and _run(app, db_session, lease, clock)
    db_session.refresh(again)
    assert (again.total, again.done, again.issued) == (1, 1, 0)
    assert len(certificates_of(db_session, sat)) == 1


def test_a_live_job_is_shared_and_a_dead_one_is_taken_over(app, db_session, sat):
    clock = Clock(T0)
    with app.test_request_context():
        job, first = jobs.request_bulk_job(db_session, sat.training_class, actor_id=None, now=clock(),
                                           stale_seconds=60)
        db_session.commit()
        clock.advance(seconds=30)  # the worker is alive: a second press gets the same job and no lease
        same, none = jobs.request_bulk_job(db_session, sat.training_class, actor_id=None, now=clock(),
                                           stale_seconds=60)
        assert same.id == job.id and none is None
        clock.advance(seconds=60)  # silent for 90 s: the next request takes it over
        taken, second = jobs.request_bulk_job(db_session, sat.training_class, actor_id=None, now=clock(),
                                              stale_seconds=60)
        db_session.commit()
    assert taken.id == job.id and second is not None and second.token == clock()
    assert not _run(app, db_session, first, clock)  # the old worker wakes up: its lease is gone, it stops
    assert certificates_of(db_session, sat) == []
    assert _run(app, db_session, second, clock)
    assert len(certificates_of(db_session, sat)) == 1
    assert db_session.scalar(select(func.count()).select_from(CertificateJob)) == 1


def test_two_takeovers_at_once_give_one_lease(app, db_session, sat):
    with app.test_request_context():
        job, _lease = jobs.request_bulk_job(db_session, sat.training_class, actor_id=None, now=T0, stale_seconds=60)
        later = T0 + timedelta(minutes=5)
        leases = [jobs.take_over_if_stale(db_session, job, now=later, stale_seconds=60) for _ in range(2)]
    assert leases[0] is not None and leases[1] is None


def test_the_job_page_takes_over_a_dead_job_and_shows_progress(client, db_session, sat):
    silent_since = utcnow() - timedelta(minutes=5)
    dead = CertificateJob(class_id=sat.training_class.id, state="running", active_key="active", total=1, done=0,
                          created_at=silent_since, heartbeat_at=silent_since)
    db_session.add(dead)
    db_session.commit()
    login(client, "btc.cc")
    url = f"/classes/{sat.training_class.id}/certificates/jobs/{dead.id}"
    page = client.get(url)
    assert page.status_code == 200 and '<progress class="bar"' in page.get_data(as_text=True)
    progress = client.get(url + "/progress").get_json()
    assert progress == {"state": "done", "state_label": progress["state_label"], "total": 1, "done": 1,
                        "issued": 1, "percent": 100, "finished": True}
    assert len(certificates_of(db_session, sat)) == 1


def test_the_button_runs_a_small_class_inline_and_lands_on_the_progress_page(client, db_session, sat):
    login(client, "btc.cc")
    response = post_form(client, f"/classes/{sat.training_class.id}/certificates/issue-all")
    assert response.status_code == 302 and "/certificates/jobs/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1/1" in page.replace('<span data-job="done">1</span>/<span data-job="total">1</span>', "1/1")
    assert db_session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_a_bulk_issue_never_undoes_a_revocation(app, db_session, sat):
    from datetime import date

    from lms.certificates.records import revoke_certificate
    from tests.certificates.staff.conftest import issue_to

    certificate = issue_to(app, db_session, sat, sat.passer)
    with app.test_request_context():
        revoke_certificate(db_session, certificate, actor_id=None, reason="Cấp nhầm", revoked_on=date(2030, 3, 11),
                           now=T0)
        job, lease = jobs.request_bulk_job(db_session, sat.training_class, actor_id=None, now=T0, stale_seconds=60)
    db_session.commit()
    assert _run(app, db_session, lease, Clock(T0))
    db_session.refresh(job)
    assert (job.total, job.done, job.issued) == (1, 1, 0)
    assert certificates_of(db_session, sat) == [certificate]


def test_a_job_issues_in_batches_and_judges_each_batch_again(app, db_session, sat, monkeypatch):
    from lms.classes.models import Enrolment, EnrolmentStatus
    from tests.certificates.staff.conftest import sit

    sit(app, db_session, sat.quiz, sat.users["absent"], right=True)  # two passers: Hương, then Tám
    monkeypatch.setattr(jobs, "BATCH_SIZE", 1)
    calls = []

    def clock():  # the third reading is the second batch's: Tám is withdrawn just before it is judged
        calls.append(1)
        if len(calls) == 3:
            db_session.execute(Enrolment.__table__.update()
                               .where(Enrolment.user_id == sat.users["absent"].id)
                               .values(status=EnrolmentStatus.WITHDRAWN))
        return T0

    with app.test_request_context():
        job, lease = jobs.request_bulk_job(db_session, sat.training_class, actor_id=None, now=T0, stale_seconds=60)
    db_session.commit()
    assert _run(app, db_session, lease, clock)
    db_session.refresh(job)
    assert (job.state, job.total, job.done, job.issued) == ("done", 2, 2, 1)
    assert [c.user_id for c in certificates_of(db_session, sat)] == [sat.passer.id]
    assert "Trần Văn Út Tám" in job.message
