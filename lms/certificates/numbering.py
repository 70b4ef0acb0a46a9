"""Certificate numbers (số hiệu) and register entries (số vào sổ) from a body's patterns, gap-free and unique.

Patterns mix literal text with the placeholders {ORG} (the body's certificate code, else its short name, else
the initials of its name), {YYYY} and {YY} (year of issue), and exactly one {SEQ} or {SEQ:0N} (the sequence,
zero-padded to N digits). The sequence comes from one CertificateCounter row per body and year (year 0 when the
number pattern has no year, so the sequence never restarts), incremented by an UPDATE inside the issuing
transaction: the row lock (PostgreSQL) or the write lock (SQLite, BEGIN IMMEDIATE) makes concurrent issues wait
in turn, and a rollback takes the increment back with everything else, so no number is skipped or repeated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.certificates.models import DEFAULT_NUMBER_PATTERN, BodyCertificateSettings, CertificateCounter
from lms.errors import RuleViolation
from lms.text import fold

DEFAULT_REGISTER_PATTERN = "{SEQ}/{YYYY}"
MAX_LENGTH = 64
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SEQ = re.compile(r"^SEQ(?::0([1-9]))?$")
_LITERAL = re.compile(r"^[A-Za-z0-9 ./_\-:#()À-ỹĐđ]*$")


@dataclass(frozen=True)
class Allocation:
    sequence: int
    number: str
    register_no: str


def validate_pattern(pattern: str, *, label: str = "") -> str:
    """The pattern trimmed, or RuleViolation with a message naming what is wrong."""
    what = label or _("The number pattern")
    pattern = (pattern or "").strip()
    if not pattern:
        raise RuleViolation(_("%(what)s is empty.", what=what))
    seqs = 0
    for name in _PLACEHOLDER.findall(pattern):
        if _SEQ.match(name):
            seqs += 1
        elif name not in ("ORG", "YYYY", "YY"):
            raise RuleViolation(_("%(what)s has an unknown placeholder {%(name)s}; use {ORG}, {YYYY}, {YY}, {SEQ} "
                                  "or {SEQ:05}.", what=what, name=name))
    if seqs != 1:
        raise RuleViolation(_("%(what)s must contain the sequence exactly once, as {SEQ} or {SEQ:05}.", what=what))
    literal = _PLACEHOLDER.sub("", pattern)
    if "{" in literal or "}" in literal or not _LITERAL.match(literal):
        raise RuleViolation(_("%(what)s may contain only letters, digits, spaces and . / _ - : # ( ) besides "
                              "its placeholders.", what=what))
    if len(render(pattern, org="X" * 16, year=2000, sequence=10**9)) > MAX_LENGTH:
        raise RuleViolation(_("%(what)s makes numbers longer than %(max)d characters.", what=what, max=MAX_LENGTH))
    return pattern


def render(pattern: str, *, org: str, year: int, sequence: int) -> str:
    """The pattern with its placeholders filled (the pattern must be valid)."""
    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name == "ORG":
            return org
        if name == "YYYY":
            return f"{year:04d}"
        if name == "YY":
            return f"{year % 100:02d}"
        width = _SEQ.match(name).group(1)
        return f"{sequence:0{width}d}" if width else str(sequence)

    return _PLACEHOLDER.sub(fill, pattern)


def org_code(body, settings: BodyCertificateSettings | None) -> str:
    """{ORG}: the settings' code, else the body's short name, else the initials of its name (ASCII, upper case)."""
    code = (settings.org_code if settings else "") or body.short_name or ""
    if not code:
        code = "".join(word[0] for word in fold(body.name).split() if word[0].isalnum())
    code = re.sub(r"[^A-Za-z0-9._-]+", "", fold(code).upper().replace(" ", ""))
    return code[:16] or f"ORG{body.id}"


def counter_year(number_pattern: str, year: int) -> int:
    """The counter row's year: the year of issue when the number shows it, else 0 (one sequence for ever)."""
    return year if ("{YYYY}" in number_pattern or "{YY}" in number_pattern) else 0


def next_sequence(db: Session, body_id: int, year: int) -> int:
    """Increment the body's counter for ``year`` in the caller's transaction and return the new value."""
    table = CertificateCounter
    bump = (update(table).where(table.organising_body_id == body_id, table.year == year)
            .values(last_value=table.last_value + 1).returning(table.last_value)
            .execution_options(synchronize_session=False))
    value = db.scalar(bump)
    if value is not None:
        return value
    try:
        with db.begin_nested():
            db.execute(insert(table).values(organising_body_id=body_id, year=year, last_value=1))
        return 1
    except IntegrityError:  # another transaction created the row a moment ago: its lock orders us
        return db.scalar(bump)


def allocate(db: Session, body, settings: BodyCertificateSettings | None, year: int) -> Allocation:
    """The next number and register entry of the body for a certificate issued in ``year``."""
    number_pattern = validate_pattern(settings.number_pattern if settings else DEFAULT_NUMBER_PATTERN,
                                      label=_("The number pattern"))
    register_pattern = validate_pattern(settings.register_pattern if settings else DEFAULT_REGISTER_PATTERN,
                                        label=_("The register pattern"))
    sequence = next_sequence(db, body.id, counter_year(number_pattern, year))
    org = org_code(body, settings)
    return Allocation(sequence, render(number_pattern, org=org, year=year, sequence=sequence),
                      render(register_pattern, org=org, year=year, sequence=sequence))
