"""A trainee passes the test on a phone, the demo class issues the certificate automatically, the trainee
downloads it from My certificates, and the QR code decoded from that PDF opens a verify page saying VALID."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.browser.conftest import ROOT
from tests.browser.test_exam_flow import log_in_and_start, open_window
from tests.certificates.pdftools import decoded_qr_codes

pytestmark = pytest.mark.browser

# Test-only: the right answers of one attempt, as the page would send them (read from the live server's database).
RIGHT_ANSWERS = """
import json, sys
from lms import create_app
from lms.db import get_session
from lms.quizzes.authoring.serialize import question_from_dict
from lms.quizzes.models import Attempt
from lms.quizzes.presentation import PresentedQuestion
from lms.quizzes.taking.grading import correct_answer_public

app = create_app()
with app.app_context():
    saves = []
    for item in get_session().get(Attempt, int(sys.argv[1])).questions:
        key = correct_answer_public(question_from_dict(item.snapshot),
                                    PresentedQuestion.from_storage_dict(item.presentation))
        if "texts" in key:
            key = {"text": key["texts"][0]}
        elif "ranges" in key:
            key = {"text": f"{key['ranges'][0]['min']:g}"}
        saves.append({"position": item.position, "answer": key, "seq": 1000 + item.position})
    print(json.dumps({"saves": saves}))
"""
SAVE = """([id, body]) => fetch('/api/v1/attempts/' + id + '/answers', {method: 'POST', body: JSON.stringify(body),
  headers: {'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector('[data-csrf]').dataset.csrf}})
  .then(r => r.status)"""


def right_answers(env: dict, attempt_id: int) -> dict:
    done = subprocess.run([sys.executable, "-c", RIGHT_ANSWERS, str(attempt_id)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_pass_gives_a_certificate_whose_qr_verifies_as_valid(page, live_server, live_env, tmp_path):
    open_window(live_env, 15 * 60)
    attempt_id = log_in_and_start(page, live_server, "hocvien03")
    assert page.evaluate(SAVE, [attempt_id, right_answers(live_env, attempt_id)]) == 200
    page.reload()
    page.get_by_role("button", name="Xem lại và nộp bài").click()
    page.get_by_role("button", name="Nộp bài", exact=True).click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/result$"))

    page.get_by_role("link", name="Chứng chỉ", exact=True).click()
    assert "Hiệu lực" in page.locator("table.data").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    pdf = tmp_path / "chung-chi.pdf"
    download.value.save_as(pdf)

    [qr] = decoded_qr_codes(pdf.read_bytes())
    assert qr.startswith(live_server + "/verify/")
    page.goto(qr)
    status = page.locator("#status")
    assert status.get_attribute("data-status") == "valid"
    assert "HỢP LỆ" in status.inner_text()
