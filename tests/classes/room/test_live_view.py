"""The trainer's live view follows the test through the quizzes API's after-commit hook, and extra time."""

from __future__ import annotations

from sqlalchemy import select

from lms.quizzes.models import Attempt, QuizOverride
from tests.classes.room.conftest import events_named, join, live_rows
from tests.conftest import fetch_csrf, login, post_form


def _api(http, method: str, path: str, body=None):
    return http.open(path, method=method, json=body, headers={"X-CSRF-Token": fetch_csrf(http)})


def test_answered_count_and_score_reach_the_trainer_after_each_commit(app, connect, rooms):
    trainer = connect("trainer")
    join(trainer, rooms.first)
    assert trainer.emit("open_test", {"class_id": rooms.first.id, "quiz_id": rooms.quiz.id, "minutes": 30},
                        callback=True)["ok"]
    trainer.get_received()
    http = app.test_client()
    login(http, rooms.users["trainee"].username)

    attempt = _api(http, "POST", f"/api/v1/tests/{rooms.quiz.id}/attempts").json
    [row] = live_rows(trainer)
    assert (row["status"], row["answered"], row["questions"]) == ("in_test", 0, len(attempt["questions"]))

    for seq, question in enumerate([q for q in attempt["questions"] if q["type"] == "single"][:2], start=1):
        save = {"saves": [{"position": question["position"], "answer": {"choice": question["choices"][0]["id"]},
                           "seq": seq}]}
        assert _api(http, "POST", f"/api/v1/attempts/{attempt['id']}/answers", save).status_code == 200
        [row] = live_rows(trainer)
        assert row["answered"] == seq and row["name"] == "Nguyễn Văn An"

    assert _api(http, "POST", f"/api/v1/attempts/{attempt['id']}/submit").status_code == 200
    [row] = live_rows(trainer)
    assert row["status"] == "submitted" and "/" in row["score"] and "%" in row["score"]


def test_nothing_is_computed_when_no_trainer_watches(app, connect, rooms, monkeypatch):
    trainee = connect("trainee")
    join(trainee, rooms.first)
    trainer = connect("trainer")
    trainer.emit("open_test", {"class_id": rooms.first.id, "quiz_id": rooms.quiz.id, "minutes": 30}, callback=True)
    trainer.disconnect()
    from lms.classes.room import notify

    monkeypatch.setattr(notify, "trainee_rows", lambda *a, **k: (_ for _ in ()).throw(AssertionError("computed")))
    http = app.test_client()
    login(http, rooms.users["trainee"].username)
    assert _api(http, "POST", f"/api/v1/tests/{rooms.quiz.id}/attempts").status_code == 201


def test_extra_time_reaches_the_attempt_in_progress_and_the_trainee(app, connect, rooms, db_session):
    trainer, trainee, classmate = connect("trainer"), connect("trainee"), connect("classmate")
    join(trainer, rooms.first), join(trainee, rooms.first), join(classmate, rooms.first)
    trainer.emit("open_test", {"class_id": rooms.first.id, "quiz_id": rooms.quiz.id, "minutes": 60}, callback=True)
    http = app.test_client()
    login(http, rooms.users["trainee"].username)
    attempt = _api(http, "POST", f"/api/v1/tests/{rooms.quiz.id}/attempts").json
    trainee.get_received(), classmate.get_received()

    answer = trainer.emit("extra_time", {"class_id": rooms.first.id, "user_id": rooms.users["trainee"].id,
                                         "minutes": 15}, callback=True)

    assert answer == {"ok": True}
    assert events_named(trainee, "extra_time") == [{"class_id": rooms.first.id, "minutes": 15}]
    assert classmate.get_received() == []
    db_session.expire_all()
    stored = db_session.get(Attempt, attempt["id"])
    assert db_session.scalar(select(QuizOverride.extra_minutes)) == 15
    assert (stored.deadline_at - stored.started_at).total_seconds() > rooms.quiz.time_limit_minutes * 60
    outsider = trainer.emit("extra_time", {"class_id": rooms.first.id, "user_id": rooms.users["other_trainee"].id,
                                           "minutes": 15}, callback=True)
    assert outsider == {"ok": False, "error": "Hãy chọn một học viên của lớp này."}


def test_the_staff_form_that_opens_the_test_now_also_moves_the_room(app, connect, rooms, db_session):
    trainee, outsider = connect("trainee"), connect("other_trainee")
    join(trainee, rooms.first), join(outsider, rooms.second)
    trainee.get_received(), outsider.get_received()
    http = app.test_client()
    login(http, rooms.users["trainer"].username)

    opened = post_form(http, f"/classes/{rooms.first.id}/tests/{rooms.quiz.id}/open", {"mode": "now", "minutes": "30"})

    assert opened.status_code == 302
    [event] = events_named(trainee, "test_opened")
    assert event["start_url"] == f"/tests/{rooms.quiz.id}/start" and outsider.get_received() == []
    opening_id = event["opening_id"]
    assert post_form(http, f"/openings/{opening_id}/close").status_code == 302
    assert events_named(trainee, "test_closed") == [{"class_id": rooms.first.id, "opening_id": opening_id}]


def test_with_a_push_interval_saves_only_note_the_trainee_and_the_rows_follow_in_a_batch(app, connect, rooms,
                                                                                        monkeypatch):
    from lms.classes.room.batch import pending_rows, push_changed

    monkeypatch.setitem(app.config, "ROOM_PUSH_SECONDS", 3600)  # the batch thread waits; the test pushes by hand
    trainer = connect("trainer")
    join(trainer, rooms.first)
    trainer.emit("open_test", {"class_id": rooms.first.id, "quiz_id": rooms.quiz.id, "minutes": 30}, callback=True)
    trainer.get_received()
    http = app.test_client()
    login(http, rooms.users["trainee"].username)
    pending_rows.take()

    attempt = _api(http, "POST", f"/api/v1/tests/{rooms.quiz.id}/attempts").json
    assert live_rows(trainer) == []  # nothing computed in the request
    changed = pending_rows.take()
    assert changed == {(attempt_opening(app, attempt["id"]), rooms.users["trainee"].id)}
    with app.app_context():
        push_changed(changed)
    [row] = live_rows(trainer)
    assert row["status"] == "in_test" and row["user_id"] == rooms.users["trainee"].id


def attempt_opening(app, attempt_id: int) -> int:
    from lms.db import get_session

    with app.app_context():
        return get_session().get(Attempt, attempt_id).opening_id
