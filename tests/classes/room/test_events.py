"""The class room over Flask-SocketIO's test client: presence, open/close reaching the right class, refused
commands and rooms, reconnect state, and no event before the database change commits."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from lms.classes.room.models import Announcement
from lms.quizzes.models import QuizOpening
from tests.classes.room.conftest import events_named, join, live_rows


def test_anonymous_socket_is_refused(connect):
    assert not connect(None).is_connected()


def test_presence_shows_who_is_connected_and_who_is_absent(connect, rooms):
    trainer = connect("trainer")
    state = join(trainer, rooms.first)["state"]
    assert {r["name"]: r["status"] for r in state["rows"]} == {"Nguyễn Văn An": "absent", "Lê Thị Bình": "absent"}

    trainee = connect("trainee")
    assert join(trainee, rooms.first)["ok"]
    rows = live_rows(trainer)
    assert [(r["user_id"], r["connected"], r["status"]) for r in rows] == [
        (rooms.users["trainee"].id, True, "not_started")]

    trainee.disconnect()
    rows = live_rows(trainer)
    assert [(r["user_id"], r["connected"], r["status"]) for r in rows] == [(rooms.users["trainee"].id, False, "absent")]
    state = trainer.emit("state", {"class_id": rooms.first.id}, callback=True)["state"]
    assert not any(r["connected"] for r in state["rows"])


def test_open_test_reaches_every_trainee_of_that_class_and_none_of_another(connect, rooms, db_session):
    trainer, an, binh, cuong = (connect(n) for n in ("trainer", "trainee", "classmate", "other_trainee"))
    join(trainer, rooms.first), join(an, rooms.first), join(binh, rooms.first), join(cuong, rooms.second)
    for sock in (an, binh, cuong):
        sock.get_received()

    answer = trainer.emit("open_test", {"class_id": rooms.first.id, "quiz_id": rooms.quiz.id, "minutes": 45},
                          callback=True)

    assert answer["ok"], answer
    assert answer["state"]["opening"]["is_open"]
    for sock in (an, binh):
        [opened] = events_named(sock, "test_opened")
        assert opened["start_url"] == f"/tests/{rooms.quiz.id}/start"
    assert events_named(cuong, "test_opened") == []
    assert db_session.scalar(select(QuizOpening).where(QuizOpening.class_id == rooms.first.id)) is not None

    closed = trainer.emit("close_test", {"class_id": rooms.first.id}, callback=True)
    assert closed["ok"] and not closed["state"]["opening"]["is_open"]
    assert len(events_named(an, "test_closed")) == 1 and events_named(cuong, "test_closed") == []


@pytest.mark.parametrize("command", ["open_test", "close_test", "extra_time", "announce", "roll_call"])
def test_a_trainee_cannot_send_trainer_commands(connect, rooms, db_session, command):
    trainee, classmate = connect("trainee"), connect("classmate")
    join(trainee, rooms.first), join(classmate, rooms.first)
    classmate.get_received()
    answer = trainee.emit(command, {"class_id": rooms.first.id, "quiz_id": rooms.quiz.id, "minutes": 30,
                                    "user_id": rooms.users["classmate"].id, "text": "Nộp bài ngay"}, callback=True)
    assert answer == {"ok": False, "error": "Bạn không được làm việc này ở đây."}
    assert [e["name"] for e in classmate.get_received()] == []
    assert db_session.scalar(select(QuizOpening)) is None and db_session.scalar(select(Announcement)) is None


@pytest.mark.parametrize("name,class_name,allowed", [
    ("trainee", "second", False), ("far_trainee", "first", False), ("other_trainer", "first", False),
    ("far_trainer", "first", False), ("far_organiser", "first", False),
    ("trainee", "first", True), ("trainer", "first", True), ("organiser", "first", True), ("admin", "second", True),
])
def test_only_the_class_people_join_its_room(connect, rooms, name, class_name, allowed):
    sock = connect(name)
    answer = join(sock, getattr(rooms, class_name))
    assert answer["ok"] is allowed
    if not allowed:
        assert answer["error"] == "Không tìm thấy phòng học này."
        trainer = connect("trainer" if class_name == "first" else "other_trainer")
        join(trainer, getattr(rooms, class_name))
        trainer.emit("announce", {"class_id": getattr(rooms, class_name).id, "text": "Chào lớp"}, callback=True)
        assert events_named(sock, "announcement") == []


def test_staff_of_another_class_cannot_command_it(connect, rooms, db_session):
    far = connect("far_trainer")
    answer = far.emit("open_test", {"class_id": rooms.first.id, "quiz_id": rooms.quiz.id, "minutes": 30},
                      callback=True)
    assert answer["ok"] is False and db_session.scalar(select(QuizOpening)) is None


@pytest.mark.parametrize("payload", [None, "1", {"class_id": "1"}, {"class_id": True}, {"class_id": 2**40}, {}])
def test_bad_payloads_get_a_message_not_an_error(connect, rooms, payload):
    answer = connect("trainer").emit("join", payload, callback=True)
    assert answer == {"ok": False, "error": "Không tìm thấy phòng học này."}


def test_a_trainee_who_reconnects_after_the_test_opened_is_sent_to_it(connect, rooms):
    trainer = connect("trainer")
    join(trainer, rooms.first)
    trainer.emit("open_test", {"class_id": rooms.first.id, "quiz_id": rooms.quiz.id, "minutes": 45}, callback=True)

    late = connect("trainee")  # was offline when the test opened
    state = join(late, rooms.first)["state"]
    assert state["test"]["action"] == "start" and state["test"]["start_url"] == f"/tests/{rooms.quiz.id}/start"
    late.disconnect()
    again = connect("trainee")
    assert join(again, rooms.first)["state"]["test"]["quiz_id"] == rooms.quiz.id


def test_no_event_when_the_commit_fails(connect, rooms, db_session):
    """The database refuses the COMMIT of the command's writes: nobody hears of a test or an announcement."""
    trainer, trainee = connect("trainer"), connect("trainee")
    join(trainer, rooms.first), join(trainee, rooms.first)
    trainee.get_received()

    def note_writes(session, _context):
        session.info["wrote"] = True

    def refuse_commit(session):
        if session.info.pop("wrote", False):
            raise RuntimeError("database went away")

    event.listen(Session, "after_flush", note_writes)
    event.listen(Session, "before_commit", refuse_commit)
    try:
        answer = trainer.emit("open_test", {"class_id": rooms.first.id, "quiz_id": rooms.quiz.id, "minutes": 45},
                              callback=True)
        announced = trainer.emit("announce", {"class_id": rooms.first.id, "text": "Bắt đầu"}, callback=True)
    finally:
        event.remove(Session, "after_flush", note_writes)
        event.remove(Session, "before_commit", refuse_commit)
    assert answer == announced == {"ok": False, "error": "Đã có lỗi xảy ra; vui lòng thử lại."}
    assert trainee.get_received() == []
    assert db_session.scalar(select(QuizOpening)) is None and db_session.scalar(select(Announcement)) is None


