"""Automatic issue: a trainee whose graded attempt makes them eligible gets the certificate in that transaction.

Registered at app start as a quizzes hook (quizzes never import certificates). Issuing runs in a savepoint: if
it fails, the savepoint is rolled back, the error is logged and the trainee's submit (or the sweep) goes on;
the organiser's bulk action picks the trainee up later.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from lms.certificates.eligibility import trainee_eligibility
from lms.certificates.models import ClassCertificateSettings, IssueMode
from lms.certificates.records import issue_certificate
from lms.certificates.staff.jobs import had_certificate
from lms.classes.models import TrainingClass
from lms.quizzes.models import Attempt, QuizOpening
from lms.quizzes.signals import on_attempts_graded

log = logging.getLogger(__name__)


def init_automatic_issue(app: Flask) -> None:
    """Listen to graded attempts (the hook is process-wide; registering twice keeps one handler)."""
    on_attempts_graded(issue_on_grading)


def issue_on_grading(session: Session, attempts: list[Attempt], now: datetime) -> None:
    """For each passed attempt in a class with automatic issue, issue if the trainee is now eligible."""
    if not has_app_context():
        return
    for attempt in attempts:
        if attempt.passed:
            issue_if_eligible(session, attempt, now=now)


def issue_if_eligible(session: Session, attempt: Attempt, *, now: datetime) -> bool:
    """True when a certificate was issued (or already held); never raises."""
    try:
        opening = session.get(QuizOpening, attempt.opening_id)
        settings = session.get(ClassCertificateSettings, opening.class_id) if opening else None
        if settings is None or not settings.auto_issue:
            return False
        if had_certificate(session, opening.class_id, attempt.user_id):
            return False  # holds one already, or it was revoked: passing a re-sit does not undo a revocation
        with session.begin_nested():
            training_class = session.get(TrainingClass, opening.class_id)
            verdict = trainee_eligibility(session, training_class, attempt.user, now)
            if not verdict.eligible:
                return False
            issue_certificate(session, training_class=training_class, trainee=attempt.user, actor_id=None,
                              mode=IssueMode.AUTOMATIC, now=now, secret=current_app.config["SECRET_KEY"],
                              base_url=current_app.config["PUBLIC_BASE_URL"])
        return True
    except Exception:
        log.exception("automatic certificate for attempt %s failed; the bulk issue will pick it up", attempt.id)
        return False
