"""The form a person fills to join a class with its code."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from lms.forms import BaseForm
from lms.organisations.forms import VietnameseDateField


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class JoinForm(BaseForm):
    code = StringField(_l("Class join code"), validators=[DataRequired(), Length(max=32)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    date_of_birth = VietnameseDateField(_l("Date of birth (dd/mm/yyyy)"), validators=[Optional()])
    work_unit_id = SelectField(_l("Work unit"), coerce=_optional_int, validators=[Optional()])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(_l("Password again"), validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))])


class JoinWithAccountForm(BaseForm):
    code = StringField(_l("Class join code"), validators=[DataRequired(), Length(max=32)])