def test_announcement_is_stored_and_pushed_to_the_class(connect, rooms, db_session):
    trainer, trainee = connect("trainer"), connect("trainee")
    join(trainer, rooms.first), join(trainee, rooms.first)
    answer = trainer.emit("announce", {"class_id": rooms.first.id, "text": "  Nghỉ giải lao 15 phút  "}, callback=True)
    assert answer["ok"]
    [pushed] = events_named(trainee, "announcement")
    assert pushed["text"] == "Nghỉ giải lao 15 phút"
    assert db_session.scalar(select(Announcement.text)) == "Nghỉ giải lao 15 phút"
    empty = trainer.emit("announce", {"class_id": rooms.first.id, "text": "   "}, callback=True)
    assert empty == {"ok": False, "error": "Hãy viết thông báo trước."}


def test_roll_call_count_grows_once_per_trainee(connect, rooms):
    trainer, an, binh = connect("trainer"), connect("trainee"), connect("classmate")
    join(trainer, rooms.first), join(an, rooms.first), join(binh, rooms.first)
    started = trainer.emit("roll_call", {"class_id": rooms.first.id}, callback=True)["roll_call"]
    [call] = events_named(an, "roll_call")
    assert call["id"] == started["id"]
    trainer.get_received()
    for sock in (an, an, binh):
        assert sock.emit("confirm_roll_call", {"class_id": rooms.first.id, "roll_call_id": call["id"]},
                         callback=True)["ok"]
    assert [c["count"] for c in events_named(trainer, "roll_call_count")] == [1, 2]
    assert join(an, rooms.first)["state"]["roll_call"] == {"id": call["id"], "confirmed": True}
    assert trainer.emit("confirm_roll_call", {"class_id": rooms.first.id, "roll_call_id": call["id"]},
                        callback=True)["ok"] is False


def test_roll_call_confirmation_counts_toward_the_session_in_progress(connect, rooms, db_session):
    from datetime import timedelta

    from lms.classes.attendance.models import RollCallConfirmation
    from lms.classes.sessions.models import ClassSession
    from lms.db import utcnow

    now = utcnow()
    in_progress = ClassSession(class_id=rooms.first.id, starts_at=now - timedelta(minutes=30),
                               ends_at=now + timedelta(hours=2))
    db_session.add(in_progress)
    db_session.commit()
    trainer, trainee = connect("trainer"), connect("trainee")
    join(trainer, rooms.first), join(trainee, rooms.first)
    call = trainer.emit("roll_call", {"class_id": rooms.first.id}, callback=True)["roll_call"]
    assert trainee.emit("confirm_roll_call", {"class_id": rooms.first.id, "roll_call_id": call["id"]},
                        callback=True)["ok"]
    confirmed = db_session.scalars(select(RollCallConfirmation.user_id).where(
        RollCallConfirmation.class_session_id == in_progress.id)).all()
    assert confirmed == [rooms.users["trainee"].id]


def test_a_user_who_must_change_their_password_is_refused(connect, rooms, db_session):
    trainee = connect("trainee")
    rooms.users["classmate"].must_change_password = True
    db_session.commit()
    assert trainee.is_connected() and not connect("classmate").is_connected()
