"""The staff test page says when keys are released, and lets an organiser (only) release them early."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from lms.auth.models import Role
from lms.db import utcnow
from lms.quizzes.models import KeyRelease
from tests.conftest import login, post_form
from tests.factories import make_body, make_user


def _english(client) -> None:
    post_form(client, "/language/en")


def test_organiser_sees_why_keys_are_held_and_releases_them_knowingly(client, exam, db_session):
    login(client, exam.organiser.username)
    _english(client)
    page = client.get(f"/quizzes/{exam.quiz.id}/attempts").get_data(as_text=True)
    assert "Keys are released to trainees when no class" in page and "1 windows open now" in page
    assert "Release to my trainees now" in page
    refused = post_form(client, f"/quizzes/{exam.quiz.id}/release-keys", {})
    assert refused.status_code == 302
    assert db_session.scalar(select(func.count(KeyRelease.id))) == 0
    done = post_form(client, f"/quizzes/{exam.quiz.id}/release-keys", {"understood": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith("#keys")
    release = db_session.scalar(select(KeyRelease))
    assert release.organising_body_id == exam.organiser.organising_body_id
    assert release.released_by_id == exam.organiser.id
    assert "Released early by an organiser" in client.get(f"/quizzes/{exam.quiz.id}/attempts").get_data(as_text=True)


def test_trainer_sees_the_rule_but_cannot_release(client, exam, db_session):
    login(client, exam.trainer.username)
    _english(client)
    page = client.get(f"/quizzes/{exam.quiz.id}/attempts").get_data(as_text=True)
    assert "Keys are released to trainees when no class" in page and "Release to my trainees now" not in page
    assert post_form(client, f"/quizzes/{exam.quiz.id}/release-keys", {"understood": "yes"}).status_code == 403
    assert db_session.scalar(select(func.count(KeyRelease.id))) == 0


def test_organiser_of_another_body_cannot_release(client, exam, db_session):
    other = make_user(db_session, Role.ORGANISER, body=make_body(db_session), username="btc.xa")
    db_session.commit()
    login(client, other.username)
    assert post_form(client, f"/quizzes/{exam.quiz.id}/release-keys", {"understood": "yes"}).status_code == 404
    assert db_session.scalar(select(func.count(KeyRelease.id))) == 0


def test_page_says_released_once_no_window_remains(client, exam, db_session):
    exam.opening.closes_at = utcnow() - timedelta(minutes=5)
    db_session.commit()
    login(client, exam.organiser.username)
    _english(client)
    page = client.get(f"/quizzes/{exam.quiz.id}/attempts").get_data(as_text=True)
    assert "No window is open or scheduled any more." in page and "Release to my trainees now" not in page
