"""Scores, percentages and durations written the way the reader's language writes them ("17/30 (56,7 %)")."""

from __future__ import annotations

from datetime import timedelta

from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_locale, ngettext


def _locale() -> str:
    return str(get_locale() or "vi")


def format_number(value: float | int | None, digits: int = 1, locale: str | None = None) -> str:
    """A number with at most `digits` decimals and the locale's decimal mark: 56,7 in Vietnamese, 56.7 in English."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(round(float(value), digits), format=pattern, locale=locale or _locale())


def format_percent(value: float | int | None, digits: int = 1, locale: str | None = None) -> str:
    """"56,7 %" in Vietnamese, "56.7%" in English."""
    if value is None:
        return "—"
    number = format_number(value, digits, locale)
    return f"{number}%" if (locale or _locale()) == "en" else f"{number} %"


def format_score(score: float | int | None, max_score: float | int | None, locale: str | None = None) -> str:
    """"17/30 (56,7 %)": points to at most two decimals, then the share of the maximum."""
    if score is None or not max_score:
        return "—"
    percent = 100 * float(score) / float(max_score)
    return (f"{format_number(score, 2, locale)}/{format_number(max_score, 2, locale)} "
            f"({format_percent(percent, 1, locale)})")


def format_duration(value: timedelta | float | int | None) -> str:
    """"12 phút 40 giây" / "12 min 40 s"; hours appear from 60 minutes on. Seconds may be given as a number."""
    if value is None:
        return "—"
    seconds = int(round(value.total_seconds() if isinstance(value, timedelta) else float(value)))
    seconds = max(seconds, 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours))
    if minutes or hours:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", minutes))
    if secs or not parts:
        parts.append(ngettext("%(num)d second", "%(num)d seconds", secs))
    return " ".join(parts)


def init_numbers(app: Flask) -> None:
    """Jinja filters: {{ x|number }}, {{ x|percent }}, {{ score|score(max) }}, {{ seconds|duration }}."""
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["score"] = format_score
    app.jinja_env.filters["duration"] = format_duration
