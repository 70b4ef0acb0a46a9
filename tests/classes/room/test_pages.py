"""The room panels on the pages: the trainer's class page, the trainee's tests page and test page."""

from __future__ import annotations

import re

from tests.conftest import login


def test_trainer_class_page_has_the_live_room(client, rooms):
    login(client, rooms.users["trainer"].username)
    html = client.get(f"/classes/{rooms.first.id}").get_data(as_text=True)
    assert f'data-room-class="{rooms.first.id}" data-room-staff="1"' in html
    assert "Mở bài kiểm tra cho cả lớp ngay" in html and "/room/socket.io.min.js" in html
    assert re.search(r"js/room(\.[0-9a-f]+)?\.js", html)  # under its content-hashed name


def test_trainee_class_page_joins_the_room_of_that_class(client, rooms):
    login(client, rooms.users["trainee"].username)
    html = client.get(f"/classes/{rooms.first.id}/my").get_data(as_text=True)
    assert f'data-room-class="{rooms.first.id}"' in html and 'data-room-staff' not in html
    assert "Phòng học trực tuyến" in html and "/room/socket.io.min.js" in html
    assert client.get(f"/classes/{rooms.second.id}/my").status_code == 404


def test_the_browser_client_is_served_pinned_and_cacheable(client):
    response = client.get("/room/socket.io.min.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert b"Socket.IO v4.8.1" in response.data[:200]
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_announcements_are_shown_on_the_class_pages(app, client, rooms, db_session):
    from lms.classes.room.models import Announcement
    from lms.db import utcnow

    db_session.add(Announcement(class_id=rooms.first.id, author_id=rooms.users["trainer"].id,
                                text="Chiều nay học từ 13 giờ 30", created_at=utcnow()))
    db_session.commit()
    login(client, rooms.users["trainee"].username)
    assert "Chiều nay học từ 13 giờ 30" in client.get(f"/classes/{rooms.first.id}/my").get_data(as_text=True)
    other = app.test_client()
    login(other, rooms.users["other_trainer"].username)
    assert "Chiều nay học từ 13 giờ 30" not in other.get(f"/classes/{rooms.second.id}").get_data(as_text=True)
