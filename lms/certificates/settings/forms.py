"""The certificate settings form and the signing-certificate upload form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from lms.forms import BaseForm


class CertificateSettingsForm(BaseForm):
    number_pattern = StringField(_l("Certificate number pattern"), validators=[DataRequired(), Length(max=64)])
    register_pattern = StringField(_l("Register entry pattern"), validators=[DataRequired(), Length(max=64)])
    org_code = StringField(_l("Organisation code ({ORG})"), validators=[Optional(), Length(max=16)])
    issue_place = StringField(_l("Place of issue"), validators=[Optional(), Length(max=120)])
    signer_title = StringField(_l("Signer's title"), validators=[Optional(), Length(max=200)])
    signer_name = StringField(_l("Signer's name"), validators=[Optional(), Length(max=120)])
    primary_colour = StringField(_l("Colour"), validators=[DataRequired(), Length(max=7)])
    remove_logo = BooleanField(_l("Remove the logo"))
    remove_signature = BooleanField(_l("Remove the signature image"))
    remove_seal = BooleanField(_l("Remove the seal image"))


class SigningCertificateForm(BaseForm):
    password = PasswordField(_l("Password of the file"), validators=[Optional(), Length(max=200)])
