"""The organiser's Zoom page (address and token form): role matrix, setting the token; the webhook needs no login."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.zoom.models import ZoomHook
from tests.classes.conftest import LIVE_ROLES, check_access
from tests.classes.zoom.conftest import MORNING, deliver, meeting_event
from tests.conftest import login, post_form

ALLOWED = {"admin", "organiser", "other_organiser"}  # each organiser sees only their own body's hook


@pytest.mark.parametrize("role", LIVE_ROLES)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_zoom_page_roles(client, live_world, role, method):
    check_access(client, live_world, role, method, f"/zoom?body={live_world.ids['body']}", ALLOWED,
                 {"token": "a-valid-token-123"})


def test_admin_must_choose_a_body(client, live_world):
    login(client, live_world.usernames["admin"])
    assert client.get("/zoom").status_code == 404


def test_organiser_sets_the_token_and_sees_the_address(client, live_world, db_session, app):
    login(client, live_world.usernames["organiser"])
    page = client.get("/zoom").get_data(as_text=True)
    hook = db_session.scalar(select(ZoomHook).where(ZoomHook.organising_body_id == live_world.ids["body"]))
    assert f"{app.config['PUBLIC_BASE_URL']}/hooks/zoom/{hook.hook_id}" in page
    bad = post_form(client, "/zoom", {"token": "has space in it"})
    assert bad.status_code == 422 and "Secret Token" in bad.get_data(as_text=True)
    assert post_form(client, "/zoom", {"token": "organiser-token-42"}).status_code == 302
    db_session.expire_all()
    assert db_session.scalar(select(ZoomHook.token_encrypted).where(ZoomHook.id == hook.id))
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "zoom.set_token")).actor_id is not None
    client.post("/logout", data={"csrf_token": ""})
    response = deliver(app.test_client(), hook.hook_id, meeting_event("started", MORNING), secret="organiser-token-42")
    assert response.status_code == 200


def test_other_organiser_sees_another_address(client, live_world, db_session):
    login(client, live_world.usernames["other_organiser"])
    client.get("/zoom")
    hooks = {h.organising_body_id: h.hook_id for h in db_session.scalars(select(ZoomHook))}
    assert live_world.ids["body"] not in hooks and len(hooks) == 1


def test_webhook_needs_no_login_or_csrf_but_a_signature(app, zoom_world):
    anonymous = app.test_client()
    assert deliver(anonymous, zoom_world.hook_id, meeting_event("started", MORNING)).status_code == 200
    assert anonymous.post(f"/hooks/zoom/{zoom_world.hook_id}", data=b"{}").status_code == 401
