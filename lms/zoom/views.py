"""The Zoom webhook (signed, CSRF-exempt, no login) and the organiser's page with its address and token form."""

from __future__ import annotations

import time

from flask import Blueprint, Flask, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.models import Role
from lms.db import get_session, utcnow
from lms.errors import DomainError, NotFound
from lms.organisations.models import OrganisingBody
from lms.security import roles_required
from lms.zoom import services
from lms.zoom.signature import is_signed, url_validation_answer

bp = Blueprint("zoom", __name__, template_folder="templates")
WEBHOOK_ENDPOINT = "zoom.webhook"


def init_zoom(app: Flask) -> None:
    """The webhook is signed by Zoom, not by a browser session: exempt it from CSRF."""
    app.config["CSRF_EXEMPT"] = (*app.config.get("CSRF_EXEMPT", ()), WEBHOOK_ENDPOINT)


def _refuse(status: int, message: str):
    return jsonify({"error": message}), status


def _read_bounded_body() -> bytes | None:
    """At most MAX_BODY_BYTES of the body, or None when it is larger (announced or not)."""
    limit = services.MAX_BODY_BYTES
    if request.content_length is not None and request.content_length > limit:
        return None
    raw = request.stream.read(limit + 1)
    return None if len(raw) > limit else raw


@bp.post("/hooks/zoom/<string(maxlength=64):hook_id>")
def webhook(hook_id: str):
    """Verify the signature, answer URL validation, keep the raw event (committed), then process it."""
    db = get_session()
    hook = services.find_hook(db, hook_id)
    secret = services.hook_secret(hook, current_app.secret_key) if hook else None
    if secret is None:
        return _refuse(404, "unknown webhook")
    raw = _read_bounded_body()
    if raw is None:
        abort(413)  # the error handler drains what is left of the body
    if not is_signed(secret, timestamp=request.headers.get("x-zm-request-timestamp"),
                     signature=request.headers.get("x-zm-signature"), body=raw, now_seconds=time.time()):
        return _refuse(401, "missing, wrong or stale signature")
    data = services.parse_body(raw)
    if data is None:
        return _refuse(400, "the body is not a JSON object")
    event_type = data.get("event") if isinstance(data.get("event"), str) else ""
    if event_type == "endpoint.url_validation":
        plain = (data.get("payload") or {}).get("plainToken") if isinstance(data.get("payload"), dict) else None
        if not isinstance(plain, str) or not plain or len(plain) > 256:
            return _refuse(400, "plainToken missing")
        return jsonify(url_validation_answer(secret, plain))
    now = utcnow()
    event = services.store_event(db, hook, raw, event_type, now=now)
    db.commit()  # the raw event is safe before processing starts
    status = services.process_stored(db, event, now=now)
    db.commit()
    return jsonify({"status": str(status)})


def _body_for(actor) -> OrganisingBody:
    db = get_session()
    body_id = actor.organising_body_id if actor.role == Role.ORGANISER else request.values.get("body", type=int)
    body = db.get(OrganisingBody, body_id) if body_id else None
    if body is None:
        raise NotFound(_("Choose an organising body."))
    return body


@bp.route("/zoom", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.ORGANISER)
def settings():
    """The body's webhook address to paste into Zoom and the form to set its secret token."""
    db = get_session()
    body = _body_for(current_user)
    error, status = "", 200
    if request.method == "POST":
        try:
            services.set_token(db, current_user, body, request.form.get("token", ""),
                               secret_key=current_app.secret_key, now=utcnow())
        except DomainError as failure:
            db.rollback()
            error, status = failure.message, 422
        else:
            db.commit()
            flash(_("The Zoom secret token has been saved."), "success")
            return redirect(url_for("zoom.settings", body=body.id if current_user.role == Role.ADMIN else None))
    hook = services.hook_for_body(db, body.id)
    db.commit()  # the hook id is created on the first visit
    return render_template("zoom/settings.html", body=body, hook=hook, error=error,
                           address=services.webhook_url(hook, current_app.config["PUBLIC_BASE_URL"]),
                           token_set=bool(hook.token_encrypted)), status
