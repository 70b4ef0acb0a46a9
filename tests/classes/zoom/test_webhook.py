"""The Zoom webhook: signatures, URL validation, garbage, duplicates, order, matching, failures and replay."""

from __future__ import annotations

import hashlib
import hmac
import json
import time as clock
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.classes.attendance.models import ParticipantEvent
from lms.classes.attendance.services import assign_participant
from lms.classes.attendance.summary import attendance_summary
from lms.zoom import processing
from lms.zoom.models import ZoomEvent, ZoomHook
from lms.zoom.signature import sign
from tests.classes.zoom.conftest import AFTERNOON, MORNING, TOKEN, deliver, meeting_event, participant_event

LATER = MORNING + timedelta(days=3)


def stored(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(ZoomEvent))


def minutes(db_session, zoom_world, user) -> float:
    summary = attendance_summary(db_session, zoom_world.training_class, LATER)[user.id]
    return summary.sessions[0].zoom_minutes


def test_url_validation_is_answered_with_the_hmac(client, zoom_world):
    body = {"event": "endpoint.url_validation", "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}}
    response = deliver(client, zoom_world.hook_id, body)
    assert response.status_code == 200
    expected = hmac.new(TOKEN.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
    assert response.get_json() == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected}


def test_a_signed_event_is_stored_and_processed(client, zoom_world, db_session):
    response = deliver(client, zoom_world.hook_id, participant_event("joined", MORNING, email="huong@example.vn"))
    assert response.status_code == 200 and response.get_json() == {"status": "processed"}
    event = db_session.scalar(select(ParticipantEvent))
    assert event.user_id == zoom_world.trainee.id and event.class_session_id == zoom_world.morning.id


@pytest.mark.parametrize("case", ["wrong", "stale", "future", "missing signature", "missing timestamp",
                                  "other secret", "not digits"])
def test_unsigned_or_badly_signed_events_are_refused(client, zoom_world, db_session, case):
    body = participant_event("joined", MORNING, email="huong@example.vn")
    raw = json.dumps(body).encode()
    now = int(clock.time())
    kwargs = {
        "wrong": {"signature": "v0=" + "0" * 64},
        "stale": {"timestamp": str(now - 301)},
        "future": {"timestamp": str(now + 301)},
        "missing signature": {"signature": ""},
        "missing timestamp": {"timestamp": "", "signature": sign(TOKEN, "", raw)},
        "other secret": {"secret": "another-token-xyz"},
        "not digits": {"timestamp": f"{now}.5"},
    }[case]
    response = deliver(client, zoom_world.hook_id, raw, **kwargs)
    assert response.status_code == 401
    assert stored(db_session) == 0


def test_url_validation_unsigned_is_refused(client, zoom_world):
    body = {"event": "endpoint.url_validation", "payload": {"plainToken": "abc"}}
    assert deliver(client, zoom_world.hook_id, body, signature="").status_code == 401


def test_unknown_hook_and_hook_without_token(client, zoom_world, db_session):
    assert deliver(client, "no-such-hook", meeting_event("started", MORNING)).status_code == 404
    hook = db_session.scalar(select(ZoomHook))
    hook.token_encrypted = ""
    db_session.commit()
    assert deliver(client, zoom_world.hook_id, meeting_event("started", MORNING)).status_code == 404


def test_the_token_is_encrypted_at_rest(zoom_world, db_session):
    hook = db_session.scalar(select(ZoomHook))
    assert TOKEN not in hook.token_encrypted and len(hook.token_encrypted) > 40


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]", b"\xff\xfe\x00", b"[" * 5000 + b"]" * 5000,
                                 b'{"event": 5}', b'{"event": "meeting.participant_joined"}',
                                 b'{"event": "meeting.participant_joined", "payload": {"object": {"id": "81234567890",'
                                 b' "participant": {"join_time": "yesterday"}}}}',
                                 b'{"event": "meeting.ended", "payload": {"object": {"id": [], "end_time": 3}}}',
                                 b'{"event": "endpoint.url_validation", "payload": {"plainToken": {"a": 1}}}',
                                 b'{"event": "endpoint.url_validation", "payload": []}'])
def test_garbage_never_gives_a_500(client, zoom_world, raw):
    assert deliver(client, zoom_world.hook_id, raw).status_code in (200, 400)
    assert deliver(client, zoom_world.hook_id, raw, signature="v0=bad").status_code == 401


