"""The API is strict: no coercion of types in bodies, 401 for anonymous writes, the document says what is answered."""

from __future__ import annotations

import re

import pytest

import lms.quizzes.taking.api  # noqa: F401  (fills REGISTRY before the parameters are built)
from lms.api import REGISTRY
from tests.conftest import login
from tests.quizzes.taking.test_api import api, start


def a_save(question, **changes) -> dict:
    return {"saves": [{"position": question["position"], "answer": {}, "seq": 1, **changes}]}


@pytest.mark.parametrize(("changes", "field"), [
    ({"seq": "3"}, "saves.0.seq"),
    ({"seq": 3.0}, "saves.0.seq"),
    ({"seq": True}, "saves.0.seq"),
    ({"position": "1"}, "saves.0.position"),
    ({"flagged": 1}, "saves.0.flagged"),
    ({"changed_before_deadline": "true"}, "saves.0.changed_before_deadline"),
])
def test_a_number_or_flag_of_the_wrong_type_is_refused_with_a_message(client, exam, changes, field):
    attempt = start(client, exam)
    response = api(client, "POST", f"/api/v1/attempts/{attempt['id']}/answers", a_save(attempt["questions"][0],
                                                                                       **changes))
    assert response.status_code == 422
    message = response.json["error"]["message"]
    assert field in message and "Input should" not in message  # in the user's language
    assert client.get(f"/api/v1/attempts/{attempt['id']}").json["last_seq"] == 0


def test_the_message_names_the_expected_type(client, exam):
    attempt = start(client, exam)
    response = api(client, "POST", f"/api/v1/attempts/{attempt['id']}/answers",
                   a_save(attempt["questions"][0], seq="3"))
    assert response.json["error"]["message"] == "Dữ liệu không hợp lệ ở 'saves.0.seq': cần một số nguyên"


@pytest.mark.parametrize("body", [{"kind": 1}, {"kind": "hidden", "detail": "x"}, {"kind": ["hidden"]}])
def test_events_are_strict_too(client, exam, body):
    attempt = start(client, exam)
    assert api(client, "POST", f"/api/v1/attempts/{attempt['id']}/events", body).status_code == 422


def _writes():
    return [endpoint for endpoint in REGISTRY if endpoint.method != "GET"]


@pytest.mark.parametrize("endpoint", _writes(), ids=lambda endpoint: endpoint.rule)
@pytest.mark.parametrize("headers", [{}, {"X-CSRF-Token": "forged"}])
def test_anonymous_writes_get_401_json(client, endpoint, headers):
    path = re.sub(r"<int:\w+>", "1", endpoint.rule)
    response = client.post(path, json={"saves": [], "kind": "hidden"}, headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["status"] == 401


def test_anonymous_posts_to_unknown_api_paths_stay_404(client):
    assert client.post("/api/v1/nothing-here", json={}).status_code in (400, 404)


def test_a_page_form_without_a_session_is_still_a_csrf_400(client):
    assert client.post("/login", data={"identifier": "x", "password": "y"}).status_code == 400


def test_the_start_is_documented_as_201(client, exam):
    document = client.get("/api/openapi.json").json
    responses = document["paths"]["/api/v1/tests/{quiz_id}/attempts"]["post"]["responses"]
    assert "201" in responses and "200" not in responses
    assert responses["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/AttemptOut")
    login(client, exam.trainee.username)
    for _new_then_resumed in range(2):
        assert str(api(client, "POST", f"/api/v1/tests/{exam.quiz.id}/attempts").status_code) in responses


def test_the_other_endpoints_are_documented_as_200(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert "200" in paths["/api/v1/attempts/{attempt_id}/answers"]["post"]["responses"]
    assert "201" not in paths["/api/v1/attempts/{attempt_id}/submit"]["post"]["responses"]
