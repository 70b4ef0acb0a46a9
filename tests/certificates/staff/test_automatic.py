"""Automatic issue when a graded attempt makes a trainee eligible; never on a failed attempt; never failing a submit."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from lms.certificates.models import ClassCertificateSettings, IssueMode
from lms.certificates.staff import automatic
from lms.db import utcnow
from lms.quizzes.models import Attempt, AttemptState
from lms.quizzes.results.regrade import regrade_quiz
from lms.quizzes.taking.attempts import sweep_overdue
from tests.certificates.staff.conftest import certificates_of, sit

QUIZZES = Path(__file__).resolve().parents[3] / "lms" / "quizzes"


def _auto(db_session, cert_class, on: bool = True) -> None:
    db_session.add(ClassCertificateSettings(class_id=cert_class.training_class.id, auto_issue=on))
    db_session.commit()


def test_a_passed_submit_issues_at_once_and_a_failed_one_does_not(app, db_session, cert_class):
    _auto(db_session, cert_class)
    sit(app, db_session, cert_class.quiz, cert_class.users["failer"], right=False)
    assert certificates_of(db_session, cert_class) == []
    sit(app, db_session, cert_class.quiz, cert_class.passer, right=True)
    [certificate] = certificates_of(db_session, cert_class)
    assert certificate.user_id == cert_class.passer.id and certificate.issue_mode == IssueMode.AUTOMATIC
    assert certificate.issued_by_id is None


def test_without_the_setting_nothing_is_issued(app, db_session, cert_class):
    _auto(db_session, cert_class, on=False)
    sit(app, db_session, cert_class.quiz, cert_class.passer, right=True)
    assert certificates_of(db_session, cert_class) == []


def test_a_failing_issue_never_fails_the_submit(app, db_session, cert_class, monkeypatch, caplog):
    _auto(db_session, cert_class)

    def broken(*args, **kwargs):
        raise RuntimeError("signing key unreadable")

    monkeypatch.setattr(automatic, "issue_certificate", broken)
    attempt = sit(app, db_session, cert_class.quiz, cert_class.passer, right=True)
    db_session.expire_all()
    stored = db_session.get(Attempt, attempt.id)
    assert stored.state == AttemptState.CLOSED and stored.passed
    assert certificates_of(db_session, cert_class) == []
    assert "bulk issue will pick it up" in caplog.text


def test_a_regrade_that_makes_a_trainee_pass_issues(app, db_session, cert_class):
    attempt = sit(app, db_session, cert_class.quiz, cert_class.passer, right=True)
    # As if the key had been wrong when it was graded: the stored grade says failed.
    attempt.passed, attempt.percent, attempt.score = False, 0.0, 0.0
    db_session.commit()
    _auto(db_session, cert_class)
    with app.test_request_context():
        regrade_quiz(db_session, cert_class.quiz, dry_run=True)
        assert certificates_of(db_session, cert_class) == []  # a dry run issues nothing
        regrade_quiz(db_session, cert_class.quiz, dry_run=False)
    db_session.commit()
    assert [c.user_id for c in certificates_of(db_session, cert_class)] == [cert_class.passer.id]


def test_the_quizzes_package_never_imports_certificates():
    offenders = []
    for path in QUIZZES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("lms.certificates")]
    assert offenders == []


def test_an_attempt_closed_by_the_sweep_issues_too(app, db_session, cert_class):
    _auto(db_session, cert_class)
    attempt = sit(app, db_session, cert_class.quiz, cert_class.passer, right=True, submit=False)
    assert certificates_of(db_session, cert_class) == []  # answered, never submitted: the page was closed
    with app.test_request_context():
        assert sweep_overdue(db_session, now=utcnow() + timedelta(hours=3), grace_seconds=10) == 1
    db_session.commit()
    assert db_session.scalar(select(Attempt.state).where(Attempt.id == attempt.id)) == AttemptState.CLOSED
    assert [c.user_id for c in certificates_of(db_session, cert_class)] == [cert_class.passer.id]


def test_passing_a_re_sit_does_not_undo_a_revocation(app, db_session, cert_class):
    from datetime import date

    from lms.certificates.records import revoke_certificate

    _auto(db_session, cert_class)
    sit(app, db_session, cert_class.quiz, cert_class.passer, right=True)
    [certificate] = certificates_of(db_session, cert_class)
    with app.test_request_context():
        revoke_certificate(db_session, certificate, actor_id=None, reason="Gian lận", revoked_on=date(2030, 1, 1),
                           now=utcnow())
    db_session.commit()
    sit(app, db_session, cert_class.quiz, cert_class.passer, right=True)  # the test allows a second attempt
    assert certificates_of(db_session, cert_class) == [certificate]
