"""The forms for creating a class and enrolling trainees in it."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional

from lms.forms import BaseForm
from lms.organisations.forms import VietnameseDateField


class ClassForm(BaseForm):
    name = StringField(_l("Class name"), validators=[DataRequired(), Length(max=200)])
    course_id = SelectField(_l("Course"), coerce=int, validators=[DataRequired()])
    organising_body_id = SelectField(_l("Organising body"), coerce=int, validators=[Optional()])
    starts_on = VietnameseDateField(_l("First day (dd/mm/yyyy)"), validators=[Optional()])
    ends_on = VietnameseDateField(_l("Last day (dd/mm/yyyy)"), validators=[Optional()])
    trainer_ids = SelectMultipleField(_l("Trainers"), coerce=int, validators=[Optional()])


class EnrolForm(BaseForm):
    user_ids = SelectMultipleField(_l("Trainees to enrol"), coerce=int, validators=[DataRequired()])
