"""Normalising one roster cell: names, dates (dd/mm/yyyy, d/m/yy, Excel dates), gender, phone and email."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from lms.auth.models import Gender
from lms.auth.services import EMAIL, normalise_phone
from lms.text import clean_line, fold

_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
OLDEST_BIRTH_YEAR = 1900
_GENDERS = {"nam": Gender.MALE, "male": Gender.MALE, "m": Gender.MALE, "trai": Gender.MALE,
            "nu": Gender.FEMALE, "female": Gender.FEMALE, "f": Gender.FEMALE, "gai": Gender.FEMALE}


class CellProblem(ValueError):
    """A cell's value cannot be used (the message is shown on the row)."""


def text(value: Any) -> str:
    """A cell as one clean line of NFC text ('' for an empty cell); whole numbers lose Excel's '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_line(str(value))


def person_name(value: Any) -> str:
    """'NGUYỄN văn  an' → 'Nguyễn Văn An': NFC, single spaces, each word capitalised."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in text(value).split(" ") if word)


def birth_date(value: Any, *, today: date) -> date | None:
    """A date of birth from a date cell, an Excel serial number or dd/mm/yyyy, d/m/yy text; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 80000:
            raise CellProblem(_("'%(value)s' is not a date", value=text(value)))
        found = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        found = _date_from_text(text(value), today=today)
    if found.year < OLDEST_BIRTH_YEAR or found >= today:
        raise CellProblem(_("the date of birth %(date)s is impossible", date=found.strftime("%d/%m/%Y")))
    return found


def _date_from_text(value: str, *, today: date) -> date:
    match = _DATE.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:  # d/m/yy: a birth year, so never in the future
            year += 2000 if 2000 + year < today.year else 1900
    else:
        iso = _ISO_DATE.match(value)
        if not iso:
            raise CellProblem(_("'%(value)s' is not a date: write it as dd/mm/yyyy", value=value[:40]))
        year, month, day = (int(part) for part in iso.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise CellProblem(_("the date %(value)s does not exist", value=value[:40])) from None


def gender(value: Any) -> str | None:
    word = fold(text(value)).strip(".")
    if not word:
        return None
    if word not in _GENDERS:
        raise CellProblem(_("the gender '%(value)s' is not understood (write Nam or Nữ)", value=text(value)[:20]))
    return _GENDERS[word]


def phone(value: Any) -> str | None:
    raw = text(value)
    if not raw:
        return None
    digits = normalise_phone(raw)
    if digits and len(digits) == 9 and not raw.startswith("0"):  # Excel drops the leading 0 of a number cell
        digits = "0" + digits
    if not digits or not 10 <= len(digits) <= 11 or re.search(r"[^\d\s+().-]", raw):
        raise CellProblem(_("the phone number '%(value)s' is not valid", value=raw[:20]))
    return digits


def email(value: Any, *, label: str) -> str | None:
    address = text(value).lower()
    if address.startswith("mailto:"):
        address = address[len("mailto:"):]
    if not address:
        return None
    if len(address) > 254 or not EMAIL.match(address):
        raise CellProblem(_("the %(label)s '%(value)s' is not valid", label=label, value=address[:60]))
    return address
