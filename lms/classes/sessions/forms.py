"""Forms for one class session and for a series of sessions (dates dd/mm/yyyy, times HH:MM in Vietnam)."""

from __future__ import annotations

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from lms.forms import BaseForm
from lms.organisations.forms import VietnameseDateField

_CLOCK = re.compile(r"^\s*(\d{1,2})[:hg.](\d{2})\s*$")


class ClockField(StringField):
    """A time of day typed as 7:30, 07:30 or 7h30."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            return
        match = _CLOCK.match(raw)
        if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            self.raw_data = [raw]
            raise ValueError(str(_l("Write the time as HH:MM, for example 7:30 or 13:30.")))
        self.data = time(int(match.group(1)), int(match.group(2)))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if isinstance(self.data, time) else ""


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class _SessionFields(BaseForm):
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=200)])
    meeting_url = StringField(_l("Meeting link (Zoom, Google Meet, Jitsi or any web address)"),
                              validators=[Optional(), Length(max=2000)])
    zoom_meeting_id = StringField(_l("Zoom meeting ID (if a Zoom meeting)"), validators=[Optional(), Length(max=20)])
    trainer_id = SelectField(_l("Trainer"), coerce=_optional_int, validators=[Optional()])


class SessionForm(_SessionFields):
    day = VietnameseDateField(_l("Day (dd/mm/yyyy)"), validators=[DataRequired()])
    start = ClockField(_l("Starts at (HH:MM)"), validators=[DataRequired()])
    end = ClockField(_l("Ends at (HH:MM)"), validators=[DataRequired()])


class SeriesForm(_SessionFields):
    first_day = VietnameseDateField(_l("First day (dd/mm/yyyy)"), validators=[DataRequired()])
    last_day = VietnameseDateField(_l("Last day (dd/mm/yyyy)"), validators=[DataRequired()])
    time_ranges = StringField(_l("Time ranges each day"), validators=[DataRequired(), Length(max=200)])
