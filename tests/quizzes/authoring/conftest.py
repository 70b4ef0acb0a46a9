"""Fixtures of the bank page tests: a trainer logged in beside a web bank of their organising body."""

from __future__ import annotations

import pytest

from lms.auth.models import Role
from lms.quizzes.authoring import banks
from tests.conftest import login
from tests.factories import load_fixture_content, make_body, make_user


@pytest.fixture
def trainer_bank(client, db_session, app):
    """(client logged in as a trainer, id of a web bank "Bổ sung" of the trainer's body)."""
    body = make_body(db_session)
    course = load_fixture_content(db_session)
    user = make_user(db_session, Role.TRAINER, body=body, username="gv-ngan-hang")
    with app.test_request_context():
        bank = banks.create_bank(db_session, course, slug="bo-sung", title="Bổ sung", body_id=body.id)
    db_session.commit()
    login(client, user.username)
    return client, bank.id
