"""Configuration read from environment variables, with safe development defaults."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSECURE_DEFAULT_KEY = "dev-only-insecure-key"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings for development; production reads the same names from the environment."""

    ENV_NAME = os.environ.get("LMS_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEFAULT_KEY)
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'lms.sqlite3'}")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    REDIS_URL = os.environ.get("REDIS_URL") or None
    DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "vi")
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(ROOT / "content"))
    DISPLAY_TIMEZONE = "Asia/Ho_Chi_Minh"
    # DejaVuSans.ttf and DejaVuSans-Bold.ttf for the PDF reports (Debian's fonts-dejavu-core puts them here).
    REPORT_FONT_DIR = os.environ.get("REPORT_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 8 * 1024 * 1024))
    # A refused body up to this size is read to its end, so a kept-alive connection still gets the 413 page.
    REQUEST_DRAIN_BYTES = int(os.environ.get("REQUEST_DRAIN_BYTES", 64 * 1024 * 1024))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", ENV_NAME == "production")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # "Keep me logged in" lasts at most 30 days from the log-in (checked on the server too), for trainees only
    # unless REMEMBER_STAFF is on; without it a log-in lasts PERMANENT_SESSION_LIFETIME.
    REMEMBER_COOKIE_DURATION = timedelta(days=max(1, min(30, int(os.environ.get("REMEMBER_COOKIE_DAYS", 30)))))
    REMEMBER_STAFF = _flag("REMEMBER_STAFF", False)
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    # How many reverse proxies (nginx: 1) stand in front and append the client's address to X-Forwarded-For;
    # 0 (the default) ignores forwarded headers, which anyone can forge when no proxy sets them.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
    # A trainee keeps a test page open for an hour or more; the token must outlive it.
    CSRF_TIME_LIMIT_SECONDS = 12 * 3600

    # Wrong passwords for one account from one address: this many are free, then each try waits 2, 4, 8…
    # seconds after the last failure, up to the maximum; the count is forgotten a window after its first failure.
    LOGIN_FAILURES_BEFORE_DELAY = int(os.environ.get("LOGIN_FAILURES_BEFORE_DELAY", 3))
    LOGIN_DELAY_MAX_SECONDS = int(os.environ.get("LOGIN_DELAY_MAX_SECONDS", 900))
    LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", 86400))
    # A generous cap on failures from one client address over all accounts (password spraying).
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "300/hour")
    # Join-a-class forms sent from one client address (lms.classes.roster.join_pages), whatever their outcome.
    JOIN_LIMIT_PER_ADDRESS = os.environ.get("JOIN_LIMIT_PER_ADDRESS", "20/hour")
    # Argon2id cost; tests lower it so the suite stays fast.
    PASSWORD_TIME_COST = 2
    PASSWORD_MEMORY_COST = 19 * 1024
    # Saves that arrive this long after the deadline still count if the change was made before it.
    QUIZ_SAVE_GRACE_SECONDS = float(os.environ.get("QUIZ_SAVE_GRACE_SECONDS", 10))
    # ... but only when the test page was in contact this long before the deadline (it pings in the last minutes).
    QUIZ_LATE_SAVE_CONTACT_SECONDS = float(os.environ.get("QUIZ_LATE_SAVE_CONTACT_SECONDS", 60))
    # Page events (tab hidden, connection lost...) logged per attempt per minute; a burst beyond is summed up.
    QUIZ_EVENTS_PER_MINUTE = int(os.environ.get("QUIZ_EVENTS_PER_MINUTE", 30))
    # A bulk certificate issue runs within the request for a class up to this size, else in a background thread;
    # a worker whose heartbeat is older than the stale limit is taken for dead and its job taken over.
    CERTIFICATE_JOB_INLINE_MAX = int(os.environ.get("CERTIFICATE_JOB_INLINE_MAX", 10))
    CERTIFICATE_JOB_STALE_SECONDS = float(os.environ.get("CERTIFICATE_JOB_STALE_SECONDS", 60))
    # Public certificate checks (page, JSON, number+name form) per client address; Redis when REDIS_URL is set.
    CERT_VERIFY_LIMIT = os.environ.get("CERT_VERIFY_LIMIT", "60/minute")
    # Their log rows are written within each check's request (0), or in batches this often by a thread per worker.
    # Batches stay off by default: with them on, the browser tests' SQLite server once held its write lock for over
    # 30 s (docs/certificates.md; not yet understood).
    CERT_CHECK_LOG_SECONDS = float(os.environ.get("CERT_CHECK_LOG_SECONDS", 0))
    # The in-app sweeper: a thread per worker closes attempts past deadline and grace within about a second, one
    # worker at a time under a lease (database row, or Redis key when REDIS_URL is set). Cron stays a backstop.
    QUIZ_SWEEPER = _flag("QUIZ_SWEEPER", True)
    QUIZ_SWEEPER_INTERVAL_SECONDS = float(os.environ.get("QUIZ_SWEEPER_INTERVAL_SECONDS", 1))
    # The live room pushes the trainer's rows changed by saves in batches this often (0: at once, in the request).
    ROOM_PUSH_SECONDS = float(os.environ.get("ROOM_PUSH_SECONDS", 1))
    TESTING = False


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite:///:memory:")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    PASSWORD_TIME_COST = 1
    PASSWORD_MEMORY_COST = 1024
    REDIS_URL = None
    QUIZ_SWEEPER = False  # tests tick the sweeper themselves, with the injected clock
    ROOM_PUSH_SECONDS = 0
    CERT_CHECK_LOG_SECONDS = 0  # each check's row within its request; tests/certificates/test_check_log.py batches


def check_production_settings(config: dict) -> None:
    """Refuse to start a production app with development secrets."""
    if config.get("ENV_NAME") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == INSECURE_DEFAULT_KEY or len(key) < 32:
        raise RuntimeError("SECRET_KEY must be set to a random value of at least 32 characters in production")
