"""Forms of the staff certificate pages: class settings, single issue, revoke and re-issue (each confirmed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.forms import BaseForm
from lms.organisations.forms import VietnameseDateField

REASON_MAX = 500


class ClassSettingsForm(BaseForm):
    auto_issue = BooleanField(_l("Issue automatically when a trainee becomes eligible"))
    print_result = BooleanField(_l("Print the test result on the certificate"))
    hours = IntegerField(_l("Length in hours"), validators=[Optional(), NumberRange(min=1, max=2000)])
    valid_months = IntegerField(_l("Valid for (months; empty: no expiry)"),
                                validators=[Optional(), NumberRange(min=1, max=600)])


class _Confirmed(BaseForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=REASON_MAX)])
    confirm = BooleanField(_l("I have checked the details and confirm"),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])


class IssueOneForm(_Confirmed):
    """Issue to one trainee, allowed even when not eligible (e.g. an exemption): the reason is required."""


class RevokeForm(_Confirmed):
    revoked_on = VietnameseDateField(_l("Revoked on (dd/mm/yyyy)"), validators=[InputRequired()])


class ReissueForm(_Confirmed):
    holder_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    holder_birth_date = VietnameseDateField(_l("Date of birth (dd/mm/yyyy)"), validators=[Optional()])
    holder_unit = StringField(_l("Work unit"), validators=[Optional(), Length(max=255)])
