"""The public verify page, its JSON and the number+name form: statuses, signature, minimal data, log, rate limit."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

from limits import parse
from sqlalchemy import select

from lms.certificates.keys import rotate_key, verify_signature
from lms.certificates.models import CertificateCheck
from lms.certificates.payload import certificate_message, qr_text
from lms.certificates.records import reissue_certificate, revoke_certificate
from lms.certificates.verification import check_counts
from tests.certificates.conftest import BASE_URL, NOW, SECRET, issue
from tests.conftest import csrf_token_from


def scanned_path(certificate) -> str:
    parts = urlsplit(qr_text(certificate, BASE_URL))
    return f"{parts.path}?{parts.query}"


def status_of(response) -> str:
    return re.search(r'data-status="([a-z_]+)"', response.get_data(as_text=True)).group(1)


def test_valid_page_and_json(client, db_session, finished):
    certificate = issue(db_session, finished)
    db_session.commit()
    response = client.get(scanned_path(certificate))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and status_of(response) == "valid"
    assert response.headers["Cache-Control"] == "no-store" and "noindex" in response.headers["X-Robots-Tag"]
    assert len(response.data) < 30_000
    for shown in ("Nguyễn Thị Hương", "1985", "UBND xã Tân Phước", certificate.course_title, certificate.number,
                  "Sở Khoa học và Công nghệ tỉnh Tiền Giang", "02/11/2026", "sig-ok", "HỢP LỆ",
                  '<span class="other" lang="en">VALID</span>', "Năm sinh"):
        assert shown in html
    assert "17/04/1985" not in html and "1985-04-17" not in html and "24/30" not in html
    body = client.get(f"/verify/{certificate.verification_code}.json?" + urlsplit(scanned_path(certificate)).query).json
    assert body["status"] == "valid" and body["signature"] == "matches"
    assert body["certificate"]["birth_year"] == 1985 and "1985-04-17" not in str(body)
    assert set(body["certificate"]) == {"number", "holder_name", "birth_year", "work_unit", "course_title",
                                        "class_starts_on", "class_ends_on", "hours", "issuing_body", "issued_on",
                                        "expires_on", "verify_url"}
    assert client.get(f"/verify/{certificate.verification_code}.json").json["signature"] == "absent"


def test_a_tampered_signature_or_data_is_flagged(client, db_session, finished):
    certificate = issue(db_session, finished)
    db_session.commit()
    path = scanned_path(certificate)
    signature = certificate.signature
    forged = path.replace(signature, ("A" if signature[0] != "A" else "B") + signature[1:])
    assert "sig-bad" in client.get(forged).get_data(as_text=True)
    other_data = re.sub(r"&d=[^&]+", "&d=" + "QUJD", path)
    assert "sig-bad" in client.get(other_data).get_data(as_text=True)
    code = certificate.verification_code
    assert client.get(f"/verify/{code}.json?k=x&s=y").json["signature"] == "mismatch"
    assert client.get(other_data.replace(code, code + ".json")).json["signature"] == "mismatch"


def test_revoked_then_superseded(client, db_session, finished):
    certificate = issue(db_session, finished)
    revoke_certificate(db_session, certificate, actor_id=None, reason="Gian lận khi thi", revoked_on=date(2026, 11, 5),
                       now=NOW + timedelta(days=3))
    db_session.commit()
    response = client.get(f"/verify/{certificate.verification_code}")
    assert status_of(response) == "revoked"
    assert "05/11/2026" in response.get_data(as_text=True) and "Gian lận khi thi" in response.get_data(as_text=True)
    body = client.get(f"/verify/{certificate.verification_code}.json").json
    assert body["status"] == "revoked" and body["revoked"] == {"on": "2026-11-05", "reason": "Gian lận khi thi"}

    second = issue(db_session, finished, now=NOW + timedelta(days=4))
    third = reissue_certificate(db_session, second, actor_id=None, reason="Sửa tên",
                                corrections={"holder_name": "Nguyễn Thị Hường"}, now=NOW + timedelta(days=5),
                                secret=SECRET, base_url=BASE_URL)
    db_session.commit()
    response = client.get(f"/verify/{second.verification_code}")
    assert status_of(response) == "superseded"
    assert f"/verify/{third.verification_code}" in response.get_data(as_text=True)
    body = client.get(f"/verify/{second.verification_code}.json").json
    assert body["status"] == "superseded" and body["superseded_by"]["number"] == third.number
    assert client.get(f"/verify/{third.verification_code}.json").json["status"] == "valid"


def test_expired_and_not_found(client, db_session, finished):
    certificate = issue(db_session, finished)
    certificate.expires_on = date(2020, 1, 1)
    db_session.commit()
    assert client.get(f"/verify/{certificate.verification_code}.json").json["status"] == "expired"
    response = client.get("/verify/NoSuchCodeNoSuchCodeNoSuchCode12")
    assert response.status_code == 404 and status_of(response) == "not_found"
    assert client.get("/verify/x.json").json == {"status": "not_found", "signature": "absent", "certificate": None}
    assert client.get("/verify/" + "a" * 500 + ".json").json["status"] == "not_found"


def test_form_by_number_and_name_ignores_accents_and_case(client, db_session, finished):
    certificate = issue(db_session, finished)
    db_session.commit()
    page = client.get("/verify")
    assert page.status_code == 200
    token = csrf_token_from(page.get_data(as_text=True))
    found = client.post("/verify", data={"csrf_token": token, "number": certificate.number.lower(),
                                         "holder_name": "  NGUYEN thi  huong "})
    assert found.status_code == 200 and status_of(found) == "valid"
    missing = client.post("/verify", data={"csrf_token": token, "number": certificate.number,
                                           "holder_name": "Nguyễn Thị Hồng"})
    assert missing.status_code == 404 and status_of(missing) == "not_found"
    empty = client.post("/verify", data={"csrf_token": token, "number": "", "holder_name": ""})
    assert empty.status_code == 400 and 'aria-invalid="true"' in empty.get_data(as_text=True)


def test_checks_are_logged_with_a_hashed_address(client, db_session, finished):
    certificate = issue(db_session, finished)
    db_session.commit()
    client.get(f"/verify/{certificate.verification_code}", headers={"User-Agent": "Zalo " + "x" * 400})
    client.get(f"/verify/{certificate.verification_code}.json")
    client.get("/verify/unknownunknownunknown")
    checks = db_session.scalars(select(CertificateCheck).order_by(CertificateCheck.id)).all()
    assert [(c.channel, c.result) for c in checks] == [("page", "valid"), ("json", "valid"), ("page", "not_found")]
    assert len(checks[0].user_agent) == 255 and checks[0].address_hash != "127.0.0.1"
    assert len(checks[0].address_hash) == 64 and checks[0].address_hash == checks[1].address_hash
    assert check_counts(db_session, [certificate.id]) == {certificate.id: 2}


def test_rate_limit_gives_a_friendly_429(app, client, db_session, finished):
    limiter = app.extensions["certificate_verify_limiter"]
    saved, limiter.item = limiter.item, parse("3/minute")
    try:
        for _ in range(3):
            assert client.get("/verify/unknownunknownunknown").status_code == 404
        busy = client.get("/verify/unknownunknownunknown")
        assert busy.status_code == 429 and int(busy.headers["Retry-After"]) > 0
        html = busy.get_data(as_text=True)
        assert re.search(r"verify(\.[0-9a-f]+)?\.css", html) and str(busy.headers["Retry-After"]) in html  # our page, saying how long
        assert client.get("/verify/x.json").status_code == 429 and client.get("/verify/x.json").is_json
        other = client.get("/verify/unknownunknownunknown", environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other.status_code == 404
        assert client.get("/.well-known/lms-certificate-keys.json").status_code == 200  # never limited
    finally:
        limiter.item = saved


def test_jwks_after_rotation_lists_both_keys_and_old_certificates_verify(client, db_session, finished):
    old = issue(db_session, finished)
    rotate_key(db_session, SECRET, NOW + timedelta(days=1))
    new = issue(db_session, finished, finished.failed, mode="single", reason="Miễn thi", now=NOW + timedelta(days=2))
    db_session.commit()
    response = client.get("/.well-known/lms-certificate-keys.json")
    assert response.headers["Cache-Control"].startswith("public")
    jwks = response.json
    assert [key["kid"] for key in jwks["keys"]] == [new.key_id, old.key_id] and new.key_id != old.key_id
    for certificate in (old, new):
        assert verify_signature(jwks, certificate.key_id, certificate_message(certificate), certificate.signature)
    assert "sig-ok" in client.get(scanned_path(old)).get_data(as_text=True)


def test_the_page_sets_no_cookie_and_switches_language_by_a_plain_link(client, db_session, finished):
    from html import unescape

    from flask_babel import refresh

    get = client.get

    def fresh_get(path):  # the fixture's app context is shared by the test's requests: forget its cached locale
        refresh()
        return get(path)

    client.get = fresh_get
    certificate = issue(db_session, finished)
    db_session.commit()
    response = client.get(scanned_path(certificate))
    assert "Set-Cookie" not in response.headers and "csrf_token" not in response.get_data(as_text=True)
    link = unescape(re.search(r'class="lang-switch" href="([^"]+)"', response.get_data(as_text=True)).group(1))
    assert link.startswith(f"/verify/{certificate.verification_code}?") and "lang=en" in link
    english = client.get(link)
    html = english.get_data(as_text=True)
    assert status_of(english) == "valid" and "Year of birth" in html and '<html lang="en">' in html
    assert "sig-ok" in html  # k, s and d were kept: the signature is still checked
    back = unescape(re.search(r'class="lang-switch" href="([^"]+)"', html).group(1))
    assert "lang=vi" in back and "Năm sinh" in client.get(back).get_data(as_text=True)
    assert 'action="/verify?lang=en"' in client.get("/verify?lang=en").get_data(as_text=True)
    assert "Set-Cookie" not in english.headers
