"""`flask lms ...` commands, run through Flask's CLI test runner against the rolled-back test database."""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
from pathlib import Path

import click
import pytest
from sqlalchemy import func, select

from lms.auth.models import Role, User
from lms.classes.models import Enrolment, TrainingClass
from lms.cli import copy_sqlite
from lms.courses.models import Course, Lesson
from lms.migrate import upgrade
from lms.organisations.models import OrganisingBody
from tests.conftest import FIXTURES
from tests.factories import load_fixture_content


@pytest.fixture
def runner(app, db_session):
    """The CLI's get_session() shares the test connection set up by db_session, so its commits are rolled back."""
    return app.test_cli_runner()


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def broken_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content" / "courses" / "khoa-mau", content / "courses" / "khoa-mau")
    lesson = content / "courses/khoa-mau/01-hoc-phan-mot/02-bai-hai.md"
    lines = lesson.read_text(encoding="utf-8").split("\n")
    lines[4] = "duration_minutes: 15: phút"  # line 5: YAML error
    lesson.write_text("\n".join(lines), encoding="utf-8")
    (content / "courses/khoa-mau/02-hoc-phan-hai/module.yaml").write_text("slug: sai-ten\n", encoding="utf-8")
    return content


# --- content sync ----------------------------------------------------------------------------------------------

def test_content_sync_creates_then_reports_unchanged(runner, db_session):
    first = runner.invoke(args=["lms", "content", "sync"])
    assert first.exit_code == 0, first.output
    assert "courses created: khoa-mau" in first.stdout
    assert count(db_session, Course) == 1
    assert count(db_session, Lesson) == 3

    second = runner.invoke(args=["lms", "content", "sync"])
    assert second.exit_code == 0, second.output
    assert "courses created: -" in second.stdout
    assert "courses unchanged: khoa-mau" in second.stdout
    assert count(db_session, Course) == 1
    assert count(db_session, Lesson) == 3


