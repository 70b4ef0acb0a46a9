"""The programme report's choice of dates and classes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import Optional

from lms.forms import BaseForm
from lms.organisations.forms import VietnameseDateField


class ProgrammeForm(BaseForm):
    date_from = VietnameseDateField(_l("Classes starting from (dd/mm/yyyy)"), validators=[Optional()])
    date_to = VietnameseDateField(_l("until (dd/mm/yyyy)"), validators=[Optional()])
    class_ids = SelectMultipleField(_l("Classes (none ticked: every class of the period)"), coerce=int,
                                    validators=[Optional()])
