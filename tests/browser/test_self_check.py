"""A lesson's self-check asks first: on a phone, a wrong choice shows why, a right one says so, by keyboard too."""

import pytest

from lms.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _open_first_lesson(page, live_server):
    page.goto(live_server + "/login")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill("hocvien02")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Khóa mẫu về hệ thống quản lý chất lượng").click()
    page.get_by_role("link", name="Bài mở đầu").click()
    assert page.get_by_role("heading", name="Bài mở đầu").is_visible()


def test_choose_wrong_see_why_then_choose_right(page, live_server):
    _open_first_lesson(page, live_server)
    check = page.locator("form[data-self-check]").filter(has_text="Bộ phận nào tiếp nhận hồ sơ")
    why = check.get_by_text("Hồ sơ được tiếp nhận tại bộ phận một cửa.").first
    assert not why.is_visible()  # nothing is revealed before the trainee answers

    check.get_by_role("button", name="Kiểm tra").click()
    assert check.get_by_role("status").inner_text() == "Hãy chọn câu trả lời trước."
    assert not why.is_visible()

    url = page.url
    check.get_by_label("Phòng kế toán").check()
    check.get_by_role("button", name="Kiểm tra").click()
    assert check.get_by_role("status").inner_text() == "Chưa đúng. Lý do:"
    assert why.is_visible()
    assert page.url == url  # no reload

    check.get_by_label("Bộ phận một cửa").check()
    assert not why.is_visible()  # a changed answer clears the old verdict
    check.get_by_role("button", name="Kiểm tra").click()
    assert check.get_by_role("status").inner_text() == "Đúng."
    assert why.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # fits a 360 px phone


def test_self_check_works_by_keyboard(page, live_server):
    _open_first_lesson(page, live_server)
    check = page.locator("form[data-self-check]").filter(has_text="Người dân được xem là khách hàng")
    check.get_by_label("Đúng", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    assert check.get_by_role("status").inner_text() == "Đúng."

    ordering = page.locator("form[data-self-check]").filter(has_text="Sắp xếp các bước")
    for place, step in enumerate(["Lập kế hoạch", "Thực hiện", "Kiểm tra", "Hành động"], start=1):
        ordering.get_by_label(step, exact=True).select_option(str(place))
    ordering.get_by_role("button", name="Kiểm tra").focus()
    page.keyboard.press("Enter")
    assert ordering.get_by_role("status").inner_text() == "Đúng."
