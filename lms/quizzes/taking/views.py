"""Trainee pages of tests: my tests, the test-taking page, the result page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from lms.auth.models import Role
from lms.db import get_session, utcnow
from lms.errors import RuleViolation
from lms.hooks import fire
from lms.quizzes.models import Attempt, AttemptState
from lms.quizzes.taking import attempts as attempt_rules
from lms.quizzes.taking.api import client_info, contact_seconds, grace, own_attempt
from lms.quizzes.taking.catalogue import tests_for_trainee
from lms.quizzes.taking.lateness import note_contact
from lms.quizzes.taking.openings import get_quiz
from lms.quizzes.taking.review import public_questions, result_view
from lms.security import roles_required

bp = Blueprint("quizzes", __name__, template_folder="../templates")
DETAIL_ITEMS = {"correct_answers", "explanations"}
# What the test page needs besides itself, kept by the service worker for a reload without network.
OFFLINE_ASSETS = ("css/app.css", "js/attempt.js", "favicon.svg")


@bp.get("/tests")
@roles_required(Role.TRAINEE)
def my_tests():
    session = get_session()
    now = utcnow()
    tests = tests_for_trainee(session, current_user, now=now, grace_seconds=grace())
    session.commit()  # listing closes overdue attempts lazily
    groups = {"open": [], "upcoming": [], "past": []}
    for test in tests:
        groups["open" if test.is_open else "upcoming" if test.opens_at > now else "past"].append(test)
    return render_template("quizzes/my_tests.html", groups=groups,
                           result_ids=_last_closed_attempts(session, [t.quiz_id for t in tests]))


def _last_closed_attempts(session, quiz_ids: list[int]) -> dict[int, int]:
    """The latest closed attempt of the current trainee per test, for the "see result" links."""
    found = {}
    for quiz_id in quiz_ids:
        closed = [a for a in attempt_rules.attempts_of(session, quiz_id, current_user.id)
                  if a.state == AttemptState.CLOSED]
        if closed:
            found[quiz_id] = closed[-1].id
    return found


@bp.post("/tests/<int:quiz_id>/start")
@roles_required(Role.TRAINEE)
def start_attempt(quiz_id: int):
    session = get_session()
    try:
        attempt = attempt_rules.start_attempt(session, current_user, get_quiz(session, quiz_id), now=utcnow(),
                                              client=client_info(), grace_seconds=grace())
    except RuleViolation as error:
        session.rollback()
        flash(error.message, "error")
        return redirect(url_for("quizzes.my_tests"))
    session.commit()
    # the class's live room, after the commit
    fire("attempt_changed", attempt_id=attempt.id, opening_id=attempt.opening_id, user_id=attempt.user_id)
    return redirect(url_for("quizzes.take_attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@roles_required(Role.TRAINEE)
def take_attempt(attempt_id: int):
    session = get_session()
    attempt = _current_attempt(session, attempt_id)
    if attempt.state != AttemptState.OPEN:
        return redirect(url_for("quizzes.attempt_result", attempt_id=attempt.id))
    now = utcnow()
    note_contact(attempt, now=now)
    session.commit()
    return render_template("quizzes/attempt.html", attempt=attempt, questions=public_questions(attempt),
                           remaining_seconds=int(attempt_rules.remaining_seconds(attempt, now)),
                           contact_seconds=contact_seconds())


@bp.get("/attempts/<int:attempt_id>/result")
@roles_required(Role.TRAINEE)
def attempt_result(attempt_id: int):
    session = get_session()
    attempt = _current_attempt(session, attempt_id)
    if attempt.state == AttemptState.OPEN:
        return redirect(url_for("quizzes.take_attempt", attempt_id=attempt.id))
    now = utcnow()
    view = result_view(session, attempt, now, grace_seconds=grace())
    details_later = not view.get("questions") and not view.get("keys_held") and now < attempt.opening.closes_at \
        and bool(DETAIL_ITEMS & set(attempt.quiz.review_after_close))
    return render_template("quizzes/result.html", attempt=attempt, result=view, details_later=details_later)


@bp.get("/attempts/service-worker.js")
def service_worker():
    """The test pages' service worker (public: it holds no personal data), versioned by the static files' hashes."""
    manifest = current_app.extensions["asset_manifest"]
    assets = [url_for("static", filename=name) for name in OFFLINE_ASSETS]
    body = render_template("quizzes/service_worker.js", version=manifest.version, assets=assets)
    response = make_response(body)
    response.mimetype = "text/javascript"
    return response


def _current_attempt(session, attempt_id: int) -> Attempt:
    """The trainee's own attempt (404 for anyone else), closed first if its deadline has passed."""
    attempt = own_attempt(attempt_id)
    if attempt_rules.close_if_overdue(session, attempt, now=utcnow(), grace_seconds=grace()):
        session.commit()
    return attempt
