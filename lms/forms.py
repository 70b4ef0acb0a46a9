"""Base form: WTForms with SessionCSRF bound to the Flask session and the app's secret key."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, session
from flask_babel import get_locale
from wtforms import Form
from wtforms.csrf.session import SessionCSRF


class BaseForm(Form):
    class Meta:
        csrf = True
        csrf_class = SessionCSRF
        csrf_field_name = "csrf_token"

        @property
        def csrf_secret(self):
            return current_app.secret_key.encode()

        @property
        def csrf_context(self):
            return session

        @property
        def csrf_time_limit(self):
            return timedelta(seconds=current_app.config["CSRF_TIME_LIMIT_SECONDS"])

        @property
        def locales(self):
            return [str(get_locale() or "vi")]
