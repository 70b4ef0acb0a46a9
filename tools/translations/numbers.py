"""Vietnamese for lms/numbers.py (durations)."""

VI = {
    "%(num)d hour": "%(num)d giờ",
    "%(num)d minute": "%(num)d phút",
    "%(num)d second": "%(num)d giây",
}
