"""The live room with two browsers: the trainer opens the test and the trainee's page moves to it by itself;
the trainer's room shows the trainee's answered count grow, with no reload."""

from __future__ import annotations

import re
import time

import pytest

from lms.demo import DEMO_CLASS, DEMO_PASSWORD
from tests.browser.test_exam_flow import answer, expect_status

pytestmark = pytest.mark.browser
LIVE = "Trực tuyến: đã kết nối"


def log_in(page, live_server: str, username: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))


def test_trainer_opens_the_test_and_the_trainee_follows_live(browser, live_server):
    trainer_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    trainee_context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    for context in (trainer_context, trainee_context):
        context.set_default_timeout(10_000)
    trainer, trainee = trainer_context.new_page(), trainee_context.new_page()
    try:
        log_in(trainer, live_server, "giangvien")
        trainer.goto(live_server + "/classes")
        trainer.get_by_role("link", name=DEMO_CLASS, exact=True).click()
        class_url = trainer.url
        room = trainer.locator("#room")
        room.get_by_text(LIVE).wait_for()

        log_in(trainee, live_server, "hocvien15")
        name = trainee.locator(".main-nav a[href='/account']").inner_text().strip()
        trainee.goto(class_url + "/my")  # the trainee's class page
        trainee.get_by_text(LIVE).first.wait_for()
        row = room.locator("tbody tr", has_text=name)
        row.get_by_text("Chưa bắt đầu").wait_for()  # connected, not in the test yet

        room.get_by_role("button", name="Mở bài kiểm tra cho cả lớp ngay").click()
        started = time.monotonic()
        trainee.wait_for_url(re.compile(r"/attempts/\d+$"), timeout=5_000)  # moved by the room, nobody clicked
        assert time.monotonic() - started < 5
        expect_status(trainee, "saved")

        row.get_by_text("Đang làm bài").wait_for()
        questions = trainee.locator(".question")
        total = questions.count()
        row.locator("td", has_text=re.compile(rf"^0/{total}$")).wait_for()
        answer(questions.nth(0))
        expect_status(trainee, "saved")
        row.locator("td", has_text=re.compile(rf"^1/{total}$")).wait_for()
        if total > 1:
            trainee.locator(".question").nth(1).scroll_into_view_if_needed()
            answer(questions.nth(1))
            expect_status(trainee, "saved")
            row.locator("td", has_text=re.compile(rf"^2/{total}$")).wait_for()
    finally:
        room_close = trainer.get_by_role("button", name="Đóng bài kiểm tra ngay")
        if room_close.count():
            room_close.click()
        trainer_context.close()
        trainee_context.close()


def test_a_trainee_who_reconnects_after_the_test_opened_lands_in_it(browser, live_server):
    trainer_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    trainee_context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    for context in (trainer_context, trainee_context):
        context.set_default_timeout(10_000)
    trainer, trainee = trainer_context.new_page(), trainee_context.new_page()
    try:
        log_in(trainer, live_server, "giangvien")
        trainer.goto(live_server + "/classes")
        trainer.get_by_role("link", name=DEMO_CLASS, exact=True).click()
        class_url = trainer.url
        room = trainer.locator("#room")
        room.get_by_text(LIVE).wait_for()
        log_in(trainee, live_server, "hocvien16")
        trainee.goto(class_url + "/my")
        trainee.get_by_text(LIVE).first.wait_for()

        # the trainee's page loses its connection; the test opens meanwhile
        trainee_context.set_offline(True)
        trainee.get_by_text("Mất kết nối; đang kết nối lại…").first.wait_for(timeout=50_000)  # at worst the ping timeout (25 + 20 s)
        room.get_by_role("button", name="Mở bài kiểm tra cho cả lớp ngay").click()
        room.get_by_text("Bài kiểm tra mở đến", exact=False).first.wait_for()
        assert "/attempts/" not in trainee.url

        trainee_context.set_offline(False)  # back: the page asks for the state and goes into the test
        trainee.wait_for_url(re.compile(r"/attempts/\d+$"), timeout=20_000)
    finally:
        room_close = trainer.get_by_role("button", name="Đóng bài kiểm tra ngay")
        if room_close.count():
            room_close.click()
        trainer_context.close()
        trainee_context.close()
