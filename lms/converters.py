"""URL converters with bounds: an `<int:...>` id beyond what the database holds is a 404, never a database error."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map, ValidationError

# Every id column is an INTEGER (PostgreSQL's int4, 32-bit signed); an id above it cannot exist. Binding a larger
# number is an error in the database driver (SQLite: "Python int too large", PostgreSQL: out of range), so
# such a URL must be refused before a query is built.
MAX_ID = 2**31 - 1
MAX_DIGITS = len(str(MAX_ID))


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` for ids: ASCII digits only, 0 ≤ value ≤ MAX_ID; anything else does not match (404)."""

    regex = r"[0-9]+"

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 0, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=_capped(max), signed=signed)

    def to_python(self, value: str) -> int:
        # A string of thousands of digits is refused before int() parses it.
        if len(value.lstrip("-").lstrip("0")) > MAX_DIGITS:
            raise ValidationError()
        return super().to_python(value)


def _capped(limit: int | None) -> int:
    """A rule may narrow the bound (`<int(max=99):n>`), never widen it past MAX_ID."""
    return MAX_ID if limit is None else min(limit, MAX_ID)


def register_converters(app: Flask) -> None:
    """Replace the default `int` converter; must run before any blueprint adds its rules."""
    app.url_map.converters["int"] = BoundedIntConverter
