"""Issuing freezes the facts and signs them; idempotent; revoke and re-issue; all or nothing on errors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.certificates.keys import public_jwks, verify_signature
from lms.certificates.models import (
    BodyCertificateSettings,
    Certificate,
    CertificateCounter,
    CertificateEvent,
    ClassCertificateSettings,
    IssueMode,
)
from lms.certificates.payload import certificate_message, parse_qr_text, qr_text
from lms.certificates.records import reissue_certificate, revoke_certificate
from lms.errors import RuleViolation
from tests.certificates.conftest import BASE_URL, NOW, SECRET, issue


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def test_issue_freezes_facts_and_signs(db_session, finished):
    db_session.add(BodyCertificateSettings(organising_body_id=finished.body.id, org_code="STG",
                                           issue_place="Tiền Giang", signer_title="Giám đốc",
                                           signer_name="Lê Văn Bình"))
    db_session.add(ClassCertificateSettings(class_id=finished.training_class.id, print_result=True, hours=16,
                                            valid_months=24))
    db_session.flush()
    certificate = issue(db_session, finished)
    assert certificate.number == "STG-2026-00001" and certificate.register_no == "1/2026"
    assert certificate.holder_name == "Nguyễn Thị Hương" and certificate.holder_birth_date == date(1985, 4, 17)
    assert certificate.holder_unit == "UBND xã Tân Phước" and certificate.hours == 16
    assert certificate.result_text == "24/30 (80 %)" and certificate.issue_place == "Tiền Giang"
    assert certificate.body_name == "Sở Khoa học và Công nghệ tỉnh Tiền Giang"
    assert certificate.issued_on == date(2026, 11, 2) and certificate.expires_on == date(2028, 11, 1)
    assert len(certificate.verification_code) == 32 and certificate.current_key.endswith(f":{finished.passed.id}")
    assert verify_signature(public_jwks(db_session), certificate.key_id, certificate_message(certificate),
                            certificate.signature)
    parsed = parse_qr_text(qr_text(certificate, BASE_URL))
    assert parsed.fields.holder_name == "Nguyễn Thị Hương" and parsed.fields.birth_year == 1985
    assert db_session.scalar(select(CertificateEvent.action).where(CertificateEvent.certificate_id == certificate.id)) \
        == "issued"
    audit = db_session.scalar(select(AuditEntry).where(AuditEntry.target_id == certificate.id))
    assert audit.action == "certificate.issued" and audit.actor_id == finished.organiser.id

    finished.passed.full_name = "Nguyễn Thị Hường"
    db_session.flush()
    db_session.expire_all()
    assert db_session.get(Certificate, certificate.id).holder_name == "Nguyễn Thị Hương"


def test_issue_is_idempotent(db_session, finished):
    first = issue(db_session, finished)
    assert issue(db_session, finished, now=NOW + timedelta(days=1)).id == first.id
    assert count(db_session, Certificate) == 1 and count(db_session, CertificateEvent) == 1


def test_not_eligible_refused_without_writing_anything(db_session, finished):
    with pytest.raises(RuleViolation) as caught:
        issue(db_session, finished, finished.failed)
    assert "62 % < 70 %" in caught.value.message
    with pytest.raises(RuleViolation):
        issue(db_session, finished, finished.absent, mode=IssueMode.SINGLE)
    assert count(db_session, Certificate) == 0 and count(db_session, CertificateCounter) == 0
    exempt = issue(db_session, finished, finished.absent, mode=IssueMode.SINGLE, reason="Miễn thi theo quyết định 12")
    assert exempt.issue_reason == "Miễn thi theo quyết định 12" and exempt.sequence == 1


def test_a_trainee_of_another_class_is_refused(db_session, finished):
    from tests.factories import make_user

    stranger = make_user(db_session, body=finished.body)
    with pytest.raises(RuleViolation):
        issue(db_session, finished, stranger, mode=IssueMode.SINGLE, reason="x")


def test_revoke_then_a_new_issue_is_possible(db_session, finished):
    certificate = issue(db_session, finished)
    revoke_certificate(db_session, certificate, actor_id=finished.organiser.id, reason="Gian lận khi thi",
                       revoked_on=date(2026, 11, 5), now=NOW + timedelta(days=3))
    assert certificate.status_on(date(2026, 11, 6)).value == "revoked" and certificate.current_key is None
    with pytest.raises(RuleViolation):
        revoke_certificate(db_session, certificate, actor_id=None, reason="again", revoked_on=date(2026, 11, 5),
                           now=NOW)
    with pytest.raises(RuleViolation):
        reissue_certificate(db_session, certificate, actor_id=None, reason="x", corrections={}, now=NOW,
                            secret=SECRET, base_url=BASE_URL)
    again = issue(db_session, finished, now=NOW + timedelta(days=4))
    assert again.id != certificate.id and again.sequence == 2


def test_revoke_needs_a_reason(db_session, finished):
    certificate = issue(db_session, finished)
    with pytest.raises(RuleViolation):
        revoke_certificate(db_session, certificate, actor_id=None, reason="  ", revoked_on=date(2026, 11, 5), now=NOW)
    assert certificate.revoked_at is None


def test_reissue_supersedes_with_corrections(db_session, finished):
    old = issue(db_session, finished)
    new = reissue_certificate(db_session, old, actor_id=finished.organiser.id, reason="Sửa tên viết sai",
                              corrections={"holder_name": "Nguyễn Thị Hường", "hours": "24"},
                              now=NOW + timedelta(days=2), secret=SECRET, base_url=BASE_URL)
    assert old.superseded_by_id == new.id and old.current_key is None and new.current_key is not None
    assert new.holder_name == "Nguyễn Thị Hường" and new.hours == 24 and new.number != old.number
    assert new.holder_unit == old.holder_unit and new.issued_on == date(2026, 11, 4)
    assert old.status_on(date(2026, 11, 6)).value == "superseded"
    assert issue(db_session, finished).id == new.id
    actions = db_session.scalars(select(CertificateEvent.action).order_by(CertificateEvent.id)).all()
    assert actions == ["issued", "reissued", "superseded"]


@pytest.mark.parametrize("corrections", [{"holder_name": ""}, {"hours": "-3"}, {"number": "X"},
                                         {"holder_birth_date": "17/04/1985"}])
def test_bad_corrections_change_nothing(db_session, finished, corrections):
    old = issue(db_session, finished)
    with pytest.raises(RuleViolation):
        reissue_certificate(db_session, old, actor_id=None, reason="x", corrections=corrections, now=NOW,
                            secret=SECRET, base_url=BASE_URL)
    assert old.current_key is not None and count(db_session, Certificate) == 1


def test_a_lost_race_returns_the_winner_and_takes_its_number_back(db_session, finished, monkeypatch):
    """The second of two simultaneous presses passes the idempotency check before the first commits: its insert
    fails on current_key inside its SAVEPOINT, the counter increment goes back with it, and it returns the winner."""
    from lms.certificates import records

    winner = issue(db_session, finished)
    real, calls = records.current_certificate, []

    def blind_first(db, class_id, user_id):
        calls.append(1)
        return None if len(calls) == 1 else real(db, class_id, user_id)

    monkeypatch.setattr(records, "current_certificate", blind_first)
    assert issue(db_session, finished).id == winner.id
    assert len(calls) == 2 and count(db_session, Certificate) == 1
    assert db_session.scalar(select(CertificateCounter.last_value)) == 1


def test_a_number_already_used_is_a_conflict_and_changes_nothing(db_session, finished):
    from lms.errors import Conflict

    db_session.add(BodyCertificateSettings(organising_body_id=finished.body.id, org_code="X",
                                           number_pattern="{ORG}-{SEQ}"))
    db_session.flush()
    first = issue(db_session, finished)
    assert first.number == "X-1"
    db_session.execute(CertificateCounter.__table__.update().values(last_value=0))  # e.g. a restored old backup
    with pytest.raises(Conflict):
        issue(db_session, finished, finished.absent, mode=IssueMode.SINGLE, reason="Miễn thi")
    assert count(db_session, Certificate) == 1 and db_session.scalar(select(CertificateCounter.last_value)) == 0
