"""A trainee logs in on a phone, opens the sample course, marks a lesson done and sees the progress."""

import pytest

from lms.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_trainee_studies_a_lesson_and_sees_progress(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("link", name="Đăng nhập", exact=True).first.click()
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill("hocvien01")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Khóa mẫu về hệ thống quản lý chất lượng").click()
    page.get_by_role("link", name="Bắt đầu học").click()
    assert page.get_by_role("heading", name="Bài mở đầu").is_visible()
    page.get_by_role("button", name="Đánh dấu đã học xong").click()

    assert page.get_by_role("heading", name="Bài hai").is_visible()
    page.get_by_role("link", name="Khóa mẫu về hệ thống quản lý chất lượng").click()
    assert page.get_by_text("Đã học xong 1/3 bài").first.is_visible()
    page.get_by_role("link", name="Học tiếp từ chỗ đã dừng").click()
    assert page.get_by_role("heading", name="Bài hai").is_visible()


def test_keyboard_user_reaches_the_login_form(page, live_server):
    page.goto(live_server + "/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Chuyển đến nội dung chính"
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").focus()
    page.keyboard.type("khong-ton-tai")
    page.keyboard.press("Tab")
    page.keyboard.type("sai-mat-khau")
    page.keyboard.press("Enter")
    assert page.get_by_role("alert").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng."
