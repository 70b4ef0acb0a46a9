"""`flask lms certificates ...`: rotate-key, export-keys, verify-offline (exit codes, no database), list, issue."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from lms.certificates import cli as certificates_cli
from lms.certificates.payload import b64url, fields_from_certificate, qr_text
from tests.certificates.conftest import BASE_URL, issue


@pytest.fixture
def runner(app, db_session):
    return app.test_cli_runner()


def run(runner, *args):
    return runner.invoke(args=["lms", "certificates", *args])


def test_issue_a_class_then_list(runner, db_session, finished):
    code = finished.training_class.code
    result = run(runner, "issue", "--class", code)
    assert result.exit_code == 0, result.output
    assert f"class {code}: 1 issued, 0 already had one, 2 not eligible" in result.output
    assert "Đặng Kim Lợi: 62 % < 70 %" in result.output
    again = run(runner, "issue", "--class", code)
    assert "0 issued, 1 already had one, 2 not eligible" in again.output
    listed = run(runner, "list", "--class", code, "--json")
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [(r["holder_name"], r["status"]) for r in rows] == [("Nguyễn Thị Hương", "valid")]
    assert "1 certificate(s)" in run(runner, "list").output
    assert run(runner, "list", "--class", "NOPE").exit_code != 0
    assert run(runner, "issue", "--class", "NOPE").exit_code != 0


def test_verify_offline_with_a_key_file_needs_no_database(runner, db_session, finished, tmp_path, monkeypatch):
    certificate = issue(db_session, finished)
    db_session.commit()
    keys_file = tmp_path / "keys.json"
    assert run(runner, "export-keys", "--output", str(keys_file)).exit_code == 0
    assert json.loads(keys_file.read_text())["keys"][0]["kid"] == certificate.key_id

    def no_database():
        raise AssertionError("the database was used")

    monkeypatch.setattr(certificates_cli, "get_session", no_database)
    text = qr_text(certificate, BASE_URL)
    good = run(runner, "verify-offline", text, "--keys", str(keys_file))
    assert good.exit_code == 0, good.output
    assert "holder: Nguyễn Thị Hương" in good.output and "year of birth: 1985" in good.output
    assert f"number: {certificate.number}" in good.output and "VALID" in good.output

    forged_fields = replace(fields_from_certificate(certificate), holder_name="Nguyễn Văn Giả")
    forged = text.split("&d=")[0] + "&d=" + b64url(forged_fields.data_bytes())
    bad = run(runner, "verify-offline", forged, "--keys", str(keys_file))
    assert bad.exit_code == 1 and "INVALID" in bad.output and "Nguyễn Văn Giả" in bad.output
    assert run(runner, "verify-offline", "https://x.vn/nothing", "--keys", str(keys_file)).exit_code == 1
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert run(runner, "verify-offline", text, "--keys", str(broken)).exit_code == 1


def test_rotate_key_and_database_keys(runner, db_session, finished):
    certificate = issue(db_session, finished)
    db_session.commit()
    rotated = run(runner, "rotate-key")
    assert rotated.exit_code == 0 and "new signing key" in rotated.output
    keys = json.loads(run(runner, "export-keys").output)["keys"]
    assert len(keys) == 2 and keys[1]["kid"] == certificate.key_id
    assert run(runner, "verify-offline", qr_text(certificate, BASE_URL)).exit_code == 0  # keys from the database
