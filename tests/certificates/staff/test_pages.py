"""The class's certificates page (eligibility and why), its settings, single issue with a reason, revoke, re-issue."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.certificates.models import CertificateEvent, ClassCertificateSettings, IssueMode
from tests.certificates.staff.conftest import certificates_of, issue_to
from tests.conftest import login, post_form


def test_the_page_shows_each_trainee_eligible_or_not_and_why(client, sat):
    login(client, "gv.cc")  # the class's trainer reads it
    page = client.get(f"/classes/{sat.training_class.id}/certificates").get_data(as_text=True)
    assert "Nguyễn Thị Hương" in page and "Đặng Kim Lợi" in page and "Trần Văn Út Tám" in page
    assert "0 % &lt; 60 %" in page  # the failer: score below the pass mark
    assert "chưa làm bài" in page.lower() or "not yet sat" in page  # the absent one
    assert "issue-all" not in page and "/settings" not in page  # a trainer cannot issue or change settings


def test_settings_are_saved_and_audited(client, db_session, sat):
    login(client, "btc.cc")
    url = f"/classes/{sat.training_class.id}/certificates/settings"
    response = post_form(client, url, {"auto_issue": "y", "print_result": "y", "hours": "16", "valid_months": "36"})
    assert response.status_code == 302
    settings = db_session.get(ClassCertificateSettings, sat.training_class.id)
    assert (settings.auto_issue, settings.print_result, settings.hours, settings.valid_months) == (True, True, 16, 36)
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.class_settings"))
    bad = post_form(client, url, {"hours": "-3"})
    assert bad.status_code == 400 and db_session.get(ClassCertificateSettings, sat.training_class.id).hours == 16


def test_single_issue_needs_a_reason_and_a_confirmation(client, db_session, sat):
    login(client, "btc.cc")
    absent = sat.users["absent"]
    url = f"/classes/{sat.training_class.id}/certificates/issue/{absent.id}"
    form_page = client.get(url).get_data(as_text=True)
    assert "Trần Văn Út Tám" in form_page
    assert post_form(client, url, {"confirm": "y"}).status_code == 400  # no reason
    assert post_form(client, url, {"reason": "Miễn kiểm tra"}).status_code == 400  # not confirmed
    assert certificates_of(db_session, sat) == []
    response = post_form(client, url, {"reason": "Miễn kiểm tra theo Quyết định 12/QĐ", "confirm": "y"})
    assert response.status_code == 302
    [certificate] = certificates_of(db_session, sat)
    assert certificate.user_id == absent.id and certificate.issue_mode == IssueMode.SINGLE
    assert certificate.issue_reason == "Miễn kiểm tra theo Quyết định 12/QĐ"
    audit = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.issued"))
    assert audit.actor_id == sat.users["organiser"].id and audit.target_id == certificate.id
    # A second press gives no second certificate.
    post_form(client, url, {"reason": "lần nữa", "confirm": "y"})
    assert len(certificates_of(db_session, sat)) == 1


def test_an_unknown_or_unenrolled_trainee_is_not_found(client, sat):
    login(client, "btc.cc")
    far = sat.users["far_trainee"]
    assert client.get(f"/classes/{sat.training_class.id}/certificates/issue/{far.id}").status_code == 404


def test_revoke_needs_a_reason_and_records_who_when_why(client, app, db_session, sat):
    certificate = issue_to(app, db_session, sat, sat.passer)
    login(client, "btc.cc")
    url = f"/certificates/{certificate.id}/revoke"
    assert post_form(client, url, {"revoked_on": "05/11/2026", "confirm": "y"}).status_code == 400
    assert post_form(client, url, {"revoked_on": "31/02/2026", "reason": "Sai", "confirm": "y"}).status_code == 400
    response = post_form(client, url, {"revoked_on": "05/11/2026", "reason": "Gian lận khi thi", "confirm": "y"})
    assert response.status_code == 302
    db_session.refresh(certificate)
    assert certificate.revoked_on == date(2026, 11, 5) and certificate.revoked_reason == "Gian lận khi thi"
    assert certificate.current_key is None
    event = db_session.scalar(select(CertificateEvent).where(CertificateEvent.certificate_id == certificate.id,
                                                             CertificateEvent.action == "revoked"))
    assert event.actor_id == sat.users["organiser"].id and event.reason == "Gian lận khi thi"
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.revoked",
                                                      AuditEntry.target_id == certificate.id))
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "Gian lận khi thi" in page and "05/11/2026" in page
    again = post_form(client, url, {"revoked_on": "06/11/2026", "reason": "Lần hai", "confirm": "y"})
    assert again.status_code == 400  # already revoked: the message, never a 500


def test_reissue_corrects_the_name_and_supersedes_the_old_one(client, app, db_session, sat):
    certificate = issue_to(app, db_session, sat, sat.passer)
    login(client, "btc.cc")
    url = f"/certificates/{certificate.id}/reissue"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Nguyễn Thị Hương"' in page
    assert post_form(client, url, {"holder_name": "Nguyễn Thị Hường", "confirm": "y"}).status_code == 400
    response = post_form(client, url, {"holder_name": "Nguyễn Thị Hường", "holder_birth_date": "17/04/1985",
                                       "holder_unit": "UBND xã Tân Phước", "reason": "Sai chính tả họ tên",
                                       "confirm": "y"})
    assert response.status_code == 302
    old, new = certificates_of(db_session, sat)
    db_session.refresh(old)
    assert old.superseded_by_id == new.id and new.holder_name == "Nguyễn Thị Hường"
    assert new.holder_birth_date == date(1985, 4, 17) and new.issue_mode == IssueMode.REISSUE
    old_page = client.get(f"/certificates/{old.id}").get_data(as_text=True)
    assert new.number in old_page
