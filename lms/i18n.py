"""Locale choice (Vietnamese first), the language switch, and date formatting for Vietnam."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from lms.extensions import babel

SUPPORTED_LOCALES = ("vi", "en")
bp = Blueprint("i18n", __name__)


# Public pages that take their language from a `lang` query parameter instead of the session, so that they set
# no cookie (the certificate verify pages: officials with no account, often on a shared phone).
QUERY_LANGUAGE_ENDPOINTS = {"certificates_verify.page", "certificates_verify.check_form"}


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["DEFAULT_LOCALE"]
    if request.endpoint in QUERY_LANGUAGE_ENDPOINTS and request.args.get("lang") in SUPPORTED_LOCALES:
        return request.args["lang"]
    chosen = session.get("locale")
    if chosen in SUPPORTED_LOCALES:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in SUPPORTED_LOCALES:
        return current_user.locale
    return current_app.config["DEFAULT_LOCALE"]


@bp.post("/language/<code>")
def switch_language(code: str):
    if code in SUPPORTED_LOCALES:
        session["locale"] = code
    from lms.security import safe_local_path

    return redirect(safe_local_path(request.form.get("next"), url_for("courses.catalogue")))


def local_time(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"]))


def format_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, in Vietnam's time zone for datetimes."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    """HH:MM dd/mm/yyyy in Asia/Ho_Chi_Minh."""
    if value is None:
        return ""
    return local_time(value).strftime("%H:%M %d/%m/%Y")


def localized(obj, field: str) -> str:
    """The English variant of a content field when the interface is in English and one exists."""
    if str(get_locale()) == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    app.jinja_env.filters["date_vn"] = format_date
    app.jinja_env.filters["datetime_vn"] = format_datetime
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.globals["SUPPORTED_LOCALES"] = SUPPORTED_LOCALES
    app.jinja_env.globals["loc"] = localized
    app.register_blueprint(bp)
