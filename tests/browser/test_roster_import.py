"""The organiser imports a class list with problems, sees each row's errors in the preview, uploads the fixed
file (80 trainees), prints the login slips as one PDF, and the class shows 80 trainees."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pypdf import PdfReader

from lms.demo import DEMO_PASSWORD
from tests.browser.conftest import ROOT
from tests.classes.roster.helpers import eighty_people, person, xlsx

pytestmark = pytest.mark.browser

# Test-only setup: an empty class of the demo organising body, made through the service in the live database.
NEW_CLASS = """
from sqlalchemy import select
from lms import create_app
from lms.auth.models import User
from lms.courses.models import Course
from lms.classes.services import create_class
from lms.db import get_session

app = create_app()
with app.app_context(), app.test_request_context():
    session = get_session()
    organiser = session.scalar(select(User).where(User.username == "bantochuc"))
    course = session.scalar(select(Course).where(Course.slug == "khoa-mau"))
    created = create_class(session, organiser, name="Lớp nhập danh sách 80 học viên", course_id=course.id)
    session.commit()
    print(created.id)
"""


def new_class(env: dict) -> int:
    done = subprocess.run([sys.executable, "-c", NEW_CLASS], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def upload(page, path) -> None:
    page.locator("input[type=file]").last.set_input_files(str(path))
    page.locator("form[enctype] button[type=submit]").last.click()


def test_organiser_imports_eighty_trainees_and_prints_their_slips(browser, live_server, live_env, tmp_path):
    class_id = new_class(live_env)
    rows = eighty_people()
    broken = list(rows)
    broken[4] = person("", born="01/01/1980")                                  # row 6: no name
    broken[10] = person("Phan Văn Mười Một", born="31/02/1981", phone="0911000011")  # row 12: impossible date
    broken[20] = person("Tô Thị Hai Mốt", unit="UBND xã Không Có", phone="0911000021")  # row 22: unknown unit
    (tmp_path / "ds-loi.xlsx").write_bytes(xlsx(broken))
    (tmp_path / "ds-dung.xlsx").write_bytes(xlsx(rows))

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill("bantochuc")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(f"{live_server}/classes/{class_id}")
    page.get_by_role("link", name="Nhập danh sách học viên").click()
    upload(page, tmp_path / "ds-loi.xlsx")
    assert "3 dòng có lỗi" in page.locator("#preview-problems").inner_text()
    assert "thiếu họ và tên" in page.locator("#row-6").inner_text()
    assert "không tồn tại" in page.locator("#row-12").inner_text()
    assert "UBND xã Không Có" in page.locator("#row-22").inner_text()
    assert page.locator("#confirm-import").count() == 0

    upload(page, tmp_path / "ds-dung.xlsx")
    assert page.locator("#preview-ok").is_visible()
    page.locator("#confirm-import").click()
    page.wait_for_url(f"{live_server}/classes/{class_id}")
    assert page.get_by_role("heading", name="Danh sách lớp (80)").is_visible()

    page.get_by_role("link", name="Phiếu đăng nhập").first.click()
    with page.expect_download() as download:
        page.locator("#print-slips").click()
    pdf = PdfReader(download.value.path())
    text = "".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) == 10 and text.count("Mật khẩu lần đầu") == 80 and "Nguyễn Thị An" in text

    page.goto(f"{live_server}/classes/{class_id}")
    assert page.get_by_role("heading", name="Danh sách lớp (80)").is_visible()
    assert page.locator("table.data tbody tr").count() == 80
    context.close()


def test_organiser_finds_trainees_without_accents_and_adds_all_shown(page, live_server, live_env):
    class_id = new_class(live_env)
    page.goto(live_server + "/login")
    page.get_by_label("Tên đăng nhập, thư điện tử hoặc số điện thoại").fill("bantochuc")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server}/classes/{class_id}/roster/add")
    page.get_by_label("Tìm (họ tên, tên đăng nhập, điện thoại, email; có dấu hay không dấu đều được)").fill("nguyen")
    page.get_by_role("button", name="Tìm kiếm", exact=True).click()
    names = page.locator("table.data tbody label").all_inner_texts()
    assert names and all(name.startswith("Nguyễn") for name in names)
    page.get_by_label("Chọn tất cả người đang hiển thị").check()
    assert page.locator("input[name=user_ids]:checked").count() == len(names)
    page.get_by_role("button", name="Thêm những người đã chọn").click()
    page.goto(f"{live_server}/classes/{class_id}")
    assert page.get_by_role("heading", name=f"Danh sách lớp ({len(names)})").is_visible()
