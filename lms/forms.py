"""Base form: WTForms with SessionCSRF bound to the Flask session, and messages in the user's language."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, session
from flask_babel import get_translations
from wtforms import Form, PasswordField, StringField
from wtforms.csrf.session import SessionCSRF

from lms.text import strip_control


def N_(message: str) -> str:
    """Marks a string for extraction only: WTForms translates its own messages through BabelTranslations."""
    return message


# WTForms' built-in messages that our forms can show, so they are in our catalogues.
WTFORMS_MESSAGES = [
    N_("This field is required."),
    N_("Field must be at least %(min)d character long."),
    N_("Field must be at least %(min)d characters long."),
    N_("Field cannot be longer than %(max)d character."),
    N_("Field cannot be longer than %(max)d characters."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Not a valid choice."),
    N_("'%(value)s' is not a valid choice for this field."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("Not a valid integer value."),
    N_("Not a valid float value."),
    N_("Not a valid decimal value."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Invalid input."),
    N_("Invalid CSRF Token."),
    N_("CSRF token expired."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
]


class BabelTranslations:
    """Gives WTForms our catalogue (WTForms ships no Vietnamese)."""

    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


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

        def get_translations(self, form):
            return BabelTranslations()

        def bind_field(self, form, unbound_field, options):
            """Every text field (TextAreaField too, passwords left as typed) drops control characters."""
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                options["filters"] = (*unbound_field.kwargs.get("filters", ()), _without_control)
            return unbound_field.bind(form=form, **options)


def _without_control(value):
    return strip_control(value) if isinstance(value, str) else value
