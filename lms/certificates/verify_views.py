"""Public certificate verification: no account, rate limited per client address, every check logged.

Caching: the verify pages and JSON are sent with `Cache-Control: no-store` (a revocation must show on the next
scan, and no shared phone, browser or proxy should keep a copy of a holder's name); the JWK set may be cached
for five minutes (keys only change by rotation, which keeps the old ones listed).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache
from types import SimpleNamespace

from flask import Blueprint, Flask, current_app, jsonify, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from lms.certificates import verification
from lms.certificates.checklog import check_log, init_check_log, write_checks
from lms.certificates.keys import public_jwks
from lms.certificates.models import CertificateStatus
from lms.certificates.records import local_date
from lms.db import begin_writes, deferred_writes, get_session, utcnow
from lms.forms import BaseForm
from lms.i18n import QUERY_LANGUAGE_ENDPOINTS, SUPPORTED_LOCALES
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
    init_check_log(app)
    app.jinja_env.globals["other_language_url"] = other_language_url
    app.jinja_env.globals["keep_lang"] = keep_lang


def keep_lang() -> dict[str, str]:
    """The `lang` the page was asked in, for its links to keep it ({} when none was asked)."""
    chosen = request.args.get("lang")
    return {"lang": chosen} if chosen in SUPPORTED_LOCALES else {}


def other_language_url(code: str) -> str:
    """This page in the other language, by a plain link (`?lang=`, see lms.i18n): the verify pages set no cookie
    and hold no form token, so a check leaves nothing on the phone that scanned it. After the number+name form
    was posted, the link leads to the empty form."""
    if request.method != "GET" or request.endpoint not in QUERY_LANGUAGE_ENDPOINTS:
        return url_for("certificates_verify.check_form", lang=code)
    return url_for(request.endpoint, **(request.view_args or {}), **{**request.args.to_dict(), "lang": code})


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
    """Judge and log one check; returns the Verification. The log row goes to this process's batch (checklog.py),
    or, with CERT_CHECK_LOG_SECONDS = 0, into the database within this request."""
    session = get_session()
    result = verification.verify(session, certificate, today=local_date(utcnow()), kid=kid, signature=signature,
                                 data=data)
    row = verification.check_row(result, code=code, address=request.remote_addr or "",
                                 user_agent=request.headers.get("User-Agent", ""), channel=channel,
                                 secret=current_app.config["SECRET_KEY"], now=utcnow())
    log = check_log(current_app)
    if log.batched:
        log.add(row)  # only reads were made: the request's end closes them (ending them now would expire the rows)
        return result
    begin_writes(session)  # the reads are over: SQLite's write lock is held only for the log row
    write_checks(session, [row])
    session.commit()
    return result


def _page(result, *, status_code: int = 200, form=None, searched: bool = False):
    other = "en" if str(get_locale()) == "vi" else "vi"
    label, other_label = _status_label(str(get_locale()), result.status), _status_label(other, result.status)
    html = render_template("certificates/verify.html", result=result, label=label, other_label=other_label,
                           other_lang=other, form=form, searched=searched, t=_page_labels(str(get_locale())),
                           base_url=current_app.config["PUBLIC_BASE_URL"], Status=CertificateStatus,
                           Signature=verification.SignatureState)
    return _no_store(current_app.make_response((html, status_code)))


@lru_cache(maxsize=len(SUPPORTED_LOCALES))
def _page_labels(locale: str) -> SimpleNamespace:
    """The page's fixed labels in `locale` (the current one: the cache is keyed by it), translated once per process
    instead of once per check: Flask-Babel's lookups for a dozen labels were a tenth of a verify's time."""
    return SimpleNamespace(
        heading=_("Certificate verification"), holder=_("Holder"), birth_year=_("Year of birth"), unit=_("Work unit"),
        course=_("Course"), dates=_("Dates"), length=_("Length"), body=_("Issuing body"),
        number=_("Certificate number"), issued_on=_("Issued on"), valid_until=_("Valid until"),
        check_another=_("Check another certificate by its number"),
        signature_ok=_("The digital signature in the scanned code matches this record."),
        signature_bad=_("The digital signature in the scanned code does NOT match this record: the printed "
                        "certificate may have been altered."))


@lru_cache(maxsize=16)
def _status_label(locale: str, status: str) -> str:
    """A status's label in `locale`, translated once per process (the page shows it in both languages)."""
    with force_locale(locale):
        return _status_labels()[status]()


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
