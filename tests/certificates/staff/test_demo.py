"""The demo's finished class: the test sat, certificates valid, revoked and superseded; created once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from lms.certificates.demo import CORRECTED, FINISHED_CLASS, FINISHED_TRAINEES, MISSPELT, REVOKED
from lms.certificates.models import Certificate, CertificateEvent, ClassCertificateSettings
from lms.quizzes.models import Attempt
from tests.factories import load_fixture_content


def _snapshot(session) -> dict:
    return {model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (Certificate, CertificateEvent, Attempt, ClassCertificateSettings)}


def test_the_finished_class_shows_every_status_and_a_second_setup_adds_nothing(app, db_session):
    load_fixture_content(db_session)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["lms", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert "hoanthanh01 … hoanthanh08" in first.stdout
    certificates = {c.holder_name: c for c in db_session.scalars(select(Certificate))}
    today = max(c.issued_on for c in certificates.values())
    statuses = Counter(c.status_on(today) for c in certificates.values())
    passed = sum(1 for _name, _born, passes in FINISHED_TRAINEES if passes)
    assert statuses == {"valid": passed - 1, "revoked": 1, "superseded": 1}
    assert certificates[REVOKED].revoked_reason and certificates[MISSPELT].superseded_by.holder_name == CORRECTED
    failed = [name for name, _born, passes in FINISHED_TRAINEES if not passes]
    assert not set(failed) & set(certificates)
    attempts = db_session.scalars(select(Attempt)).all()
    assert len(attempts) == len(FINISHED_TRAINEES) and sum(a.passed for a in attempts) == passed
    assert all(c.class_name == FINISHED_CLASS for c in certificates.values())
    before = _snapshot(db_session)

    second = runner.invoke(args=["lms", "seed-demo"])
    assert second.exit_code == 0 and "nothing changed" in second.stdout
    assert _snapshot(db_session) == before
