"""The forms for organising bodies and units."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.forms import BaseForm


class VietnameseDateField(StringField):
    """A date typed as dd/mm/yyyy, the way Vietnamese forms and certificates write it."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            return
        try:
            self.data = datetime.strptime(raw, "%d/%m/%Y").date()
        except ValueError as error:
            self.raw_data = [raw]
            raise ValueError(str(_l("Write the date as dd/mm/yyyy, for example 02/11/1985."))) from error

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y") if isinstance(self.data, date) else ""


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class PersonForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    username = StringField(_l("Login name"), validators=[DataRequired(), Length(min=3, max=64)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    date_of_birth = VietnameseDateField(_l("Date of birth (dd/mm/yyyy)"), validators=[Optional()])
    work_unit_id = SelectField(_l("Work unit"), coerce=_optional_int, validators=[Optional()])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=120)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=254)])
    organising_body_id = SelectField(_l("Organising body"), coerce=_optional_int, validators=[Optional()])

    def validate_date_of_birth(self, field):
        if field.data and not (date(1940, 1, 1) <= field.data <= date.today()):
            raise ValidationError(_l("The date of birth is not plausible."))


class BodyForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=60)])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=255)])


class UnitForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    parent_id = SelectField(_l("Belongs to"), coerce=_optional_int, validators=[Optional()])
    code = StringField(_l("Official code"), validators=[Optional(), Length(max=32)])
    valid_from = VietnameseDateField(_l("Valid from (dd/mm/yyyy)"), validators=[Optional()])
    valid_to = VietnameseDateField(_l("Valid until (dd/mm/yyyy), for former units"), validators=[Optional()])
    successor_id = SelectField(_l("Succeeded by"), coerce=_optional_int, validators=[Optional()])
