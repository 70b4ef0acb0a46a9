"""Roster pages: upload → preview with row problems and choices → confirm; template; login slips PDF; CLI."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from lms.classes.models import Enrolment
from lms.classes.roster.models import RosterUpload
from tests.classes.roster.helpers import csv_bytes, eighty_people, person, roster_world, xlsx
from tests.conftest import fetch_csrf, login, post_form


@pytest.fixture
def world(app, db_session):
    with app.test_request_context():
        built = roster_world(db_session)
    db_session.commit()
    return built


def upload(client, class_id, data, filename="ds.xlsx"):
    return client.post(f"/classes/{class_id}/roster/import", data={
        "csrf_token": fetch_csrf(client), "file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def enrolled(db_session, class_id) -> int:
    return db_session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.class_id == class_id))


def test_upload_preview_fix_and_confirm(client, db_session, world):
    login(client, "btc1")
    class_id = world["class"].id
    bad = upload(client, class_id, xlsx([person("Trần Văn Bình", born="30/02/1980"), person(""),
                                         person("Lê Văn Cường", unit="UBND xa An Phu Moi")]))
    assert bad.status_code == 302
    preview_url = bad.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "3 dòng có lỗi" in page or "3 rows have problems" in page
    assert 'id="row-2"' in page and "không tồn tại" in page and 'name="unit-4"' in page
    assert 'id="confirm-import"' not in page
    refused = post_form(client, preview_url, {"action": "confirm"})
    assert refused.status_code == 400 and enrolled(db_session, class_id) == 0
    good = upload(client, class_id, xlsx([person("Trần Văn Bình"), person("Lê Văn Cường", born="01/01/1990",
                                                                           unit="UBND xa An Phu Moi")]))
    preview_url = good.headers["Location"]
    chosen = post_form(client, preview_url, {"action": "check", "unit-3": str(world["commune"].id)})
    assert chosen.status_code == 200 and 'id="confirm-import"' in chosen.get_data(as_text=True)
    done = post_form(client, preview_url, {"action": "confirm", "unit-3": str(world["commune"].id)})
    assert done.status_code == 302 and enrolled(db_session, class_id) == 2
    assert db_session.scalar(select(func.count()).select_from(RosterUpload)) == 0
    assert client.get(preview_url).status_code == 404  # the upload is gone once used


def test_unusable_uploads_get_a_clear_message(client, world):
    login(client, "btc1")
    for data, name in ((b"", "ds.xlsx"), (b"%PDF-1.4", "ds.xlsx"), (b"x", "ds.doc")):
        response = upload(client, world["class"].id, data, name)
        assert response.status_code == 400 and 'id="import-error"' in response.get_data(as_text=True)


def test_an_upload_belongs_to_its_uploader(client, db_session, world, app):
    login(client, "btc1")
    location = upload(client, world["class"].id, csv_bytes([person()]), "ds.csv").headers["Location"]
    other = app.test_client()
    login(other, "quantri")
    assert other.get(location).status_code == 404


def test_templates_open_with_the_vietnamese_headers(client, world):
    login(client, "btc1")
    sheet = load_workbook(io.BytesIO(client.get(f"/classes/{world['class'].id}/roster/template.xlsx").data)).active
    assert [c.value for c in sheet[1]][:3] == ["Họ và tên", "Ngày sinh", "Giới tính"]
    text = client.get(f"/classes/{world['class'].id}/roster/template.csv").data.decode("utf-8-sig")
    assert text.startswith("Họ và tên,Ngày sinh")


def test_login_slips_give_first_passwords_only_to_unchanged_accounts(app, client, db_session, world):
    login(client, "btc1")
    class_id = world["class"].id
    location = upload(client, class_id, xlsx(eighty_people()[:10] + [person("Lê Thị Thu", born="04/05/1990")]))
    location = location.headers["Location"]
    assert post_form(client, location, {"action": "confirm"}).status_code == 302
    assert enrolled(db_session, class_id) == 11
    page = client.get(f"/classes/{class_id}/roster/slips").get_data(as_text=True)
    assert "thult" not in page  # the existing account chose its own password already
    response = post_form(client, f"/classes/{class_id}/roster/slips")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) == 2 and "Nguyễn Thị An" in text and "http://" in text
    lines = text.splitlines()
    username = lines[lines.index("Bùi Thị An") + 3]
    password = lines[lines.index(username) + 2]
    assert "Đặng Thị An" in lines and username == "anbt" and "lần đăng nhập đầu tiên" in text.replace("\n", " ")
    fresh = app.test_client()
    login(fresh, username, password)
    assert fresh.get("/courses/khoa-mau").headers["Location"].endswith("/account/password")
    assert post_form(client, f"/classes/{class_id}/roster/slips").status_code == 200  # new passwords again


def test_cli_dry_run_and_exit_status(app, db_session, world, tmp_path):
    runner = app.test_cli_runner()
    code = world["class"].code
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([person("Trần Văn Bình"), person(""), person("Lê Văn Cường", born="31/04/1990")]))
    result = runner.invoke(args=["lms", "classes", "import-roster", str(bad), "--class", code])
    assert result.exit_code == 1 and "row 3:" in result.output and "row 4:" in result.output
    assert "row 2:" not in result.output and enrolled(db_session, world["class"].id) == 0
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([person("Trần Văn Bình"), person("Lê Văn Cường", born="30/04/1990")]))
    dry = runner.invoke(args=["lms", "classes", "import-roster", str(good), "--class", code, "--dry-run"])
    assert dry.exit_code == 0 and enrolled(db_session, world["class"].id) == 0
    real = runner.invoke(args=["lms", "classes", "import-roster", str(good), "--class", code.lower()])
    assert real.exit_code == 0 and enrolled(db_session, world["class"].id) == 2
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert runner.invoke(args=["lms", "classes", "import-roster", str(empty), "--class", code]).exit_code == 1
    assert runner.invoke(args=["lms", "classes", "import-roster", str(good), "--class", "NOPE"]).exit_code == 2


def test_a_clash_at_commit_imports_nothing_and_says_so(client, db_session, world, monkeypatch):
    from lms.classes.roster.importing import UsernameMaker

    login(client, "btc1")
    location = upload(client, world["class"].id, xlsx([person("Trần Văn Bình")])).headers["Location"]
    monkeypatch.setattr(UsernameMaker, "make", lambda self, name: "thult")  # taken between preview and commit
    response = post_form(client, location, {"action": "confirm"})
    assert response.status_code == 302 and response.headers["Location"].endswith(location.split("/", 3)[-1])
    assert enrolled(db_session, world["class"].id) == 0
    assert "cùng lúc" in client.get(location).get_data(as_text=True)
