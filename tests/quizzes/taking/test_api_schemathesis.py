"""Schemathesis against /api/openapi.json as a logged-in trainee: no server error, every answer as documented."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import fetch_csrf
from tests.quizzes.taking.test_api import start

pytestmark = pytest.mark.schemathesis

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# 7 operations × (25 valid + 15 invalid) cases: under 300 requests, a few seconds.
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}


@pytest.fixture
def trainee(client, exam):
    """A trainee with an attempt started: the cookie and token of a browser session, and real ids to aim at."""
    attempt = start(client, exam)
    # identity: the in-process transport does not undo gzip/brotli (tests/core/test_assets.py tests those)
    return {"cookies": {"session": client.get_cookie("session").value},
            "headers": {"X-CSRF-Token": fetch_csrf(client), "Accept-Encoding": "identity"},
            "ids": {"quiz_id": exam.quiz.id, "attempt_id": attempt["id"]}}


def aim_at_real_ids(case, ids: dict) -> None:
    """Half the generated ids become the trainee's own test or attempt, so the cases reach more than 404s."""
    for name, value in (case.path_parameters or {}).items():
        if isinstance(value, int) and value % 2 == 0 and name in ids:
            case.path_parameters[name] = ids[name]


def test_the_api_keeps_to_its_document(app, trainee):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    calls = []
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def keeps_to_the_document(case):
                aim_at_real_ids(case, trainee["ids"])
                case.cookies = {**(case.cookies or {}), **trainee["cookies"]}  # the document's security schemes
                case.headers = {**(case.headers or {}), **trainee["headers"]}  # are generated: put the real ones
                response = case.call_and_validate(checks=CHECKS)
                calls.append(response.status_code)

            keeps_to_the_document()
    assert 100 <= len(calls) <= 400
    assert 200 in calls and 201 in calls  # the trainee's session really was used
