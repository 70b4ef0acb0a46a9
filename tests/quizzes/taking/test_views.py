"""Trainee test pages: my tests, starting, the test page (no answer key) and the result page, with who may see them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import url_for

from lms.db import utcnow
from lms.quizzes.models import Attempt
from tests.conftest import fetch_csrf, login, post_form

FORBIDDEN_IN_OPEN_ATTEMPT = ("weight", "correct", "key_map", "truth", "explanation", "short_answers",
                             "numeric_answers", "order_items", "snapshot", "question_key", "km-1")
PAGE_BUDGET_BYTES = 100 * 1024


def english(client) -> None:
    post_form(client, "/language/en")


def start(client, exam) -> int:
    """Log the exam's trainee in and start through the form; returns the attempt id."""
    login(client, exam.trainee.username)
    english(client)
    response = post_form(client, f"/tests/{exam.quiz.id}/start")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    match = re.search(r"/attempts/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def api_post(client, path: str, body=None):
    return client.post(path, json=body or {}, headers={"X-CSRF-Token": fetch_csrf(client)})


def logout(client) -> None:
    client.post("/logout", data={"csrf_token": fetch_csrf(client)})


def test_my_tests_lists_the_open_test_with_a_start_button(client, exam):
    login(client, exam.trainee.username)
    english(client)
    html = client.get("/tests").get_data(as_text=True)
    assert "Bài kiểm tra cuối khóa mẫu" in html and "Open now" in html
    assert f'action="/tests/{exam.quiz.id}/start"' in html and "Start the test" in html
    assert "0 of 2 used" in html
    assert 'href="/tests"' in html  # the trainee's nav link


def test_start_resumes_the_same_attempt_and_the_list_offers_resume(client, exam):
    attempt_id = start(client, exam)
    again = post_form(client, f"/tests/{exam.quiz.id}/start")
    assert again.headers["Location"].endswith(f"/attempts/{attempt_id}")
    html = client.get("/tests").get_data(as_text=True)
    assert "Resume the test" in html and "1 of 2 used" in html


def test_start_refused_by_the_rules_flashes_the_reason(client, exam, db_session):
    exam.opening.closes_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    login(client, exam.trainee.username)
    english(client)
    response = post_form(client, f"/tests/{exam.quiz.id}/start", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.request.path == "/tests"
    assert "This test is not open for you now." in html and "flash-error" in html


def test_used_up_attempts_are_refused(client, exam, db_session):
    exam.quiz.max_attempts = 1
    db_session.commit()
    attempt_id = start(client, exam)
    api_post(client, f"/api/v1/attempts/{attempt_id}/submit")
    html = post_form(client, f"/tests/{exam.quiz.id}/start", follow_redirects=True).get_data(as_text=True)
    assert "You have used all 1 attempts of this test." in html
    assert "You have used all your attempts." in html and "See your last result" in html


def test_attempt_page_renders_accessible_questions_without_any_answer_key(client, exam, db_session):
    attempt_id = start(client, exam)
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert html.count("<fieldset") == 8 and html.count("<legend>") == 8
    assert f'data-api-answers="/api/v1/attempts/{attempt_id}/answers"' in html
    assert 'inputmode="decimal"' in html and "<select" in html and 'class="secondary move"' in html
    assert "<script src=" in html and "<script>" not in html and "style=" not in html
    lowered = html.lower()
    for word in FORBIDDEN_IN_OPEN_ATTEMPT:
        assert word not in lowered, word
    for explanation in explanations_not_in_stems(db_session.get(Attempt, attempt_id)):
        assert explanation not in html


def explanations_not_in_stems(attempt: Attempt) -> list[str]:
    stems = " ".join(item.snapshot["stem"] for item in attempt.questions)
    found = [item.snapshot["explanation"] for item in attempt.questions]
    return [text for text in found if text and text not in stems]


def test_attempt_page_shows_saved_answers_and_flags(client, exam):
    attempt_id = start(client, exam)
    questions = client.get(f"/api/v1/attempts/{attempt_id}").json["questions"]
    single = next(q for q in questions if q["type"] == "single")
    choice = single["choices"][1]["id"]
    saved = api_post(client, f"/api/v1/attempts/{attempt_id}/answers",
                     {"saves": [{"position": single["position"], "answer": {"choice": choice}, "seq": 3,
                                 "flagged": True}]})
    assert saved.status_code == 200
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert f'value="{choice}" checked' in html and 'data-last-seq="3"' in html
    assert f'class="qnav-item is-answered is-flagged" href="#q-{single["position"]}"' in html


def test_page_weight_is_under_the_budget(client, exam):
    attempt_id = start(client, exam)
    html = client.get(f"/attempts/{attempt_id}").get_data()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    names = {re.sub(rb"\.[0-9a-f]{12}\.", b".", path.rsplit(b"/", 1)[-1]) for path in assets}
    assert names >= {b"app.css", b"attempt.js"}
    total = len(html) + sum(len(client.get(path.decode()).get_data()) for path in assets)
    print(f"test page weight: {total} bytes")
    assert total < PAGE_BUDGET_BYTES, f"test page weighs {total} bytes"


def test_closed_attempt_page_goes_to_the_result_and_open_result_goes_back(client, exam):
    attempt_id = start(client, exam)
    assert client.get(f"/attempts/{attempt_id}/result").headers["Location"].endswith(f"/attempts/{attempt_id}")
    api_post(client, f"/api/v1/attempts/{attempt_id}/submit")
    assert client.get(f"/attempts/{attempt_id}").headers["Location"].endswith(f"/attempts/{attempt_id}/result")


def test_result_before_the_window_closes_hides_answers_and_explanations(client, exam, db_session):
    attempt_id = start(client, exam)
    api_post(client, f"/api/v1/attempts/{attempt_id}/submit")
    html = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Score" in html and "Not passed" in html and "Submitted at" in html
    assert "Detailed results will be shown after the test closes" in html
    assert "correct answer" not in html and "Explanation" not in html
    for explanation in explanations_not_in_stems(db_session.get(Attempt, attempt_id)):
        assert explanation not in html


def test_result_after_the_window_closes_shows_answers_and_explanations(app, client, exam, db_session):
    attempt_id = start(client, exam)
    api_post(client, f"/api/v1/attempts/{attempt_id}/submit")
    exam.opening.closes_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    held = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert 'id="keys-held"' in held and "Explanation" not in held  # within the save grace: late saves may come
    exam.opening.closes_at = utcnow() - timedelta(seconds=app.config["QUIZ_SAVE_GRACE_SECONDS"] + 1)
    db_session.commit()
    html = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert 'id="keys-held"' not in html
    assert "correct answer" in html and "Explanation" in html and "Correct order" in html
    assert "Detailed results will be shown" not in html
    assert any(item.snapshot["explanation"] in html for item in db_session.get(Attempt, attempt_id).questions)


def test_result_with_nothing_to_review_says_so(client, exam, db_session):
    exam.quiz.review_after_submit = []
    db_session.commit()
    attempt_id = start(client, exam)
    api_post(client, f"/api/v1/attempts/{attempt_id}/submit")
    html = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Your answers have been submitted" in html and "Score" not in html and "Not passed" not in html


@pytest.mark.parametrize("page", ["/attempts/{id}", "/attempts/{id}/result"])
def test_other_trainee_gets_404(client, exam, page):
    attempt_id = start(client, exam)
    logout(client)
    login(client, exam.other_trainee.username)
    assert client.get(page.format(id=attempt_id)).status_code == 404


@pytest.mark.parametrize("who", ["trainer", "organiser"])
@pytest.mark.parametrize(("method", "page"), [("GET", "/tests"), ("POST", "/tests/{quiz}/start"),
                                              ("GET", "/attempts/{id}"), ("GET", "/attempts/{id}/result")])
def test_staff_get_403(client, exam, who, method, page):
    attempt_id = start(client, exam)
    logout(client)
    login(client, getattr(exam, who).username)
    url = page.format(id=attempt_id, quiz=exam.quiz.id)
    response = post_form(client, url) if method == "POST" else client.get(url)
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "page"), [("GET", "/tests"), ("POST", "/tests/{quiz}/start"),
                                              ("GET", "/attempts/{id}"), ("GET", "/attempts/{id}/result")])
