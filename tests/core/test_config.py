import pytest
from babel.messages.pofile import read_po

from lms import create_app
from lms.config import ROOT, check_production_settings


def test_every_message_has_a_vietnamese_translation():
    with open(ROOT / "lms/translations/vi/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="vi")
    missing = [message.id for message in catalog if message.id and not message.string]
    assert missing == []


def test_catalogue_is_up_to_date_with_the_template():
    with open(ROOT / "lms/translations/messages.pot", "rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    with open(ROOT / "lms/translations/vi/LC_MESSAGES/messages.po", "rb") as handle:
        translated = {m.id for m in read_po(handle, locale="vi") if m.id}
    assert template <= translated


@pytest.mark.parametrize("key", ["dev-only-insecure-key", "short", ""])
def test_production_refuses_a_weak_secret_key(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        check_production_settings({"ENV_NAME": "production", "SECRET_KEY": key})


def test_production_starts_with_a_real_key_and_secure_cookies():
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 40, "SESSION_COOKIE_SECURE": True,
                      "DATABASE_URL": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    from sqlalchemy import text

    from lms.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
