"""Roles enforced on the server, CSRF on every write, and the security headers of every response."""

from __future__ import annotations

import threading
import unicodedata
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import Flask, abort, g, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from lms.db import write_intent
from lms.forms import BaseForm

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_HEADER = "X-CSRF-Token"
# Answers that hold no personal data and may be cached: static files, course pictures, health, the API schema.
CACHEABLE_ENDPOINTS = {"static", "room.socketio_client", "courses.asset", "health.healthz", "openapi_json",
                       "certificates_verify.keys"}  # the public certificate keys (lms/certificates/verify_views.py)
# Every page of these shows or takes personal data (people, rosters, attempts, results, exports, accounts).
PERSONAL_BLUEPRINTS = {"auth", "organisations", "classes", "quizzes", "quizzes_api", "quizzes_staff", "quizzes_banks",
                       "audit", "class_management", "reports", "roster", "joining", "enrolment"}


def roles_required(*roles: str):
    """Allow the view only to logged-in users holding one of the roles (401 → login page, else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if request.path.startswith("/api/"):
                    abort(401)
                from lms.extensions import login_manager

                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require_roles(roles) -> None:
    """The check of roles_required, for code that cannot be a decorator (401 for the API, 403 otherwise)."""
    if not current_user.is_authenticated:
        abort(401)
    if roles and current_user.role not in roles:
        abort(403)


def login_required(view):
    return roles_required()(view)


class _CsrfCheck(BaseForm):
    """A form with only the CSRF field: the same token rules as every BaseForm, for any POST or JSON write."""


def safe_local_path(target: str | None, default: str) -> str:
    r"""The one rule for every `next=` redirect: a path on this site ("/x"), else `default`.

    Browsers drop tabs and newlines inside URLs and read "\" as "/", so "/<tab>/evil", "/\evil" and "\/evil" all
    mean "//evil", another host. A target is refused if it holds a control or space character, or if it, or a
    percent-decoding of it, is not a single-slash path once backslashes are read as slashes.
    """
    if not isinstance(target, str) or not target or len(target) > 2000:
        return default
    candidate, decoded_form = target, False
    for _round in range(3):
        if not _is_local_path(candidate, decoded_form=decoded_form):
            return default
        decoded = unquote(candidate)
        if decoded == candidate:
            return target
        candidate, decoded_form = decoded, True
    return default


def _is_local_path(value: str, *, decoded_form: bool) -> bool:
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf") or (ch.isspace() and not (decoded_form and ch == " ")):
            return False
    value = value.replace("\\", "/")
    if not value.startswith("/") or value.startswith("//"):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def csrf_token() -> str:
    """The token for forms and the X-CSRF-Token header, bound to this browser session."""
    if "_csrf_token" not in g:
        form = _CsrfCheck()
        g._csrf_token = form.csrf_token.current_token
    return g._csrf_token


_csrf_checks = threading.local()


def _check_csrf(app: Flask) -> None:
    token = request.headers.get(CSRF_HEADER) or request.form.get("csrf_token", "")
    # One check form per thread, given each request's token: building a form on every write (autosave included)
    # cost more than the check. Its secret, session and time limit are read from the request at each check.
    form = getattr(_csrf_checks, "form", None)
    if form is None:
        form = _csrf_checks.form = _CsrfCheck(MultiDict())
    form.csrf_token.data = token
    if not form.validate():
        from flask_babel import gettext as _
        from werkzeug.exceptions import BadRequest

        error = BadRequest(_("Your session has expired or the form is out of date. Please reload the page and try again."))
        error.lms_message = True
        raise error


def _content_security_policy() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _holds_personal_data() -> bool:
    """The one no-store rule, for every view (none sets it itself): any answer to a logged-in user, every page of
    the personal blueprints and every API answer; only the public files of CACHEABLE_ENDPOINTS may be kept.
    No browser or proxy then keeps a copy of a personal page (a shared commune computer, the back button)."""
    if request.endpoint in CACHEABLE_ENDPOINTS:
        return False
    if request.blueprint in PERSONAL_BLUEPRINTS or request.path.startswith("/api/"):
        return True
    return bool(current_user and current_user.is_authenticated)


def init_security(app: Flask) -> None:
    """Check CSRF before every unsafe request and add security headers after every response."""

    @app.before_request
    def before():
        if request.method in UNSAFE_METHODS:
            view = app.view_functions.get(request.endpoint)
            write_intent.set(not getattr(view, "deferred_writes", False))
            if request.path.startswith("/api/") and request.routing_exception is None and \
                    not current_user.is_authenticated:
                abort(401)  # no session, so no token to check: the API says "log in", not "bad request"
            if app.config.get("CSRF_ENABLED", True) and request.endpoint not in app.config.get("CSRF_EXEMPT", ()):
                _check_csrf(app)
        else:
            write_intent.set(False)

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", _content_security_policy())
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if _holds_personal_data():
            response.headers["Cache-Control"] = "no-store"
        return response

    app.jinja_env.globals["csrf_token"] = csrf_token
