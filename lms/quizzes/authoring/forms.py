"""Forms and labels of the bank and test editor pages."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.forms import BabelTranslations, BaseForm


def type_labels() -> dict[str, str]:
    return {"single": _("Single choice"), "multiple": _("Multiple choice"), "true_false": _("True/false"),
            "short": _("Short answer"), "numeric": _("Numeric"), "matching": _("Matching"),
            "ordering": _("Ordering")}


def difficulty_labels() -> dict[str, str]:
    return {"easy": _("Easy"), "medium": _("Medium"), "hard": _("Hard")}


def review_labels() -> dict[str, str]:
    return {"score": _("Score"), "passed": _("Passed or not"), "correct_answers": _("Correct answers"),
            "explanations": _("Explanations")}



class BankForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=255)])
    slug = StringField(_l("Short name (letters without marks, digits, dashes)"),
                       validators=[DataRequired(), Length(max=100)])


class QuestionForm(BaseForm):
    text = TextAreaField(_l("The question in the bank format"), validators=[DataRequired(), Length(max=20000)])


class ImportForm(BaseForm):
    kind = SelectField(_l("Format"), validators=[Optional()])
    module = SelectField(_l("Module for questions that name none"), validators=[Optional()])
    payload = HiddenField()
    token = HiddenField()


class RuleForm(Form):
    class Meta:
        def get_translations(self, form):
            return BabelTranslations()

    module = SelectField(_l("Module"), validators=[Optional()])
    difficulty = SelectField(_l("Difficulty"), validators=[Optional()])
    tags = StringField(_l("Tags (comma-separated)"), validators=[Optional(), Length(max=200)])
    count = IntegerField(_l("Questions"), validators=[Optional(), NumberRange(min=1, max=500)])


class TestForm(BaseForm):
    __test__ = False

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=255)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=255)])
    slug = StringField(_l("Short name (letters without marks, digits, dashes)"), validators=[Length(max=100)])
    time_limit_minutes = IntegerField(_l("Time limit (minutes)"), validators=[InputRequired(), NumberRange(1, 600)])
    pass_mark_percent = FloatField(_l("Pass mark (%)"), validators=[InputRequired(), NumberRange(0, 100)])
    max_attempts = IntegerField(_l("Attempts allowed (0 = unlimited)"), validators=[InputRequired(), NumberRange(0, 100)])
    attempt_policy = SelectField(_l("Which attempt counts"))
    navigation = SelectField(_l("Navigation"))
    shuffle_questions = BooleanField(_l("Shuffle the questions"))
    shuffle_options = BooleanField(_l("Shuffle the options"))
    avoid_repeats = BooleanField(_l("Avoid questions seen in earlier attempts"))
    review_after_submit = SelectMultipleField(_l("Trainees see after submitting"), widget=ListWidget(prefix_label=False),
                                              option_widget=CheckboxInput())
    review_after_close = SelectMultipleField(_l("Trainees see after the test closes"),
                                             widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    rules = FieldList(FormField(RuleForm), min_entries=1)

    def fill_choices(self, modules: list[str]) -> None:
        self.attempt_policy.choices = [("highest", _("The highest")), ("last", _("The last"))]
        self.navigation.choices = [("free", _("Free (any order)")), ("sequential", _("Sequential"))]
        self.review_after_submit.choices = self.review_after_close.choices = list(review_labels().items())
        for rule in self.rules:
            rule.module.choices = [("", _("Any module"))] + [(m, m) for m in modules]
            rule.difficulty.choices = [("", _("Any difficulty"))] + list(difficulty_labels().items())



