"""Translated names of the kinds of organising bodies and work units."""

from flask_babel import gettext as _


def body_kind_labels() -> dict[str, str]:
    return {
        "science_department": _("Department of Science and Technology"),
        "training_centre": _("Training centre"),
        "consultancy": _("Consultancy"),
        "other": _("Other"),
    }


def unit_kind_labels() -> dict[str, str]:
    return {
        "province": _("Province"),
        "city": _("Centrally-run city"),
        "commune": _("Commune"),
        "ward": _("Ward"),
        "special_zone": _("Special zone"),
        "department": _("Provincial department or agency"),
        "agency": _("State agency"),
        "district": _("District (former)"),
    }
