"""The form of a class's settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lms.forms import BaseForm
from lms.organisations.forms import VietnameseDateField


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class ClassSettingsForm(BaseForm):
    name = StringField(_l("Class name"), validators=[DataRequired(), Length(max=200)])
    course_id = SelectField(_l("Course"), coerce=int, validators=[DataRequired()])
    quiz_id = SelectField(_l("End-of-course test"), coerce=_optional_int, validators=[Optional()])
    organising_body_id = SelectField(_l("Organising body"), coerce=_optional_int, validators=[Optional()])
    starts_on = VietnameseDateField(_l("First day (dd/mm/yyyy)"), validators=[Optional()])
    ends_on = VietnameseDateField(_l("Last day (dd/mm/yyyy)"), validators=[Optional()])
    trainer_ids = SelectMultipleField(_l("Trainers"), coerce=int, validators=[Optional()])
    capacity = IntegerField(_l("Capacity (most trainees; empty: no limit)"),
                            validators=[Optional(), NumberRange(min=1, max=5000)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
