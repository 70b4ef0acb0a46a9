"""Public certificate verification: no account, rate limited per client address, every check logged.

Caching: the verify pages and JSON are sent with `Cache-Control: no-store` (a revocation must show on the next
scan, and no shared phone, browser or proxy should keep a copy of a holder's name); the JWK set may be cached
for five minutes (keys only change by rotation, which keeps the old ones listed).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from lms.certificates import verification
from lms.certificates.keys import public_jwks
from lms.certificates.models import CertificateStatus
from lms.certificates.records import local_date
from lms.db import begin_writes, deferred_writes, get_session, utcnow
from lms.forms import BaseForm
from lms.text import clean_line

bp = Blueprint("certificates_verify", __name__, template_folder="templates")
KEYS_MAX_AGE = 300


class ThreadlessMemoryStorage(MemoryStorage):
    """limits' in-memory storage, dropping expired entries inline at most once a second instead of in a thread.

    limits 5.8's MemoryStorage starts a new `threading.Timer` on every hit that comes more than 10 ms after the
    previous one: nearly one thread per request at a few hundred checks a second, which cost more than the rest of
    the limiter. Which checks are allowed is unchanged: the moving window only counts entries inside it, expired or
    not yet dropped (tests/certificates/test_verify_page_size.py checks both).
    """

    EXPIRE_EVERY_SECONDS = 1.0

    def __init__(self, uri: str | None = None, **options) -> None:
        self._next_expiry = 0.0
        super().__init__(uri, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the base class's private timer start
        now = time.monotonic()
        if now >= self._next_expiry:
            self._next_expiry = now + self.EXPIRE_EVERY_SECONDS
            self._MemoryStorage__expire_events()


class Limiter:
    """CERT_VERIFY_LIMIT per client address, in memory or in Redis (REDIS_URL) so every worker shares it."""

    def __init__(self, app: Flask) -> None:
        url = app.config.get("REDIS_URL")
        self.storage = storage_from_string(url) if url else ThreadlessMemoryStorage()
        self.item = parse(app.config["CERT_VERIFY_LIMIT"])
        self.strategy = MovingWindowRateLimiter(self.storage)

    def hit(self, address: str) -> int:
        """0 when the check may go ahead, else the seconds to wait."""
        if self.strategy.hit(self.item, "certificate-verify", address or "-"):
            return 0
        reset_at, _remaining = self.strategy.get_window_stats(self.item, "certificate-verify", address or "-")
        return max(1, int(reset_at - utcnow().timestamp()) + 1)

    def reset(self) -> None:
        self.storage.reset()


def init_verify(app: Flask) -> None:
    app.extensions["certificate_verify_limiter"] = Limiter(app)


def _too_many(seconds: int, as_json: bool):
    message = _("You have checked many certificates in a short time. Please wait %(seconds)d seconds and try "
                "again.", seconds=seconds)
    if as_json:
        response = jsonify({"error": {"status": 429, "title": _("Too many requests"), "message": message}})
    else:
        response = current_app.make_response(render_template("certificates/verify_busy.html", message=message))
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _check(certificate, code: str, channel: str, *, kid=None, signature=None, data=None):
    """Judge and log one check; returns the Verification."""
    session = get_session()
    result = verification.verify(session, certificate, today=local_date(utcnow()), kid=kid, signature=signature,
                                 data=data)
    begin_writes(session)  # the reads are over: SQLite's write lock is held only for the log row
    verification.log_check(session, result, code=code, address=request.remote_addr or "",
                           user_agent=request.headers.get("User-Agent", ""), channel=channel,
                           secret=current_app.config["SECRET_KEY"], now=utcnow())
    session.commit()
    return result


def _page(result, *, status_code: int = 200, form=None, searched: bool = False):
    other = "en" if str(get_locale()) == "vi" else "vi"
    label = _status_labels()[result.status]()
    with force_locale(other):
        other_label = _status_labels()[result.status]()
    html = render_template("certificates/verify.html", result=result, label=label, other_label=other_label, other_lang=other, form=form, searched=searched,
                           base_url=current_app.config["PUBLIC_BASE_URL"], Status=CertificateStatus,
                           Signature=verification.SignatureState)
    return _no_store(current_app.make_response((html, status_code)))


def _status_labels() -> dict[str, Callable[[], str]]:
    """Each status's label, translated only when called (a page needs one, in two languages)."""
    return {CertificateStatus.VALID: lambda: _("VALID"), CertificateStatus.REVOKED: lambda: _("REVOKED"),
            CertificateStatus.SUPERSEDED: lambda: _("SUPERSEDED"), CertificateStatus.EXPIRED: lambda: _("EXPIRED"),
            CertificateStatus.NOT_FOUND: lambda: _("NOT FOUND")}


class CheckForm(BaseForm):
    """Checking by certificate number and holder's name, for those who type."""

    number = StringField("number", validators=[DataRequired(), Length(max=64)], filters=[clean_line])
    holder_name = StringField("holder_name", validators=[DataRequired(), Length(max=120)], filters=[clean_line])


@bp.get("/verify/<code>")
@deferred_writes
def page(code: str):
    wait = current_app.extensions["certificate_verify_limiter"].hit(request.remote_addr or "")
    if wait:
        return _no_store(_too_many(wait, as_json=False))
    certificate = verification.find_by_code(get_session(), code)
    result = _check(certificate, code, "page", kid=request.args.get("k"), signature=request.args.get("s"),
                    data=request.args.get("d"))
    return _page(result, status_code=200 if certificate is not None else 404)


@bp.get("/verify/<code>.json")
@deferred_writes
def as_json(code: str):
    wait = current_app.extensions["certificate_verify_limiter"].hit(request.remote_addr or "")
    if wait:
        return _no_store(_too_many(wait, as_json=True))
    certificate = verification.find_by_code(get_session(), code)
    result = _check(certificate, code, "json", kid=request.args.get("k"), signature=request.args.get("s"),
                    data=request.args.get("d"))
    body = verification.public_json(result, current_app.config["PUBLIC_BASE_URL"])
    return _no_store(current_app.make_response((jsonify(body), 200 if certificate is not None else 404)))


@bp.route("/verify", methods=["GET", "POST"])
@deferred_writes
def check_form():
    form = CheckForm(request.form)
    if request.method == "GET" or not form.validate():
        html = render_template("certificates/verify_form.html", form=form)
        return _no_store(current_app.make_response((html, 200 if request.method == "GET" else 400)))
    wait = current_app.extensions["certificate_verify_limiter"].hit(request.remote_addr or "")
    if wait:
        return _no_store(_too_many(wait, as_json=False))
    certificate = verification.find_by_number(get_session(), form.number.data, form.holder_name.data)
    result = _check(certificate, certificate.verification_code if certificate else "", "form")
    return _page(result, form=form, searched=True, status_code=200 if certificate is not None else 404)


@bp.get("/.well-known/lms-certificate-keys.json")
def keys():
    response = jsonify(public_jwks(get_session()))
    response.headers["Cache-Control"] = f"public, max-age={KEYS_MAX_AGE}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