def test_content_sync_of_a_broken_tree_prints_every_problem_and_exits_1(runner, app, db_session, tmp_path,
                                                                        monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_DIR", str(broken_content(tmp_path)))
    result = runner.invoke(args=["lms", "content", "sync"])
    assert result.exit_code == 1
    assert re.search(r"^courses/khoa-mau/01-hoc-phan-mot/02-bai-hai\.md:5: ", result.stderr, re.MULTILINE)
    assert re.search(r"^courses/khoa-mau/02-hoc-phan-hai/module\.yaml:\d+: ", result.stderr, re.MULTILINE)
    assert "nothing was loaded" in result.stderr
    assert "courses created" not in result.stdout
    assert count(db_session, Course) == 0


def test_config_is_restored_after_the_broken_content_test(app):
    assert app.config["CONTENT_DIR"] == str(FIXTURES / "content")


# --- seed-demo -------------------------------------------------------------------------------------------------

def test_seed_demo_twice_creates_nothing_the_second_time(runner, db_session):
    load_fixture_content(db_session)
    first = runner.invoke(args=["lms", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert "bantochuc" in first.stdout and "giangvien" in first.stdout
    columns = {line.index("password:") for line in first.stdout.splitlines() if "password:" in line}
    assert len(columns) == 1  # the passwords line up, however long a username line is
    before = {model: count(db_session, model) for model in (User, OrganisingBody, TrainingClass, Enrolment)}
    assert before[User] == 31  # 3 staff, 20 trainees, 8 of the finished class with certificates
    assert (before[TrainingClass], before[Enrolment]) == (2, 28)

    second = runner.invoke(args=["lms", "seed-demo"])
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.stdout
    assert {model: count(db_session, model) for model in before} == before


def test_create_admin(runner, db_session):
    result = runner.invoke(args=["lms", "create-admin", "--username", "quantri", "--full-name", "Quản  Trị Viên",
                                 "--password", "mat-khau-rat-dai-1"])
    assert result.exit_code == 0, result.output
    admin = db_session.scalar(select(User).where(User.username == "quantri"))
    assert (admin.role, admin.full_name) == (Role.ADMIN, "Quản Trị Viên")
    again = runner.invoke(args=["lms", "create-admin", "--username", "quantri", "--full-name", "Ai Đó",
                                "--password", "mat-khau-rat-dai-1"])
    assert again.exit_code == 1
    assert "Error" in again.output


# --- backup ----------------------------------------------------------------------------------------------------

@pytest.fixture
def file_database(tmp_path) -> Path:
    """A separate SQLite file with the real schema and one organising body."""
    path = tmp_path / "live" / "lms.sqlite3"
    path.parent.mkdir()
    upgrade(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("INSERT INTO organising_bodies (name, short_name, kind, address, created_at) "
                           "VALUES ('Sở Khoa học và Công nghệ', 'Sở KH&CN', 'science_department', '', "
                           "'2026-01-01 00:00:00')")
    return path


def body_names(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [row[0] for row in connection.execute("SELECT name FROM organising_bodies ORDER BY id")]
    finally:
        connection.close()


def test_backup_command_copies_a_sqlite_file(runner, app, file_database, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DATABASE_URL", f"sqlite:///{file_database}")
    target = tmp_path / "backups" / "copy.sqlite3"
    result = runner.invoke(args=["lms", "backup", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert f"backed up to {target}" in result.stdout
    assert body_names(target) == ["Sở Khoa học và Công nghệ"]
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)


def test_backup_command_without_output_writes_next_to_the_database(runner, app, file_database, monkeypatch):
    monkeypatch.setitem(app.config, "DATABASE_URL", f"sqlite:///{file_database}")
    result = runner.invoke(args=["lms", "backup"])
    assert result.exit_code == 0, result.output
    copies = list(file_database.parent.glob("lms.sqlite3.backup-*"))
    assert len(copies) == 1
    assert re.fullmatch(r"lms\.sqlite3\.backup-\d{8}-\d{6}", copies[0].name)
    assert body_names(copies[0]) == ["Sở Khoa học và Công nghệ"]


@pytest.mark.parametrize("url", ["postgresql+psycopg://lms@127.0.0.1:5432/lms", "sqlite:///:memory:", "sqlite://"])
def test_backup_refuses_anything_but_a_sqlite_file(runner, app, tmp_path, monkeypatch, url):
    monkeypatch.setitem(app.config, "DATABASE_URL", url)
    result = runner.invoke(args=["lms", "backup", "--output", str(tmp_path / "x.sqlite3")])
    assert result.exit_code == 1
    assert "pg_dump" in result.output
    assert not (tmp_path / "x.sqlite3").exists()


def test_backup_of_a_missing_file_fails(runner, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DATABASE_URL", f"sqlite:///{tmp_path / 'nope.sqlite3'}")
    result = runner.invoke(args=["lms", "backup", "--output", str(tmp_path / "x.sqlite3")])
    assert result.exit_code == 1
    assert "no database" in result.output


def test_copy_sqlite_includes_committed_rows_still_in_the_wal(file_database, tmp_path):
    writer = sqlite3.connect(file_database)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("INSERT INTO organising_bodies (name, short_name, kind, address, created_at) "
                       "VALUES ('Trung tâm Đào tạo', '', 'training_centre', '', '2026-01-02 00:00:00')")
        writer.commit()
        writer.execute("INSERT INTO organising_bodies (name, short_name, kind, address, created_at) "
                       "VALUES ('Chưa ghi', '', 'other', '', '2026-01-03 00:00:00')")  # not committed
        target = copy_sqlite(file_database, tmp_path / "copy.sqlite3")
    finally:
        writer.rollback()
        writer.close()
    assert body_names(target) == ["Sở Khoa học và Công nghệ", "Trung tâm Đào tạo"]


def test_copy_sqlite_is_consistent_while_another_connection_writes(file_database, tmp_path):
    stop = threading.Event()
    written = []
    errors = []

    def write() -> None:
        connection = sqlite3.connect(file_database, timeout=30)
        try:
            number = 0
            while not stop.is_set() or number < 50:
                number += 1
                with connection:
                    connection.execute(
                        "INSERT INTO organising_bodies (name, short_name, kind, address, created_at) "
                        "VALUES (?, '', 'other', ?, '2026-01-01 00:00:00')", (f"Đơn vị {number}", "x" * 2000))
                written.append(number)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        while len(written) < 20:
            thread.join(0.01)
        target = copy_sqlite(file_database, tmp_path / "snapshot.sqlite3")
        written_at_copy = len(written)
    finally:
        stop.set()
        thread.join(30)
    assert not errors
    names = body_names(target)
    assert names[0] == "Sở Khoa học và Công nghệ"
    copied = names[1:]
    # One consistent snapshot: a gap-free prefix of what the writer committed.
    assert copied == [f"Đơn vị {n}" for n in range(1, len(copied) + 1)]
    assert 20 <= len(copied) <= written_at_copy + 1
    assert len(body_names(file_database)) == len(written) + 1


def test_copy_sqlite_of_a_missing_file_raises(tmp_path):
    with pytest.raises(click.ClickException) as raised:
        copy_sqlite(tmp_path / "nope.sqlite3", tmp_path / "copy.sqlite3")
    assert "no database" in raised.value.message
