"""The test page on a weak phone link: transfer sizes of a cold and a warm load, an offline reload that keeps
every unsent answer, the result within 2 s of reconnecting after the deadline, and the 360 px layout."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.test_exam_flow import (
    answer,
    expect_status,
    log_in_and_start,
    open_window,
    seconds_shown,
    server_attempt,
)

pytestmark = pytest.mark.browser

COLD_BUDGET = 35 * 1024
WARM_BUDGET = 15 * 1024
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1000 / 8, "uploadThroughput": 400 * 1000 / 8}


class Transfer:
    """Bytes the page's requests moved over the network (Chromium's encodedDataLength, headers included)."""

    def __init__(self, page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.bytes: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        self.cdp.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        self.cdp.on("Network.loadingFinished", lambda e: self.bytes.__setitem__(e["requestId"], e["encodedDataLength"]))

    def reset(self) -> None:
        self.bytes.clear()
        self.urls.clear()

    def total(self) -> int:
        return int(sum(self.bytes.values()))

    def report(self) -> str:
        return ", ".join(f"{self.urls.get(k, '?').rsplit('/', 1)[-1]}={int(v)}" for k, v in self.bytes.items())


def kept_copy(page, attempt_id: int, *, expected: bool, timeout: float = 10) -> bool:
    """Whether the service worker's cache holds the attempt's page, waiting up to `timeout` for `expected`."""
    deadline = time.monotonic() + timeout
    while True:
        kept = page.evaluate("id => caches.has('lms-attempt-' + id)", attempt_id)
        if kept == expected or time.monotonic() > deadline:
            return kept
        time.sleep(0.1)


@pytest.fixture
def lean_page(browser):
    """A phone-sized page without the service worker, so every byte is seen on the page's own network."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", service_workers="block")
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_cold_and_warm_loads_stay_under_the_byte_budgets_on_slow_3g(lean_page, live_server, live_env):
    page = lean_page
    open_window(live_env, 15 * 60)
    transfer = Transfer(page)
    attempt_id = log_in_and_start(page, live_server, "hocvien11")
    transfer.cdp.send("Network.clearBrowserCache")
    transfer.cdp.send("Network.emulateNetworkConditions", SLOW_3G)

    transfer.reset()
    started = time.monotonic()
    page.goto(f"{live_server}/attempts/{attempt_id}", wait_until="load")
    expect_status(page, "saved", timeout=20_000)
    cold_seconds, cold = time.monotonic() - started, transfer.total()
    print(f"\ncold load on 400 kbps / 400 ms: {cold} bytes, usable after {cold_seconds:.2f} s ({transfer.report()})")

    transfer.reset()
    started = time.monotonic()
    page.reload(wait_until="load")
    expect_status(page, "saved", timeout=20_000)
    warm_seconds, warm = time.monotonic() - started, transfer.total()
    print(f"warm reload on 400 kbps / 400 ms: {warm} bytes, usable after {warm_seconds:.2f} s ({transfer.report()})")
    assert cold < COLD_BUDGET, transfer.report()
    assert warm < WARM_BUDGET

    # Reported only: from pressing the button on "my tests" (the start, its redirect, the page) to a usable test.
    page.goto(f"{live_server}/tests")
    transfer.cdp.send("Network.clearBrowserCache")
    started = time.monotonic()
    page.get_by_role("button", name="Tiếp tục làm bài").click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}$"))
    expect_status(page, "saved", timeout=20_000)
    print(f"button to usable test, cold cache, 400 kbps / 400 ms: {time.monotonic() - started:.2f} s")


def test_an_offline_reload_shows_the_test_with_its_unsent_answers_which_reach_the_server_later(
        page, live_server, live_env):
    open_window(live_env, 15 * 60)
    attempt_id = log_in_and_start(page, live_server, "hocvien12")
    assert kept_copy(page, attempt_id, expected=True)
    questions = page.locator("fieldset.question").all()
    answer(questions[0])
    expect_status(page, "saved")

    page.context.set_offline(True)
    answer(questions[1])
    answer(questions[2])
    expect_status(page, "offline")
    before, at = seconds_shown(page), time.monotonic()
    page.reload()
    assert page.locator("#offline-copy").is_visible()
    assert page.locator(".qnav-item.is-answered").count() == 3
    after = seconds_shown(page) + (time.monotonic() - at)
    assert abs(after - before) <= 3 and before > 9 * 60

    page.context.set_offline(False)
    expect_status(page, "saved")
    assert not page.locator("#offline-copy").is_visible()
    stored = server_attempt(page, attempt_id)
    assert [q["position"] for q in stored["questions"] if q["answer"]] == [1, 2, 3]

    # The next person on this browser finds no copy of the page: logging out deletes it.
    page.get_by_role("button", name="Đăng xuất").click()
    assert not kept_copy(page, attempt_id, expected=False)


def test_coming_back_after_the_deadline_shows_the_result_within_two_seconds(page, live_server, live_env):
    open_window(live_env, 15)
    attempt_id = log_in_and_start(page, live_server, "hocvien13")
    page.context.set_offline(True)
    answer(page.locator("fieldset.question").first)
    page.wait_for_function("() => document.getElementById('timer-value').textContent === '00:00'", timeout=25_000)
    page.wait_for_timeout(4000)  # offline past the deadline: the page has tried to submit and keeps trying
    assert re.search(rf"/attempts/{attempt_id}$", page.url)
    back = time.monotonic()
    page.context.set_offline(False)
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/result$"), timeout=10_000)
    waited = time.monotonic() - back
    print(f"\nresult shown {waited:.2f} s after the connection returned")
    assert waited < 2
    assert not kept_copy(page, attempt_id, expected=False)  # submitted: the kept copy is gone


def test_at_360_px_question_one_is_on_the_first_screen_and_two_tabs_reach_it(page, live_server, live_env):
    open_window(live_env, 15 * 60)
    log_in_and_start(page, live_server, "hocvien14")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Chuyển đến câu 1"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "q-1"
    page.evaluate("window.scrollTo(0, 0)")

    first = page.locator("#q-1")
    box = first.locator("legend").bounding_box()
    assert box["y"] + box["height"] <= 740, box
    assert not page.locator("#qnav").is_visible()
    toggle = page.locator("#qnav-toggle")
    assert page.locator(".attempt-bar").bounding_box()["height"] < 90
    toggle.click()
    assert page.locator("#qnav").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.locator(".qnav-item[data-position='2']").click()
    assert not page.locator("#qnav").is_visible()


    page.get_by_role("button", name="Xem lại và nộp bài").click()
    for button in page.locator("#summary .actions button").all():
        assert button.bounding_box()["height"] >= 44


def test_on_a_wide_screen_the_navigator_shows_without_its_button(browser, live_server, live_env):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        open_window(live_env, 15 * 60)
        log_in_and_start(page, live_server, "hocvien15")
        assert page.locator("#qnav").is_visible() and not page.locator("#qnav-toggle").is_visible()
    finally:
        context.close()