def test_a_body_too_large_is_refused_before_parsing(client, zoom_world, db_session):
    raw = b'{"event": "x", "pad": "' + b"a" * 70_000 + b'"}'
    assert deliver(client, zoom_world.hook_id, raw).status_code == 413
    assert stored(db_session) == 0


def test_duplicate_deliveries_are_harmless(client, zoom_world, db_session):
    join = participant_event("joined", MORNING + timedelta(minutes=5), email="huong@example.vn")
    leave = participant_event("left", MORNING + timedelta(minutes=65), email="huong@example.vn")
    for body in (join, join, leave, join, leave):
        assert deliver(client, zoom_world.hook_id, body).status_code == 200
    assert db_session.scalar(select(func.count()).select_from(ParticipantEvent)) == 2
    assert stored(db_session) == 5  # every delivery is kept as received
    assert minutes(db_session, zoom_world, zoom_world.trainee) == 60


def test_out_of_order_events_give_the_right_minutes(client, zoom_world, db_session):
    email = "huong@example.vn"
    bodies = [
        participant_event("left", MORNING + timedelta(minutes=90), email=email),  # its join comes later
        participant_event("joined", MORNING + timedelta(minutes=10), email=email),
        meeting_event("ended", MORNING + timedelta(minutes=200)),
        participant_event("left", MORNING + timedelta(minutes=230), email=email, uuid="p-2"),  # after the end
        participant_event("joined", MORNING + timedelta(minutes=120), email=email, uuid="p-2"),
        meeting_event("started", MORNING - timedelta(minutes=10)),
    ]
    for body in bodies:
        assert deliver(client, zoom_world.hook_id, body).status_code == 200
    assert minutes(db_session, zoom_world, zoom_world.trainee) == 80 + 80


def test_several_joins_and_leaves_and_a_meeting_never_ended(client, zoom_world, db_session):
    email = "an.le@gmail.com"  # the enrolment's Zoom email, written differently
    times = [(0, 30), (45, 100), (150, None)]  # the last join is never left and the meeting never ends
    for number, (join, leave) in enumerate(times):
        deliver(client, zoom_world.hook_id, participant_event("joined", MORNING + timedelta(minutes=join),
                                                              email=email, uuid=f"d-{number}"))
        if leave is not None:
            deliver(client, zoom_world.hook_id, participant_event("left", MORNING + timedelta(minutes=leave),
                                                                  email=email, uuid=f"d-{number}"))
    assert minutes(db_session, zoom_world, zoom_world.second) == 30 + 55 + 90


def test_the_session_is_matched_by_meeting_id_and_time(client, zoom_world, db_session):
    deliver(client, zoom_world.hook_id, participant_event("joined", AFTERNOON + timedelta(minutes=3),
                                                          email="huong@example.vn"))
    deliver(client, zoom_world.hook_id, participant_event("joined", MORNING, email="huong@example.vn",
                                                          meeting="99999999999"))
    events = list(db_session.scalars(select(ParticipantEvent)))
    assert [e.class_session_id for e in events] == [zoom_world.afternoon.id]
    ignored = db_session.scalars(select(ZoomEvent.status).order_by(ZoomEvent.id)).all()
    assert ignored == ["processed", "ignored"]


def test_no_name_matching_and_assignment_by_hand(client, zoom_world, db_session, app):
    # The display name is exactly the trainee's name, but names are never used to match.
    deliver(client, zoom_world.hook_id, participant_event("joined", MORNING, uuid="guest", name="Nguyễn Thị Hương",
                                                          email="someone@else.vn", registrant_id="reg-7"))
    event = db_session.scalar(select(ParticipantEvent))
    assert event.user_id is None
    assert minutes(db_session, zoom_world, zoom_world.trainee) == 0
    with app.test_request_context():
        assigned = assign_participant(db_session, zoom_world.trainer, class_session=zoom_world.morning,
                                      participant_key=event.participant_key, user_id=zoom_world.trainee.id, now=LATER)
    db_session.commit()
    assert assigned == 1
    deliver(client, zoom_world.hook_id, participant_event("left", MORNING + timedelta(minutes=40), uuid="guest",
                                                          email="someone@else.vn", registrant_id="reg-7"))
    assert minutes(db_session, zoom_world, zoom_world.trainee) == 40
    # The registrant id is now known: the afternoon counts for the same trainee without a new assignment.
    deliver(client, zoom_world.hook_id, participant_event("joined", AFTERNOON, uuid="guest-2", registrant_id="reg-7"))
    last = db_session.scalars(select(ParticipantEvent).order_by(ParticipantEvent.id.desc())).first()
    assert last.user_id == zoom_world.trainee.id


