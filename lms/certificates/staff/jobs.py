"""Bulk issue of a class's certificates outside the web request: one job per class, a lease kept by heartbeats.

A job is a CertificateJob row. Its worker (a background thread, or the request itself for a small class: the
same :func:`run_job`) issues one trainee per short transaction and in that transaction moves the progress and
the heartbeat forward. The heartbeat is also the worker's lease: every write is a compare-and-set on the value
the worker last wrote, so once another worker has taken over a job whose heartbeat went stale (its process
died), the old worker's next write matches nothing and it stops. Duplicates are impossible twice over: the
unique ``(class_id, active_key)`` allows one active job per class, and issuing is idempotent per trainee.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.audit.services import record
from lms.auth.models import User
from lms.certificates.eligibility import class_eligibility
from lms.certificates.models import Certificate, CertificateJob, IssueMode
from lms.certificates.records import issue_certificate
from lms.classes.models import Enrolment, EnrolmentStatus, TrainingClass
from lms.db import get_session, utcnow, write_intent
from lms.errors import DomainError

log = logging.getLogger(__name__)
ACTIVE = "active"
BATCH_SIZE = 25  # trainees issued per transaction: the progress bar moves per batch


class JobState:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Lease:
    """The right to run a job: valid while the job's heartbeat still holds ``token``."""

    job_id: int
    token: datetime


@dataclass(frozen=True)
class Signing:
    secret: str
    base_url: str


def active_job(session: Session, class_id: int) -> CertificateJob | None:
    return session.scalar(select(CertificateJob).where(CertificateJob.class_id == class_id,
                                                       CertificateJob.active_key == ACTIVE))


def latest_job(session: Session, class_id: int) -> CertificateJob | None:
    return session.scalar(select(CertificateJob).where(CertificateJob.class_id == class_id)
                          .order_by(CertificateJob.created_at.desc(), CertificateJob.id.desc()).limit(1))


def is_stale(job: CertificateJob, *, now: datetime, stale_seconds: float) -> bool:
    """An active job whose worker has not written for ``stale_seconds``."""
    beat = job.heartbeat_at or job.created_at
    return job.active_key is not None and now - beat > timedelta(seconds=stale_seconds)


def request_bulk_job(session: Session, training_class: TrainingClass, *, actor_id: int | None, now: datetime,
                     stale_seconds: float) -> tuple[CertificateJob, Lease | None]:
    """The class's active job, or a new one; with a lease when the caller must run it (new, or a dead worker's).

    Two organisers pressing at once get the same job: the second insert breaks the unique active key, and the
    job that won is returned without a lease.
    """
    job = active_job(session, training_class.id)
    if job is not None:
        return job, take_over_if_stale(session, job, now=now, stale_seconds=stale_seconds)
    job = CertificateJob(class_id=training_class.id, requested_by_id=actor_id, state=JobState.QUEUED,
                         active_key=ACTIVE, created_at=now, heartbeat_at=now, total=0, done=0, issued=0)
    try:
        with session.begin_nested():
            session.add(job)
            session.flush()
    except IntegrityError:
        winner = active_job(session, training_class.id)
        if winner is None:
            raise
        return winner, None
    record(session, "certificate.bulk_issue", actor_id=actor_id, body_id=training_class.organising_body_id,
           target_type="class", target_id=training_class.id, target_label=training_class.name,
           after={"job_id": job.id}, now=now)
    return job, Lease(job.id, now)


