"""Download routes: "My certificates" for holders, single and class PDFs (and a ZIP) for staff."""

from __future__ import annotations

import io
import json

from flask import Blueprint, current_app, render_template, send_file
from flask_login import current_user

from lms.auth.models import Role
from lms.certificates import documents, ob3
from lms.certificates.downloads import access
from lms.certificates.records import local_date
from lms.certificates.settings.signing import signer_for
from lms.db import begin_writes, get_session, utcnow
from lms.errors import NotFound
from lms.security import login_required, roles_required

bp = Blueprint("certificate_downloads", __name__, template_folder="templates")
STAFF = (Role.ADMIN, Role.ORGANISER, Role.TRAINER)


def _base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"]


def _ready_to_store_hashes(session, certificates) -> None:
    """A first download stores the PDF's hash: take SQLite's write lock before rendering rather than upgrade
    a read transaction later (which can fail under load)."""
    if any(c.pdf_sha256 is None for c in certificates):
        begin_writes(session)


def _send(data: bytes, name: str, mimetype: str = "application/pdf"):
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name, etag=False,
                     conditional=False, max_age=0)


def _signer(session, body_id: int):
    """Signs with the body's PKCS#12 when it has one (PAdES, after rendering: the stored hash is of the unsigned
    rendering, which the signed file begins with); None leaves PDFs unsigned."""
    return signer_for(session, body_id, current_app.config["SECRET_KEY"])


def _single_pdf(session, certificate):
    _ready_to_store_hashes(session, [certificate])
    data = documents.certificate_pdf(session, certificate, base_url=_base_url())
    session.commit()
    sign = _signer(session, certificate.organising_body_id)
    if sign is not None:
        data = sign(data, reason=f"Giấy chứng nhận số {certificate.number}", location=certificate.issue_place)
    return _send(data, documents.file_name(certificate))


@bp.get("/my/certificates")
@login_required
def my_certificates():
    session = get_session()
    held = access.held_certificates(session, current_user, local_date(utcnow()))
    return render_template("certificates/my_certificates.html", held=held)


@bp.get("/my/certificates/<int:certificate_id>.pdf")
@login_required
def my_certificate_pdf(certificate_id: int):
    session = get_session()
    certificate = access.holder_certificate(session, current_user, certificate_id)
    if certificate.status_on(local_date(utcnow())) not in access.HOLDER_DOWNLOADABLE:
        raise NotFound()
    return _single_pdf(session, certificate)


@bp.get("/certificates/<int:certificate_id>.pdf")
@roles_required(*STAFF)
def certificate_pdf(certificate_id: int):
    session = get_session()
    return _single_pdf(session, access.staff_certificate(session, current_user, certificate_id))


@bp.get("/classes/<int:class_id>/certificates.pdf")
@roles_required(*STAFF)
def class_pdf(class_id: int):
    session = get_session()
    training_class, certificates = access.staff_class_certificates(session, current_user, class_id)
    if not certificates:
        raise NotFound()
    _ready_to_store_hashes(session, certificates)
    data = documents.class_pdf(session, certificates, base_url=_base_url())
    session.commit()
    sign = _signer(session, training_class.organising_body_id)
    if sign is not None:
        data = sign(data, reason=f"Giấy chứng nhận lớp {training_class.name}", location=certificates[0].issue_place)
    return _send(data, f"certificates-{training_class.code}.pdf")


@bp.get("/classes/<int:class_id>/certificates.zip")
@roles_required(*STAFF)
def class_zip(class_id: int):
    session = get_session()
    training_class, certificates = access.staff_class_certificates(session, current_user, class_id)
    if not certificates:
        raise NotFound()
    _ready_to_store_hashes(session, certificates)
    sign = _signer(session, training_class.organising_body_id)
    data = documents.class_zip(session, certificates, base_url=_base_url(), sign=sign and (
        lambda pdf, certificate: sign(pdf, reason=f"Giấy chứng nhận số {certificate.number}",
                                      location=certificate.issue_place)))
    session.commit()
    return _send(data, f"certificates-{training_class.code}.zip", "application/zip")


def _badge(session, certificate, fmt: str):
    base_url = documents.issued_base_url(session, certificate, _base_url())
    exported = ob3.export(session, certificate, base_url=base_url, secret=current_app.config["SECRET_KEY"],
                          now=utcnow())
    name = documents.file_name(certificate).removesuffix(".pdf")
    if fmt == "jwt":
        return _send(exported["jwt"].encode("ascii"), f"{name}.jwt", "application/jwt")
    data = json.dumps(exported, ensure_ascii=False, indent=2).encode("utf-8")
    return _send(data, f"{name}.json", "application/json")


@bp.get("/my/certificates/<int:certificate_id>/openbadge.<any(json, jwt):fmt>")
@login_required
def my_open_badge(certificate_id: int, fmt: str):
    """The holder's certificate as an Open Badges 3.0 credential (JSON with its VC-JWT, or the JWT alone)."""
    session = get_session()
    certificate = access.holder_certificate(session, current_user, certificate_id)
    if certificate.status_on(local_date(utcnow())) not in access.HOLDER_DOWNLOADABLE:
        raise NotFound()
    return _badge(session, certificate, fmt)


@bp.get("/certificates/<int:certificate_id>/openbadge.<any(json, jwt):fmt>")
@roles_required(*STAFF)
def open_badge(certificate_id: int, fmt: str):
    session = get_session()
    return _badge(session, access.staff_certificate(session, current_user, certificate_id), fmt)
