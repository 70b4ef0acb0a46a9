"""Limits on JSON API bodies: size and depth checked on the raw text before any parsing, a clear 400 otherwise."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from lms.api import MAX_JSON_BYTES, MAX_JSON_DEPTH, json_depth_exceeds
from lms.quizzes.models import AttemptQuestion
from tests.conftest import fetch_csrf
from tests.quizzes.taking.test_api import api, start

DEEP = 100_000


def saves_url(attempt) -> str:
    return f"/api/v1/attempts/{attempt['id']}/answers"


@pytest.mark.parametrize("raw", [
    "[" * DEEP + "]" * DEEP,
    '{"saves": ' + "[" * DEEP + "]" * DEEP + "}",
    '{"saves": [{"position": 1, "seq": 1, "answer": ' + '{"a":' * 40_000 + "1" + "}" * 40_000 + "}]}",
    "[" * DEEP,  # not even closed
])
def test_json_nested_100000_levels_is_a_clear_400(client, exam, db_session, raw):
    attempt = start(client, exam)
    assert len(raw.encode()) <= MAX_JSON_BYTES  # refused for its depth, not its size
    response = api(client, "POST", saves_url(attempt), raw=raw)
    assert response.status_code == 400
    assert response.json["error"]["status"] == 400
    assert "lồng nhau quá sâu" in response.json["error"]["message"]
    answers = db_session.scalars(select(AttemptQuestion.answer).where(AttemptQuestion.attempt_id == attempt["id"]))
    assert all(answer is None for answer in answers)


def test_every_json_body_of_the_api_has_the_limits(client, exam):
    attempt = start(client, exam)
    deep = "[" * DEEP + "]" * DEEP
    response = api(client, "POST", f"/api/v1/attempts/{attempt['id']}/events", raw=deep)
    assert response.status_code == 400 and "lồng nhau quá sâu" in response.json["error"]["message"]


def test_the_deepest_real_answer_is_well_within_the_limit(client, exam):
    attempt = start(client, exam)
    question = next(q for q in attempt["questions"] if q["type"] == "matching")
    pairs = {left["id"]: question["right"][0]["id"] for left in question["left"]}
    body = {"saves": [{"position": question["position"], "answer": {"pairs": pairs}, "seq": 1}]}
    response = api(client, "POST", saves_url(attempt), body)
    assert response.status_code == 200, response.json


def test_a_chunked_body_without_content_length_is_measured_too(client, exam):
    attempt = start(client, exam)
    big = json.dumps({"saves": [{"position": 1, "answer": {"text": "x" * (MAX_JSON_BYTES + 10)}, "seq": 1}]})
    response = client.post(saves_url(attempt), input_stream=io.BytesIO(big.encode()),
                           environ_overrides={"wsgi.input_terminated": True},  # as a server that de-chunks
                           headers={"X-CSRF-Token": fetch_csrf(client), "Content-Type": "application/json",
                                    "Transfer-Encoding": "chunked"})
    assert response.request.content_length is None
    assert response.status_code == 400 and "quá lớn" in response.json["error"]["message"]


@pytest.mark.parametrize("raw", ['{"saves": [{"position": 1, "seq": 1, "answer": {"text": "' + "9" * 5000 + '"}}]}',
                                 '{"saves": [{"position": 1, "seq": ' + "9" * 5000 + ', "answer": null}]}',
                                 b'{"saves": "\xff\xfe"}'])
def test_huge_numbers_and_bad_bytes_are_a_4xx_not_a_500(client, exam, raw):
    attempt = start(client, exam)
    data = raw.decode("latin-1") if isinstance(raw, bytes) else raw
    response = api(client, "POST", saves_url(attempt), raw=data)
    assert response.status_code in (400, 422) and response.json["error"]["message"]


@pytest.mark.parametrize(("text", "deep"), [
    ("[]", False),
    ("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH, False),
    ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), True),
    ('["' + "[" * 100 + '"]', False),  # brackets inside a string do not count
    ('["\\"' + "[" * 100 + '"]', False),  # nor after an escaped quote
    ('["\\\\"' + "," + "[" * 100 + "]" * 100 + "]", True),  # an escaped backslash ends the string
    ("{" + '"a":{' * 20 + "}" * 21, True),
])
def test_depth_is_counted_as_the_parser_counts_it(text, deep):
    assert json_depth_exceeds(text, MAX_JSON_DEPTH) is deep