def test_a_failure_keeps_the_raw_event_and_replay_processes_it(client, zoom_world, db_session, app, monkeypatch):
    real = processing.process

    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(processing, "process", broken)
    body = participant_event("joined", MORNING, email="huong@example.vn")
    response = deliver(client, zoom_world.hook_id, body)
    assert response.status_code == 200 and response.get_json() == {"status": "failed"}
    event = db_session.scalar(select(ZoomEvent))
    assert event.status == "failed" and "database hiccup" in event.detail and json.loads(event.body) == body
    assert db_session.scalar(select(func.count()).select_from(ParticipantEvent)) == 0
    monkeypatch.setattr(processing, "process", real)
    result = app.test_cli_runner().invoke(args=["lms", "zoom", "replay", "--failed"])
    assert result.exit_code == 0, result.output
    assert "processed 1, ignored 0, failed 0" in result.output
    db_session.expire_all()
    assert db_session.scalar(select(ZoomEvent.status)) == "processed"
    assert db_session.scalar(select(ParticipantEvent.user_id)) == zoom_world.trainee.id
    again = app.test_cli_runner().invoke(args=["lms", "zoom", "replay"])  # replaying everything is harmless
    assert again.exit_code == 0
    assert db_session.scalar(select(func.count()).select_from(ParticipantEvent)) == 1


def test_cli_set_token_prints_the_address_last(app, zoom_world, db_session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lms", "zoom", "set-token", "SKHCN-TTH", "a-new-token-5678"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == f"{app.config['PUBLIC_BASE_URL']}/hooks/zoom/{zoom_world.hook_id}"
    by_id = runner.invoke(args=["lms", "zoom", "set-token", str(zoom_world.body.id), "third-token-9999"])
    assert by_id.exit_code == 0
    assert runner.invoke(args=["lms", "zoom", "set-token", "nobody", "a-new-token-5678"]).exit_code == 1
    assert runner.invoke(args=["lms", "zoom", "set-token", "SKHCN-TTH", "short"]).exit_code == 1


def test_long_ids_and_decomposed_names_are_stored_safely(client, zoom_world, db_session):
    import unicodedata

    name = unicodedata.normalize("NFD", "Nguyễn Văn Khách")
    body = participant_event("joined", MORNING, uuid="u" * 500, name=name)
    assert deliver(client, zoom_world.hook_id, body).get_json() == {"status": "processed"}
    event = db_session.scalar(select(ParticipantEvent))
    assert event.participant_name == "Nguyễn Văn Khách" and len(event.participant_key) <= 160


def test_the_trainer_is_not_listed_as_unmatched(client, zoom_world, db_session):
    zoom_world.trainer.email = "giangvien@example.vn"
    db_session.commit()
    deliver(client, zoom_world.hook_id, participant_event("joined", MORNING, email="GiangVien@example.vn"))
    assert db_session.scalar(select(func.count()).select_from(ParticipantEvent)) == 0


def test_unmatched_participants_are_listed_with_their_minutes(client, zoom_world, db_session):
    from lms.classes.attendance.sheet import unmatched_participants

    deliver(client, zoom_world.hook_id, participant_event("joined", MORNING, uuid="g", name="Khách", email="k@x.vn"))
    deliver(client, zoom_world.hook_id, participant_event("left", MORNING + timedelta(minutes=25), uuid="g"))
    [guest] = unmatched_participants(db_session, zoom_world.morning, LATER)
    assert (guest.name, guest.email, guest.minutes) == ("Khách", "k@x.vn", 25)


def test_a_leave_with_its_join_time_counts_across_a_break(client, zoom_world, db_session):
    email = "huong@example.vn"
    deliver(client, zoom_world.hook_id, participant_event("joined", MORNING + timedelta(minutes=200), email=email))
    leave = participant_event("left", AFTERNOON + timedelta(minutes=30), email=email)
    leave["payload"]["object"]["participant"]["join_time"] = "2026-11-01T03:50:00Z"  # 10:50, in the morning
    deliver(client, zoom_world.hook_id, leave)
    deliver(client, zoom_world.hook_id, leave)  # a repeat changes nothing
    sessions = attendance_summary(db_session, zoom_world.training_class, LATER)[zoom_world.trainee.id].sessions
    assert [round(s.zoom_minutes) for s in sessions] == [40, 30]  # 10:50-11:30 and 13:30-14:00
