"""Shared fixtures: one app and one migrated database per run; each test runs inside a rolled-back transaction."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from lms import create_app
from lms.config import TestConfig
from lms.db import db
from lms.migrate import upgrade

FIXTURES = Path(__file__).parent / "fixtures"
CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url):
    """The schema comes from the Alembic migrations, which tests them too."""
    _reset_database(database_url)
    upgrade(database_url)
    application = create_app(TestConfig)
    application.config.update(DATABASE_URL=database_url, CONTENT_DIR=str(FIXTURES / "content"))
    db.init_app(application)
    yield application
    db.engine_for(application).dispose()


def _reset_database(url: str) -> None:
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()


@pytest.fixture
def db_session(app):
    """A session whose commits become savepoints; everything is rolled back after the test."""
    state = db.state(app)
    connection = state["engine"].connect()
    outer = connection.begin()
    state.update(bind=connection, join_transaction_mode="create_savepoint")
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    session.info["app"] = app
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()
        state.update(bind=state["engine"], join_transaction_mode="conditional_savepoint")


@pytest.fixture
def app_ctx(app, db_session):
    """For service tests that need config or translations (no HTTP requests inside)."""
    with app.test_request_context():
        yield


@pytest.fixture
def client(app, db_session):
    app.extensions["login_throttle"].reset(db_session)
    return app.test_client()


def csrf_token_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def fetch_csrf(client) -> str:
    return csrf_token_from(client.get("/", follow_redirects=True).get_data(as_text=True))


def post_form(client, url: str, data: dict | None = None, **kwargs):
    """POST like a browser: with the CSRF token of this client's session."""
    payload = {"csrf_token": fetch_csrf(client), **(data or {})}
    return client.post(url, data=payload, **kwargs)


def login(client, username: str, password: str = "mat-khau-dung-1"):
    response = post_form(client, "/login", {"identifier": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response
