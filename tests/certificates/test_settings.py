"""The body's certificate settings page: who may use it, validation messages, images, audit, preview, PKCS#12."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import Role
from lms.certificates.models import BodyCertificateSettings, CertificateImage, IssueMode
from lms.certificates.records import issue_certificate
from lms.classes.services import enrol
from tests.certificates.conftest import BASE_URL, NOW, SECRET
from tests.certificates.pdftools import pdf_text
from tests.certificates.samples import png
from tests.certificates.signing_certificate import make_pkcs12
from tests.conftest import fetch_csrf, login
from tests.factories import load_fixture_content, make_body, make_class, make_user

ROLES = ["anonymous", "admin", "organiser", "trainer", "trainee", "other_organiser", "far_trainer", "far_trainee"]
MANAGERS = {"admin", "organiser"}
VALID = {"number_pattern": "{ORG}-{YYYY}-{SEQ:05}", "register_pattern": "{SEQ}/{YYYY}", "org_code": "STTG",
         "issue_place": "Tiền Giang", "signer_title": "KT. Giám đốc | Phó Giám đốc", "signer_name": "Đặng Kim Lợi",
         "primary_colour": "#7a1f1f"}


def _people(db_session, body):
    other_body = make_body(db_session, "Trung tâm Đào tạo QTC")
    return {"admin": make_user(db_session, Role.ADMIN), "organiser": make_user(db_session, Role.ORGANISER, body=body),
            "trainer": make_user(db_session, Role.TRAINER, body=body),
            "trainee": make_user(db_session, Role.TRAINEE, body=body),
            "other_organiser": make_user(db_session, Role.ORGANISER, body=other_body),
            "far_trainer": make_user(db_session, Role.TRAINER, body=other_body),
            "far_trainee": make_user(db_session, Role.TRAINEE, body=other_body)}


@pytest.fixture
def world(db_session):
    """Bodies and people only: `finished` keeps an app context open, which would make the requests of a test
    share one database session, so tests that expect a refused (uncommitted) form do not use it."""
    body = make_body(db_session, "Sở Khoa học và Công nghệ tỉnh Tiền Giang")
    users = _people(db_session, body)
    db_session.commit()
    return {"users": users, "body": body, "base": f"/bodies/{body.id}"}


@pytest.fixture
def issued_world(app, db_session):
    """A body with an issued certificate, built inside an app context that is closed again before the requests
    (the `finished` fixture keeps its context open, so all requests of a test would share one session)."""
    with app.test_request_context():
        body = make_body(db_session, "Sở Khoa học và Công nghệ tỉnh Tiền Giang")
        users = _people(db_session, body)
        holder = make_user(db_session, Role.TRAINEE, body=body, full_name="Nguyễn Thị Hương")
        course = load_fixture_content(db_session)
        training_class = make_class(db_session, body=body, course=course, trainers=[users["trainer"]],
                                    trainees=[holder])
        certificate = issue_certificate(db_session, training_class=training_class, trainee=holder,
                                        actor_id=users["organiser"].id, mode=IssueMode.SINGLE, reason="Miễn kiểm tra",
                                        now=NOW, secret=SECRET, base_url=BASE_URL)
        db_session.commit()
    return {"users": users, "body": body, "base": f"/bodies/{body.id}", "certificate": certificate,
            "training_class": training_class, "holder": holder}


def _as(client, world, role):
    if role != "anonymous":
        login(client, world["users"][role].username)
    return client


def _post(client, path, data=None, files=None):
    payload = {"csrf_token": fetch_csrf(client), **(data or {}), **(files or {})}
    return client.post(path, data=payload, content_type="multipart/form-data")


def _routes(world):
    p12, _certificate = make_pkcs12()
    return [
        ("GET", "/certificate-settings", None),
        ("GET", "/certificate-settings/preview.pdf", None),
        ("POST", "/certificate-settings", dict(VALID)),
        ("POST", "/certificate-settings/signing-certificate",
         {"password": "mat-khau-p12", "pkcs12": (io.BytesIO(p12), "body.p12")}),
        ("POST", "/certificate-settings/signing-certificate/remove", None),
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(5))
def test_role_matrix(client, world, role: str, index: int) -> None:
    method, suffix, data = _routes(world)[index]
    _as(client, world, role)
    path = world["base"] + suffix
    response = client.get(path) if method == "GET" else _post(client, path, data)
    if role == "anonymous":
        assert response.status_code in (302, 400)  # the login page, or the CSRF refusal of a session-less POST
    elif role in MANAGERS:
        assert response.status_code in (200, 302, 422)  # 422: nothing to remove yet
    elif role == "other_organiser":
        assert response.status_code == 404
    else:
        assert response.status_code == 403


def test_saving_stores_normalised_images_and_records_an_audit_entry(client, issued_world, db_session) -> None:
    world = issued_world
    _as(client, world, "organiser")
    response = _post(client, world["base"] + "/certificate-settings", VALID,
                     {"seal": (io.BytesIO(png("seal", (1200, 1200))), "seal.png")})
    assert response.status_code == 302
    settings = db_session.get(BodyCertificateSettings, world["body"].id)
    assert settings.signer_name == "Đặng Kim Lợi" and settings.primary_colour == "#7a1f1f"
    image = db_session.get(CertificateImage, settings.seal_sha256)
    stored = Image.open(io.BytesIO(image.data))
    assert image.media_type == "image/jpeg" and stored.format == "JPEG" and max(stored.size) <= 420
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate_settings.updated"))
    assert entry.organising_body_id == world["body"].id and entry.after["seal_sha256"] == settings.seal_sha256
    with db_session.info["app"].test_request_context():
        newcomer = make_user(db_session, Role.TRAINEE, body=world["body"])
        enrol(db_session, world["users"]["organiser"], world["training_class"], [newcomer.id])
        certificate = issue_certificate(db_session, training_class=world["training_class"], trainee=newcomer,
                                        actor_id=world["users"]["organiser"].id, mode=IssueMode.SINGLE, reason="Miễn",
                                        now=NOW, secret=SECRET, base_url=BASE_URL)
    assert certificate.seal_sha256 == settings.seal_sha256 and certificate.signer_title == VALID["signer_title"]


def _gif() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (100, 100), "red").save(output, "GIF")
    return output.getvalue()


@pytest.mark.parametrize(("changes", "files", "message"), [
    ({"number_pattern": "{ORG}-{YYYY}"}, {}, "{SEQ}"),
    ({"primary_colour": "blue"}, {}, "sáu chữ số hệ mười sáu"),
    ({"org_code": "SỞ KH"}, {}, "Mã đơn vị gồm"),
    ({}, {"logo": (io.BytesIO(_gif()), "logo.gif")}, "Biểu trưng (logo): Chỉ nhận ảnh PNG hoặc JPEG"),
    ({}, {"seal": (io.BytesIO(b"not an image"), "seal.png")}, "Con dấu: Tệp không phải là ảnh PNG hoặc JPEG đọc được"),
    ({}, {"signature": (io.BytesIO(png("signature", (20, 20))), "s.png")}, "nhỏ hơn 32 điểm ảnh"),
    ({}, {"logo": (io.BytesIO(b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 10)), "big.png")}, "lớn hơn 2 MB"),
])
def test_bad_input_gets_a_clear_message_in_vietnamese_and_saves_nothing(client, world, db_session, changes, files, message) -> None:
    _as(client, world, "organiser")
    response = _post(client, world["base"] + "/certificate-settings", {**VALID, **changes}, files)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db_session.get(BodyCertificateSettings, world["body"].id) is None


def test_preview_is_a_marked_sample_with_the_settings(client, world) -> None:
    _as(client, world, "organiser")
    _post(client, world["base"] + "/certificate-settings", VALID)
    response = client.get(world["base"] + "/certificate-settings/preview.pdf")
    text = pdf_text(response.data)[0]
    assert response.mimetype == "application/pdf" and "BẢN XEM THỬ" in text
    assert "STTG-" in text and "PHÓ GIÁM ĐỐC" in text and "Đặng Kim Lợi" in text


def test_a_wrong_pkcs12_password_is_refused(client, world, db_session) -> None:
    _as(client, world, "organiser")
    wrong = _post(client, world["base"] + "/certificate-settings/signing-certificate",
                  {"password": "sai"}, {"pkcs12": (io.BytesIO(make_pkcs12()[0]), "body.p12")})
    assert wrong.status_code == 400 and "mật khẩu không đúng" in wrong.get_data(as_text=True)
    assert db_session.get(BodyCertificateSettings, world["body"].id) is None


def test_pkcs12_upload_shows_the_subject_signs_downloads_and_can_be_removed(client, issued_world, db_session) -> None:
    world, certificate = issued_world, issued_world["certificate"]
    p12, _certificate = make_pkcs12()
    _as(client, world, "organiser")
    _post(client, world["base"] + "/certificate-settings/signing-certificate",
          {"password": "mat-khau-p12"}, {"pkcs12": (io.BytesIO(p12), "body.p12")})
    page = client.get(world["base"] + "/certificate-settings").get_data(as_text=True)
    assert "CN=Sở Khoa học và Công nghệ tỉnh Tiền Giang" in page and "01/01/2026" in page
    settings = db_session.get(BodyCertificateSettings, world["body"].id)
    assert settings.pkcs12_encrypted and b"mat-khau-p12" not in settings.pkcs12_encrypted
    signed = client.get(f"/certificates/{certificate.id}.pdf").data
    assert PdfReader(io.BytesIO(signed)).get_fields()["Signature1"]["/FT"] == "/Sig"
    _post(client, world["base"] + "/certificate-settings/signing-certificate/remove")
    unsigned = client.get(f"/certificates/{certificate.id}.pdf").data
    assert signed.startswith(unsigned) and len(signed) > len(unsigned)
    actions = set(db_session.scalars(select(AuditEntry.action)))
    assert {"certificate_settings.signing_certificate_uploaded",
            "certificate_settings.signing_certificate_removed"} <= actions