def take_over_if_stale(session: Session, job: CertificateJob, *, now: datetime,
                       stale_seconds: float) -> Lease | None:
    """Claim a job whose worker died; of two claimants at once only one matches the stale heartbeat."""
    if not is_stale(job, now=now, stale_seconds=stale_seconds):
        return None
    cutoff = now - timedelta(seconds=stale_seconds)
    claimed = session.execute(
        update(CertificateJob)
        .where(CertificateJob.id == job.id, CertificateJob.active_key == ACTIVE, CertificateJob.heartbeat_at < cutoff)
        .values(heartbeat_at=now, state=JobState.RUNNING)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(job)
    if claimed != 1:
        return None
    log.warning("certificate job %s taken over after its worker fell silent", job.id)
    return Lease(job.id, now)


def _beat(session: Session, lease: Lease, now: datetime, **values) -> Lease | None:
    """Write progress if the lease still holds; None when another worker has taken the job over."""
    moved = session.execute(
        update(CertificateJob)
        .where(CertificateJob.id == lease.job_id, CertificateJob.heartbeat_at == lease.token,
               CertificateJob.active_key == ACTIVE)
        .values(heartbeat_at=now, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    return Lease(lease.job_id, now) if moved == 1 else None


def _pending(session: Session, training_class: TrainingClass, now: datetime) -> tuple[int, list[int]]:
    """How many trainees are eligible, and the ids of those the bulk issue must still issue, by given name. Left
    alone: those who hold a certificate of the class, and those whose certificate was revoked (only a single issue
    with a reason gives them a new one)."""
    eligible = [verdict.user.id for verdict in class_eligibility(session, training_class, now) if verdict.eligible]
    certified = had_certificate(session, training_class.id)
    return len(eligible), [user_id for user_id in eligible if user_id not in certified]


def had_certificate(session: Session, class_id: int, user_id: int | None = None) -> set[int]:
    """Trainees of the class with any certificate of it, current, superseded or revoked."""
    query = select(Certificate.user_id).where(Certificate.class_id == class_id)
    if user_id is not None:
        query = query.where(Certificate.user_id == user_id)
    return set(session.scalars(query))


def run_job(session: Session, lease: Lease, *, clock: Callable[[], datetime], signing: Signing) -> bool:
    """Issue the class's eligible trainees in batches of BATCH_SIZE, each batch in its own committed transaction
    that judges its trainees again (a trainee withdrawn or no longer eligible meanwhile is skipped and named).

    Returns False when the lease was lost to another worker (this one then stops, rolling back its last step).
    """
    job = session.get(CertificateJob, lease.job_id)
    training_class = session.get(TrainingClass, job.class_id)
    now = clock()
    total, pending = _pending(session, training_class, now)
    lease = _beat(session, lease, now, state=JobState.RUNNING, total=total, done=total - len(pending))
    session.commit()
    failures: list[str] = []
    for start in range(0, len(pending), BATCH_SIZE):
        lease = _issue_batch(session, lease, job, training_class, pending[start:start + BATCH_SIZE], clock(), signing,
                             failures)
        if lease is None:
            session.rollback()
            return False
        session.commit()
    return _finish(session, lease, clock(), failures)


def _issue_batch(session: Session, lease: Lease | None, job: CertificateJob, training_class: TrainingClass,
                 user_ids: list[int], now: datetime, signing: Signing, failures: list[str]) -> Lease | None:
    if lease is None:
        return None
    verdicts = {verdict.user.id: verdict for verdict in class_eligibility(session, training_class, now, user_ids=user_ids)}
    issued = 0
    for user_id in user_ids:
        verdict = verdicts.get(user_id)
        if verdict is None or not verdict.eligible:
            name = verdict.user.full_name if verdict else session.get(User, user_id).full_name
            reasons = "; ".join(verdict.reasons) if verdict else _("no longer enrolled in this class")
            failures.append(f"{name}: {reasons}")
            continue
        try:
            with session.begin_nested():
                issue_certificate(session, training_class=training_class, trainee=verdict.user,
                                  actor_id=job.requested_by_id, mode=IssueMode.BULK, now=now, secret=signing.secret,
                                  base_url=signing.base_url, eligibility=verdict)
            issued += 1
        except DomainError as error:
            failures.append(f"{verdict.user.full_name}: {error.message}")
            log.warning("bulk issue of class %s skipped user %s: %s", training_class.id, user_id, error.message)
    return _beat(session, lease, now, done=CertificateJob.done + len(user_ids), issued=CertificateJob.issued + issued)


def _finish(session: Session, lease: Lease | None, now: datetime, failures: list[str]) -> bool:
    if lease is None:
        session.rollback()
        return False
    message = "\n".join(failures)
    finished = _beat(session, lease, now, state=JobState.DONE, active_key=None, finished_at=now, message=message)
    session.commit()
    return finished is not None


def fail_job(session: Session, job_id: int, *, now: datetime, message: str) -> None:
    """Mark a job failed after an unexpected error, so the class may start a new one at once."""
    session.execute(update(CertificateJob).where(CertificateJob.id == job_id, CertificateJob.active_key == ACTIVE)
                    .values(state=JobState.FAILED, active_key=None, finished_at=now, message=message[:2000]))
    session.commit()


def enrolled_count(session: Session, class_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.class_id == class_id, Enrolment.status == EnrolmentStatus.ACTIVE)) or 0


def signing_of(app: Flask) -> Signing:
    return Signing(secret=app.config["SECRET_KEY"], base_url=app.config["PUBLIC_BASE_URL"])


def start_job(app: Flask, session: Session, lease: Lease, *, inline: bool) -> threading.Thread | None:
    """Run the job now within this request (small classes), or in a background thread (returned, for tests to
    join); the caller has committed."""
    if inline:
        write_intent.set(True)  # every transaction of the run writes: SQLite's write lock is taken at BEGIN
        _run_guarded(app, session, lease)
        return None
    thread = threading.Thread(target=_work, args=(app, lease), name=f"certificate-job-{lease.job_id}", daemon=True)
    thread.start()
    return thread


def _work(app: Flask, lease: Lease) -> None:
    with app.app_context():
        write_intent.set(True)  # this thread only writes: SQLite's write lock is taken at BEGIN
        _run_guarded(app, get_session(), lease)


def _run_guarded(app: Flask, session: Session, lease: Lease) -> None:
    try:
        run_job(session, lease, clock=utcnow, signing=signing_of(app))
    except Exception:
        log.exception("certificate job %s failed", lease.job_id)
        session.rollback()
        fail_job(session, lease.job_id, now=utcnow(), message=_("The issue stopped on an unexpected error."))


def job_percent(job: CertificateJob) -> int:
    return 100 if job.total == 0 and job.active_key is None else int(100 * job.done / job.total) if job.total else 0
