"""A trainee takes the end-of-course test on a phone: answers survive going offline, a reload keeps the
server's remaining time, and at the deadline the page submits by itself and the attempt is graded."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from lms.demo import DEMO_PASSWORD
from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

# Test-only setup: the demo trainer closes the sample test's windows still open for the demo class (left by an
# earlier test) and opens a new one, through the services, in the live server's database.
OPEN_WINDOW = """
import sys
from datetime import timedelta
from sqlalchemy import select
from lms import create_app
from lms.auth.models import User
from lms.classes.models import TrainingClass
from lms.db import get_session, utcnow
from lms.demo import DEMO_CLASS
from lms.quizzes.models import Quiz, QuizOpening
from lms.quizzes.taking.openings import close_opening, open_quiz

app = create_app()
with app.app_context():
    session = get_session()
    trainer = session.scalar(select(User).where(User.username == "giangvien"))
    quiz = session.scalar(select(Quiz).where(Quiz.slug == "kiem-tra-cuoi-khoa"))
    training_class = session.scalar(select(TrainingClass).where(TrainingClass.name == DEMO_CLASS))
    now = utcnow()
    still_open = select(QuizOpening).where(QuizOpening.quiz_id == quiz.id, QuizOpening.class_id == training_class.id,
                                           QuizOpening.closes_at > now)
    for opening in session.scalars(still_open).all():
        close_opening(session, trainer, opening, now=now)
    open_quiz(session, trainer, quiz=quiz, training_class=training_class,
              opens_at=now - timedelta(seconds=5), closes_at=now + timedelta(seconds=float(sys.argv[1])))
    session.commit()
"""


def open_window(env: dict, seconds: float) -> None:
    """A window of the sample test for the demo class, the only one open, closing in `seconds`."""
    done = subprocess.run([sys.executable, "-c", OPEN_WINDOW, str(seconds)], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr


def log_in_and_start(page, live_server: str, username: str) -> int:
    page.goto(live_server + "/login")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Bài kiểm tra", exact=True).click()
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/attempts/\d+$"))
    expect_status(page, "saved")
    return int(page.url.rsplit("/", 1)[1])


def expect_status(page, state: str, timeout: float = 10_000) -> None:
    page.wait_for_selector(f"#save-status[data-state={state}]", timeout=timeout)


def answer(question) -> None:
    """Give some answer to one question, whatever its type."""
    kind = question.get_attribute("data-type")
    if kind in ("single", "true_false", "multiple"):
        question.locator("input.answer").first.check()
    elif kind == "short":
        question.locator("input.answer").fill("PDCA")
    elif kind == "numeric":
        question.locator("input.answer").fill("7")
    elif kind == "matching":
        for select in question.locator("select").all():
            select.select_option(index=1)
    elif kind == "ordering":
        question.locator("button.move[data-step='1']").first.click()


def server_attempt(page, attempt_id: int) -> dict:
    return page.evaluate("id => fetch('/api/v1/attempts/' + id).then(r => r.json())", attempt_id)


def seconds_shown(page) -> int:
    minutes, seconds = page.locator("#timer-value").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def test_answers_survive_going_offline_and_the_time_comes_from_the_server(page, live_server, live_env):
    open_window(live_env, 15 * 60)
    attempt_id = log_in_and_start(page, live_server, "hocvien19")
    questions = page.locator("fieldset.question").all()
    assert len(questions) == 8
    for question in questions[:4]:
        answer(question)
    expect_status(page, "saved")

    page.context.set_offline(True)
    for question in questions[4:]:
        answer(question)
    expect_status(page, "offline")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('4')")
    page.context.set_offline(False)
    expect_status(page, "saved")

    stored = server_attempt(page, attempt_id)
    assert [q["position"] for q in stored["questions"] if q["answer"]] == list(range(1, 9))

    before, at = seconds_shown(page), time.monotonic()
    page.reload()
    expect_status(page, "saved")
    after = seconds_shown(page) + (time.monotonic() - at)
    assert abs(after - before) <= 2.5 and 9 * 60 < before <= 10 * 60
    assert page.locator(".qnav-item.is-answered").count() == 8

    # A change the server never got (its saves fail) survives a reload: the page replays it from this device.
    short = page.locator("fieldset[data-type=short]")
    page.route("**/answers", lambda route: route.abort())
    short.locator("input.answer").fill("PDCA sửa")
    expect_status(page, "offline")
    page.reload()
    expect_status(page, "offline")
    assert short.locator("input.answer").input_value() == "PDCA sửa"
    page.unroute("**/answers")
    expect_status(page, "saved")
    position = int(short.get_attribute("data-position"))
    assert server_attempt(page, attempt_id)["questions"][position - 1]["answer"] == {"text": "PDCA sửa"}

    page.get_by_role("button", name="Xem lại và nộp bài").click()
    assert page.locator("#summary-count").inner_text() == "Bạn đã trả lời 8/8 câu hỏi."
    page.get_by_role("button", name="Nộp bài", exact=True).click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/result$"))
    assert page.locator("#attempt-state").get_attribute("data-close-reason") == "submitted"


def test_at_the_deadline_the_page_submits_by_itself_and_the_attempt_is_graded(page, live_server, live_env):
    open_window(live_env, 10)
    attempt_id = log_in_and_start(page, live_server, "hocvien20")
    assert seconds_shown(page) <= 10
    answer(page.locator("fieldset.question").first)
    expect_status(page, "saved")
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/result$"), timeout=20_000)

    stored = server_attempt(page, attempt_id)
    assert stored["state"] == "closed" and stored["questions"][0]["answer"]
    result = page.evaluate("id => fetch('/api/v1/attempts/' + id + '/result').then(r => r.json())", attempt_id)
    assert result["state"] == "closed" and result["score"] is not None and result["passed"] is not None
