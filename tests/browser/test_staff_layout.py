"""Staff pages use the screen: at 1280 px the results table takes the page's width and names stay on one line;
at 360 px no staff page is wider than the phone (wide tables scroll inside their own box)."""

from __future__ import annotations

import pytest

from lms.demo import DEMO_CLASS, DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, live_server: str, username: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def test_wide_on_a_desktop_and_contained_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        _log_in(page, live_server, "giangvien")
        page.goto(live_server + "/classes")
        class_path = page.get_by_role("link", name=DEMO_CLASS, exact=True).get_attribute("href")
        page.goto(live_server + class_path + "/tests")
        results_path = page.locator("a[href*='/attempts?class_id=']").first.get_attribute("href")
        page.goto(live_server + results_path)
        lines = page.eval_on_selector_all("table.results td .person-name", "els => els.map(e => e.getClientRects().length)")
        assert len(lines) >= 20 and set(lines) == {1}  # every trainee of the demo class, each name on one line
        table_width = page.evaluate("document.querySelector('table.results').getBoundingClientRect().width")
        assert table_width > 1100  # the full page width, not a ~930 px column
        page.set_viewport_size({"width": 360, "height": 740})
        for path in (class_path, class_path + "/tests", results_path, f"{class_path}/report"):
            page.goto(live_server + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} is {width} px wide"
    finally:
        context.close()
