"""The body's certificate settings page for its organiser (and admins), its preview PDF and signing certificate."""

from __future__ import annotations

import io

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.models import Role
from lms.certificates.images import MAX_UPLOAD_BYTES
from lms.certificates.pades import MAX_PKCS12_BYTES
from lms.certificates.records import local_date
from lms.certificates.settings import services, signing
from lms.certificates.settings.forms import CertificateSettingsForm, SigningCertificateForm
from lms.db import get_session, utcnow
from lms.errors import RuleViolation
from lms.security import roles_required

bp = Blueprint("certificate_settings", __name__, template_folder="templates")
MANAGERS = (Role.ADMIN, Role.ORGANISER)


def _uploads(limit: int, names) -> dict[str, bytes]:
    """The chosen files' bytes (read at most one byte past the limit, so a too-large file is refused, not read)."""
    found = {}
    for name in names:
        upload = request.files.get(name)
        if upload is not None and upload.filename:
            found[name] = upload.stream.read(limit + 1)
    return found


def _page(session, body, form, signing_form, status=200):
    settings = services.settings_for(session, body)
    try:
        identity, identity_error = signing.signing_identity(session, body.id, current_app.config["SECRET_KEY"]), ""
    except RuleViolation as error:
        identity, identity_error = None, error.message
    return render_template("certificates/settings.html", body=body, settings=settings, form=form,
                           signing_form=signing_form, identity=identity, identity_error=identity_error,
                           kinds=services.IMAGE_KINDS), status


@bp.route("/bodies/<int:body_id>/certificate-settings", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(body_id: int):
    session = get_session()
    body = services.body_for(session, current_user, body_id)
    form = CertificateSettingsForm(request.form) if request.method == "POST" else \
        CertificateSettingsForm(obj=services.settings_for(session, body))
    if request.method == "POST" and form.validate():
        values = services.SettingsInput(**{name: form.data[name] or "" for name in services.SettingsInput.__annotations__})
        removed = {kind for kind in services.IMAGE_KINDS if form.data[f"remove_{kind}"]}
        try:
            services.update_settings(session, body, current_user, values=values, removed=removed, now=utcnow(),
                                     uploads=_uploads(MAX_UPLOAD_BYTES, services.IMAGE_KINDS))
        except RuleViolation as error:
            form.form_errors.append(error.message)
        else:
            session.commit()
            flash(_("The certificate settings have been saved. Certificates already issued keep what they were "
                    "issued with."), "success")
            return redirect(url_for("certificate_settings.edit", body_id=body.id))
    return _page(session, body, form, SigningCertificateForm(), 400 if request.method == "POST" else 200)


@bp.get("/bodies/<int:body_id>/certificate-settings/preview.pdf")
@roles_required(*MANAGERS)
def preview(body_id: int):
    session = get_session()
    body = services.body_for(session, current_user, body_id)
    data = services.preview_pdf(session, body, services.settings_for(session, body),
                                base_url=current_app.config["PUBLIC_BASE_URL"], today=local_date(utcnow()))
    return send_file(io.BytesIO(data), mimetype="application/pdf", download_name="preview.pdf", etag=False,
                     conditional=False, max_age=0)


@bp.post("/bodies/<int:body_id>/certificate-settings/signing-certificate")
@roles_required(*MANAGERS)
def upload_signing_certificate(body_id: int):
    session = get_session()
    body = services.body_for(session, current_user, body_id)
    signing_form = SigningCertificateForm(request.form)
    if signing_form.validate():
        try:
            identity = signing.upload_signing_certificate(
                session, body, current_user, data=_uploads(MAX_PKCS12_BYTES, ["pkcs12"]).get("pkcs12", b""),
                password=signing_form.password.data or "", secret=current_app.config["SECRET_KEY"], now=utcnow())
        except RuleViolation as error:
            signing_form.form_errors.append(error.message)
        else:
            session.commit()
            flash(_("The signing certificate of %(subject)s is stored. Downloaded PDFs are now signed.",
                    subject=identity.subject), "success")
            return redirect(url_for("certificate_settings.edit", body_id=body.id))
    form = CertificateSettingsForm(obj=services.settings_for(session, body))
    return _page(session, body, form, signing_form, 400)


@bp.post("/bodies/<int:body_id>/certificate-settings/signing-certificate/remove")
@roles_required(*MANAGERS)
def remove_signing_certificate(body_id: int):
    session = get_session()
    body = services.body_for(session, current_user, body_id)
    signing.remove_signing_certificate(session, body, current_user, now=utcnow())
    session.commit()
    flash(_("The signing certificate has been removed. Downloaded PDFs are no longer signed."), "success")
    return redirect(url_for("certificate_settings.edit", body_id=body.id))