def test_anonymous_goes_to_login(client, exam, method, page):
    attempt_id = start(client, exam)
    logout(client)
    url = page.format(id=attempt_id, quiz=exam.quiz.id)
    response = post_form(client, url) if method == "POST" else client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["anonymous", "trainee", "trainer"])
def test_the_service_worker_is_public_and_names_the_hashed_files(app, client, exam, who):
    if who != "anonymous":
        login(client, getattr(exam, who).username)
    response = client.get("/attempts/service-worker.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    body = response.get_data(as_text=True)
    with app.test_request_context():
        script = url_for("static", filename="js/attempt.js")
    assert f'"{script}"' in body and app.extensions["asset_manifest"].version in body
    assert "lms-attempt-" in body


def test_trainee_pages_write_scores_and_numbers_the_vietnamese_way(client, exam, db_session):
    attempt_id = start(client, exam)
    api_post(client, f"/api/v1/attempts/{attempt_id}/submit")
    post_form(client, "/language/vi")
    attempt = db_session.get(Attempt, attempt_id)
    attempt.score, attempt.max_score, attempt.percent = 17.0, 30.0, 100 * 17 / 30
    exam.quiz.pass_mark_percent = 62.5
    db_session.commit()
    html = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "17/30 (56,7 %)" in html and "62,5 %" in html
    assert "0.56666" not in html and "56.666" not in html
    listing = client.get("/tests").get_data(as_text=True)
    assert "62,5 %" in listing and "56,7 %" in listing
