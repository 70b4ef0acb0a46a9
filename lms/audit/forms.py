"""The search form of the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from lms.forms import BaseForm
from lms.organisations.forms import VietnameseDateField


class AuditSearchForm(BaseForm):
    person = StringField(_l("Person (who acted, or whom it concerned)"), validators=[Optional(), Length(max=100)])
    action = SelectField(_l("Action"), validators=[Optional()], validate_choice=True)
    date_from = VietnameseDateField(_l("From (dd/mm/yyyy)"), validators=[Optional()])
    date_to = VietnameseDateField(_l("Until (dd/mm/yyyy)"), validators=[Optional()])
