"""An audit entry for every sensitive action, written in the same transaction as the change."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import Role
from lms.quizzes.models import QuizOverride
from tests.conftest import fetch_csrf, login, post_form
from tests.factories import make_body, make_user
from tests.quizzes.authoring.test_views import world  # noqa: F401  (a fixture)
from tests.quizzes.conftest import exam  # noqa: F401  (a fixture)
from tests.quizzes.results.test_views import take

HIDDEN = re.compile(r'name="(payload|token)" value="([^"]*)"')


def _entries(db_session, action: str) -> list[AuditEntry]:
    db_session.expire_all()
    return list(db_session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_account_creation_and_password_reset(client, db_session):
    body = make_body(db_session)
    organiser = make_user(db_session, Role.ORGANISER, body=body, username="btc.nhatky", full_name="Trần Văn Bảo")
    trainee = make_user(db_session, Role.TRAINEE, body=body, username="hv.nhatky")
    db_session.commit()
    login(client, organiser.username)
    post_form(client, "/people/new", {"full_name": "Lê Thị Cúc", "username": "le.cuc", "role": "trainee"})
    created = _entries(db_session, "user.create")[-1]
    assert (created.actor_id, created.organising_body_id, created.target_label) == (organiser.id, body.id, "Lê Thị Cúc")
    assert created.after["role"] == "trainee" and created.address == "127.0.0.1"
    post_form(client, f"/people/{trainee.id}/reset-password")
    reset = _entries(db_session, "user.password_reset")[-1]
    assert (reset.target_id, reset.organising_body_id, reset.actor_id) == (trainee.id, body.id, organiser.id)


def test_body_and_unit_settings(client, db_session):
    admin = make_user(db_session, Role.ADMIN, username="qt.nhatky")
    db_session.commit()
    login(client, admin.username)
    post_form(client, "/admin/bodies", {"name": "Trung tâm Đào tạo QTC", "kind": "training_centre"})
    post_form(client, "/admin/units", {"name": "UBND phường Bến Thành", "kind": "ward"})
    body_entry, unit_entry = _entries(db_session, "body.create")[-1], _entries(db_session, "unit.create")[-1]
    assert body_entry.target_label == "Trung tâm Đào tạo QTC" and body_entry.organising_body_id == body_entry.target_id
    assert unit_entry.target_label == "UBND phường Bến Thành" and unit_entry.organising_body_id is None


def test_create_admin_from_the_command_line(app, db_session):
    result = app.test_cli_runner().invoke(args=["lms", "create-admin", "--username", "qt.cli", "--full-name",
                                                "Quản Trị", "--password", "mat-khau-dai-1"])
    assert result.exit_code == 0, result.output
    entry = _entries(db_session, "user.create")[-1]
    assert entry.actor_id is None and entry.after == {"username": "qt.cli", "role": "admin"}


def test_override_key_release_regrade_and_windows(app, client, db_session, exam):  # noqa: F811
    take(app, db_session, exam, exam.trainee)
    login(client, exam.organiser.username)
    body_id = exam.training_class.organising_body_id
    post_form(client, f"/quizzes/{exam.quiz.id}/overrides",
              {"user_id": exam.trainee.id, "extra_minutes": "15", "extra_attempts": "1", "reason": "Mất điện"})
    first = _entries(db_session, "quiz.override")[-1]
    assert first.before == {} and first.after == {"extra_minutes": 15, "extra_attempts": 1, "reason": "Mất điện"}
    post_form(client, f"/quizzes/{exam.quiz.id}/overrides",
              {"user_id": exam.trainee.id, "extra_minutes": "5", "extra_attempts": "0", "reason": ""})
    second = _entries(db_session, "quiz.override")[-1]
    assert second.before["extra_minutes"] == 15 and second.after["extra_minutes"] == 5
    assert second.organising_body_id == body_id and second.target_id == exam.trainee.id
    post_form(client, f"/quizzes/{exam.quiz.id}/release-keys", {"understood": "yes"})
    assert _entries(db_session, "quiz.keys_release")[-1].organising_body_id == body_id
    post_form(client, f"/quizzes/{exam.quiz.id}/regrade")
    assert _entries(db_session, "quiz.regrade")[-1].target_id == exam.quiz.id
    post_form(client, f"/classes/{exam.training_class.id}/tests/{exam.quiz.id}/open", {"mode": "now", "minutes": "30"})
    opened = _entries(db_session, "quiz.window_open")[-1]
    assert opened.organising_body_id == body_id and "closes_at" in opened.after
    post_form(client, f"/openings/{opened.after['opening_id']}/close")
    assert _entries(db_session, "quiz.window_close")[-1].before["closes_at"] == opened.after["closes_at"]
    assert db_session.scalar(select(QuizOverride.extra_minutes)) == 5


def _upload(client, bank_id: int, content: bytes, name: str):
    data = {"csrf_token": fetch_csrf(client), "action": "preview", "file": (io.BytesIO(content), name)}
    return client.post(f"/banks/{bank_id}/import", data=data, content_type="multipart/form-data")


def test_question_key_change_retire_import_and_test_settings(client, db_session, world):  # noqa: F811
    login(client, world["users"][Role.TRAINER].username)
    url = f"/banks/{world['bank']}/questions/{world['question']}/edit"
    text = ("key: bs-001\ntype: single\nmodule: hoc-phan-mot\nstem: Câu web?\noptions:\n"
            "  - {text: Có}\n  - {text: Không, correct: true}\n")
    assert post_form(client, url, {"text": text, "action": "save"}).status_code == 302
    edit = _entries(db_session, "question.edit")[-1]
    assert edit.before["version"] == 1 and edit.after["version"] == 2
    assert edit.before["data"]["options"][0]["weight"] == 100.0 and edit.after["data"]["options"][1]["weight"] == 100.0
    post_form(client, f"/banks/{world['bank']}/questions/{world['question']}/retire")
    assert _entries(db_session, "question.retire")[-1].target_id == world["question"]
    preview = _upload(client, world["bank"], "Câu Aiken?\nA. Có\nB. Không\nANSWER: A\n".encode(), "aiken.txt")
    fields = dict(HIDDEN.findall(preview.get_data(as_text=True)))
    post_form(client, f"/banks/{world['bank']}/import", {"action": "confirm", "module": "", **fields})
    imported = _entries(db_session, "bank.import")[-1]
    assert imported.after == {"file": "aiken.txt", "kind": "aiken", "questions": 1}
    form = {"title": "Kiểm tra web", "title_en": "", "slug": "kiem-tra-web", "time_limit_minutes": "20",
            "pass_mark_percent": "60", "max_attempts": "1", "attempt_policy": "last", "navigation": "free",
            "rules-0-module": "hoc-phan-mot", "rules-0-difficulty": "", "rules-0-tags": "", "rules-0-count": "1"}
    assert post_form(client, "/courses/khoa-mau/tests/new", form).status_code == 302
    saved = _entries(db_session, "quiz.save")[-1]
    assert saved.before is None and saved.after["pass_mark_percent"] == 60


def test_a_refused_change_leaves_no_entry(client, db_session):
    body = make_body(db_session)
    organiser = make_user(db_session, Role.ORGANISER, body=body, username="btc.tuchoi")
    make_user(db_session, Role.TRAINEE, body=body, username="da.co")
    db_session.commit()
    login(client, organiser.username)
    before = len(_entries(db_session, "user.create"))
    response = post_form(client, "/people/new", {"full_name": "Lê Thị Cúc", "username": "da.co", "role": "trainee"})
    assert response.status_code == 400 and len(_entries(db_session, "user.create")) == before


def test_role_change_and_account_edit(client, db_session):
    body = make_body(db_session)
    organiser = make_user(db_session, Role.ORGANISER, body=body, username="btc.sua")
    person = make_user(db_session, Role.TRAINEE, body=body, username="hv.sua", full_name="Lê Văn Tám")
    db_session.commit()
    login(client, organiser.username)
    form = {"full_name": "Lê  Văn Tám", "role": "trainer", "date_of_birth": "", "work_unit_id": "", "position": "",
            "phone": "0912 345 678", "email": ""}
    assert post_form(client, f"/people/{person.id}/edit", form).status_code == 302
    role = _entries(db_session, "user.role_change")[-1]
    assert (role.before, role.after, role.target_id) == ({"role": "trainee"}, {"role": "trainer"}, person.id)
    edit = _entries(db_session, "user.edit")[-1]
    assert edit.before == {"phone": None} and edit.after == {"phone": "0912345678"}
    refused = post_form(client, f"/people/{person.id}/edit", {**form, "role": "admin"})
    assert refused.status_code == 400 and len(_entries(db_session, "user.role_change")) == 1
    db_session.expire_all()
    assert person.role == "trainer"
