"""The attempt API over HTTP: lifecycle, no answer key before closing, bad input refused with nothing changed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from lms.quizzes.models import Attempt, AttemptQuestion
from tests.conftest import fetch_csrf, login

FORBIDDEN_IN_OPEN_ATTEMPT = ('"weight"', '"correct"', '"key_map"', '"truth"', '"explanation"', '"short_answers"',
                            '"numeric_answers"', '"pairs"', '"order_items"', '"snapshot"', '"question_key"')


def api(client, method: str, path: str, body=None, raw: str | None = None):
    headers = {"X-CSRF-Token": fetch_csrf(client)}
    if raw is not None:
        return client.open(path, method=method, data=raw, headers={**headers, "Content-Type": "application/json"})
    return client.open(path, method=method, json=body, headers=headers)


def start(client, exam):
    login(client, exam.trainee.username)
    response = api(client, "POST", f"/api/v1/tests/{exam.quiz.id}/attempts")
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def test_list_start_resume(client, exam):
    login(client, exam.trainee.username)
    tests = client.get("/api/v1/tests").json["tests"]
    assert [t["quiz_id"] for t in tests] == [exam.quiz.id] and tests[0]["can_start"]
    first = api(client, "POST", f"/api/v1/tests/{exam.quiz.id}/attempts").json
    again = api(client, "POST", f"/api/v1/tests/{exam.quiz.id}/attempts").json
    assert first["id"] == again["id"] and len(first["questions"]) == 8
    assert 9 * 60 < first["remaining_seconds"] <= 10 * 60


def test_no_answer_key_reaches_the_browser_before_closing(client, exam):
    attempt = start(client, exam)
    bodies = [json.dumps(attempt), client.get(f"/api/v1/attempts/{attempt['id']}").get_data(as_text=True),
              client.get(f"/api/v1/attempts/{attempt['id']}/result").get_data(as_text=True)]
    for body in bodies:
        for word in FORBIDDEN_IN_OPEN_ATTEMPT:
            assert word not in body


def test_save_then_reload_shows_the_answer(client, exam, db_session):
    attempt = start(client, exam)
    question = next(q for q in attempt["questions"] if q["type"] == "single")
    save = {"saves": [{"position": question["position"], "answer": {"choice": question["choices"][0]["id"]},
                       "seq": 1}]}
    response = api(client, "POST", f"/api/v1/attempts/{attempt['id']}/answers", save)
    assert response.status_code == 200 and response.json["applied"] == [question["position"]]
    again = client.get(f"/api/v1/attempts/{attempt['id']}").json
    stored = next(q for q in again["questions"] if q["position"] == question["position"])
    assert stored["answer"] == {"choice": question["choices"][0]["id"]} and stored["answer_seq"] == 1


def test_late_retry_never_overwrites_a_newer_answer(client, exam):
    attempt = start(client, exam)
    question = next(q for q in attempt["questions"] if q["type"] == "single")
    first, second = question["choices"][0]["id"], question["choices"][1]["id"]
    url = f"/api/v1/attempts/{attempt['id']}/answers"
    api(client, "POST", url, {"saves": [{"position": question["position"], "answer": {"choice": second}, "seq": 5}]})
    stale = api(client, "POST", url, {"saves": [{"position": question["position"], "answer": {"choice": first},
                                                  "seq": 4}]})
    assert stale.json["stale"] == [question["position"]]
    stored = client.get(f"/api/v1/attempts/{attempt['id']}").json["questions"]
    assert next(q for q in stored if q["position"] == question["position"])["answer"] == {"choice": second}


@pytest.mark.parametrize(("raw", "status"), [
    ("{not json", 400),
    ('{"saves": []}', 422),
    ('{"saves": [{"position": 99, "answer": {}, "seq": 1}]}', 422),
    ('{"saves": [{"position": 1, "answer": {"choice": "zzzzzzzz"}, "seq": 1}]}', 422),
    ('{"saves": [{"position": 1, "answer": {}, "seq": 0}]}', 422),
    ('{"saves": [{"position": 1, "answer": {}, "seq": 1, "extra": 1}]}', 422),
    ('[1, 2]', 422),
])
def test_bad_saves_get_a_clear_4xx_and_change_nothing(client, exam, db_session, raw, status):
    attempt = start(client, exam)
    response = api(client, "POST", f"/api/v1/attempts/{attempt['id']}/answers", raw=raw)
    assert response.status_code == status
    assert response.json["error"]["message"]
    answers = db_session.scalars(select(AttemptQuestion.answer).where(AttemptQuestion.attempt_id == attempt["id"]))
    assert all(answer is None for answer in answers)


def test_one_bad_save_rejects_the_whole_batch(client, exam, db_session):
    attempt = start(client, exam)
    good = next(q for q in attempt["questions"] if q["type"] == "single")
    batch = {"saves": [{"position": good["position"], "answer": {"choice": good["choices"][0]["id"]}, "seq": 1},
                       {"position": 77, "answer": {}, "seq": 2}]}
    assert api(client, "POST", f"/api/v1/attempts/{attempt['id']}/answers", batch).status_code == 422
    assert client.get(f"/api/v1/attempts/{attempt['id']}").json["last_seq"] == 0


def test_oversized_body_is_refused(client, exam):
    attempt = start(client, exam)
    big = json.dumps({"saves": [{"position": 1, "answer": {"text": "x" * 300_000}, "seq": 1}]})
    assert api(client, "POST", f"/api/v1/attempts/{attempt['id']}/answers", raw=big).status_code == 400


def test_submit_twice_is_harmless_and_review_follows_the_rules(client, exam, db_session):
    attempt = start(client, exam)
    first = api(client, "POST", f"/api/v1/attempts/{attempt['id']}/submit")
    second = api(client, "POST", f"/api/v1/attempts/{attempt['id']}/submit")
    assert first.status_code == second.status_code == 200
    assert first.json == second.json
    assert first.json["state"] == "closed" and set(first.json["visible"]) == {"score", "passed"}
    assert "questions" not in first.json or first.json["questions"] is None
    stored = db_session.get(Attempt, attempt["id"])
    db_session.refresh(stored)
    assert stored.close_reason == "submitted" and stored.passed is False
    refused = api(client, "POST", f"/api/v1/attempts/{attempt['id']}/answers",
                  {"saves": [{"position": 1, "answer": {}, "seq": 9}]})
    assert refused.status_code == 409


def test_other_people_cannot_reach_an_attempt(client, exam):
    attempt = start(client, exam)
    api(client, "POST", "/logout")
    client.post("/logout", data={"csrf_token": fetch_csrf(client)})
    login(client, exam.other_trainee.username)
    assert client.get(f"/api/v1/attempts/{attempt['id']}").status_code == 404
    client.post("/logout", data={"csrf_token": fetch_csrf(client)})
    login(client, exam.trainer.username)
    assert client.get(f"/api/v1/attempts/{attempt['id']}").status_code == 403


def test_anonymous_gets_401_json(client, exam):
    response = client.get("/api/v1/tests")
    assert response.status_code == 401 and response.json["error"]["status"] == 401


def test_openapi_document_describes_the_lifecycle(client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert {"/api/v1/tests", "/api/v1/tests/{quiz_id}/attempts", "/api/v1/attempts/{attempt_id}",
            "/api/v1/attempts/{attempt_id}/answers", "/api/v1/attempts/{attempt_id}/submit",
            "/api/v1/attempts/{attempt_id}/result", "/api/v1/attempts/{attempt_id}/events"} <= set(paths)
    body = paths["/api/v1/attempts/{attempt_id}/answers"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("/SaveIn")
    assert "SaveItem" in document["components"]["schemas"]


def test_start_and_save_take_the_write_lock_only_for_their_writes(client, exam, monkeypatch):
    """SQLite has one writer: the costly draw and the checks run in a read transaction, the writes after."""
    from lms.db import write_intent
    from lms.quizzes.taking import attempts

    seen = {}
    for name in ("plan_start", "carry_out_start", "save_answers"):
        original = getattr(attempts, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            seen[_name] = write_intent.get()
            return _original(*args, **kwargs)

        monkeypatch.setattr(attempts, name, spy)
    attempt = start(client, exam)
    question = attempt["questions"][0]
    api(client, "POST", f"/api/v1/attempts/{attempt['id']}/answers",
        {"saves": [{"position": question["position"], "answer": {}, "seq": 1}]})
    assert seen == {"plan_start": False, "carry_out_start": True, "save_answers": True}
