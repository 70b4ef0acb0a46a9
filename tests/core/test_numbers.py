"""Readable scores, percentages and durations in Vietnamese and English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from lms.numbers import format_duration, format_number, format_percent, format_score


@pytest.mark.parametrize(("locale", "expected"), [("vi", "17/30 (56,7 %)"), ("en", "17/30 (56.7%)")])
def test_score_with_share(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert format_score(17, 30) == expected


def test_fractional_points_are_rounded_not_printed_raw(app):
    with app.test_request_context(), force_locale("vi"):
        assert format_score(16 / 3, 30) == "5,33/30 (17,8 %)"
        assert format_number(0.333333) == "0,3"
        assert format_percent(100) == "100 %"
        assert format_score(None, 30) == "—"
        assert format_score(3, 0) == "—"


@pytest.mark.parametrize(("locale", "seconds", "expected"), [
    ("vi", 760, "12 phút 40 giây"),
    ("vi", 0, "0 giây"),
    ("vi", 3600 + 5, "1 giờ 0 phút 5 giây"),
    ("en", 61, "1 minute 1 second"),
    ("en", 7260, "2 hours 1 minute"),
])
def test_durations(app, locale, seconds, expected):
    with app.test_request_context(), force_locale(locale):
        assert format_duration(timedelta(seconds=seconds)) == expected
        assert format_duration(seconds) == expected
