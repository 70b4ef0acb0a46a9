"""Zoom hooks per organising body (id, token), storing raw events before processing, processing and replay."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.api import json_depth_exceeds
from lms.audit.services import record
from lms.auth.models import Role, User
from lms.errors import Forbidden, NotFound, RuleViolation
from lms.organisations.models import OrganisingBody
from lms.text import strip_control
from lms.zoom import processing
from lms.zoom.crypto import decrypt_token, encrypt_token
from lms.zoom.models import EventStatus, ZoomEvent, ZoomHook

MAX_BODY_BYTES = 64 * 1024  # Zoom's events are a few KiB
MAX_JSON_DEPTH = 12
MIN_TOKEN_LENGTH, MAX_TOKEN_LENGTH = 8, 200


def hook_for_body(db: Session, body_id: int) -> ZoomHook:
    """The body's hook, created with a fresh opaque id on first use (no token yet)."""
    hook = db.scalar(select(ZoomHook).where(ZoomHook.organising_body_id == body_id))
    if hook is None:
        hook = ZoomHook(organising_body_id=body_id, hook_id=secrets.token_urlsafe(24), token_encrypted="")
        db.add(hook)
        db.flush()
    return hook


def find_hook(db: Session, hook_id: str) -> ZoomHook | None:
    if not hook_id or len(hook_id) > 64:
        return None
    return db.scalar(select(ZoomHook).where(ZoomHook.hook_id == hook_id))


def webhook_url(hook: ZoomHook, base_url: str) -> str:
    """The full address to paste into the Zoom app's event subscription."""
    return f"{base_url.rstrip('/')}/hooks/zoom/{hook.hook_id}"


def find_body(db: Session, ident: str) -> OrganisingBody:
    """An organising body by id or short name (CLI)."""
    ident = ident.strip()
    body = db.get(OrganisingBody, int(ident)) if ident.isdigit() else None
    body = body or db.scalar(select(OrganisingBody).where(OrganisingBody.short_name == ident))
    if body is None:
        raise NotFound(_("No organising body has the id or short name %(ident)s.", ident=ident[:60]))
    return body


def set_token(db: Session, actor: User | None, body: OrganisingBody, token: str, *, secret_key: str,
              now: datetime) -> ZoomHook:
    """Store the body's Zoom secret token, encrypted; actor None is the CLI. The token is never logged."""
    if actor is not None and not (actor.role == Role.ADMIN or (
            actor.role == Role.ORGANISER and actor.organising_body_id == body.id)):
        raise Forbidden()
    token = strip_control(token or "").strip()
    if not MIN_TOKEN_LENGTH <= len(token) <= MAX_TOKEN_LENGTH or any(ch.isspace() for ch in token):
        raise RuleViolation(_("Paste the Secret Token from the Zoom app's Features page (%(low)d to %(high)d "
                              "characters, no spaces).", low=MIN_TOKEN_LENGTH, high=MAX_TOKEN_LENGTH))
    hook = hook_for_body(db, body.id)
    had_token = bool(hook.token_encrypted)
    hook.token_encrypted = encrypt_token(token, secret_key)
    hook.updated_by_id, hook.updated_at = (actor.id if actor else None), now
    record(db, "zoom.set_token", actor_id=actor.id if actor else None, body_id=body.id, target_type="zoom_hook",
           target_id=hook.id, target_label=body.name, before={"token_set": had_token}, after={"token_set": True},
           now=now)
    db.flush()
    return hook


def hook_secret(hook: ZoomHook, secret_key: str) -> str | None:
    """The hook's plain token, or None when not set (or unreadable under this SECRET_KEY)."""
    if not hook.token_encrypted:
        return None
    from lms.zoom.crypto import TokenUnreadable

    try:
        return decrypt_token(hook.token_encrypted, secret_key)
    except TokenUnreadable:
        return None


def parse_body(raw: bytes) -> dict | None:
    """The event as a JSON object, or None for anything else (too deep, not UTF-8, not JSON, not an object)."""
    try:
        text = raw.decode("utf-8")
        if json_depth_exceeds(text, MAX_JSON_DEPTH):
            return None
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def store_event(db: Session, hook: ZoomHook, raw: bytes, event_type: str, *, now: datetime) -> ZoomEvent:
    """Keep the delivery exactly as received (the caller commits before processing)."""
    event = ZoomEvent(hook_id=hook.id, received_at=now, event_type=event_type[:80],
                      body=raw.decode("utf-8", "replace"), status=EventStatus.RECEIVED)
    db.add(event)
    db.flush()
    return event


def process_stored(db: Session, event: ZoomEvent, *, now: datetime) -> str:
    """Process one stored event inside a savepoint: a failure rolls back its changes only and marks it failed."""
    hook = db.get(ZoomHook, event.hook_id)
    data = parse_body(event.body.encode("utf-8"))
    status, detail = EventStatus.PROCESSED, ""
    if data is None:
        status, detail = EventStatus.FAILED, "the body is not a JSON object"
    elif event.event_type not in processing.HANDLED:
        status, detail = EventStatus.IGNORED, f"{event.event_type or 'no event'} is not used"
    else:
        try:
            with db.begin_nested():
                detail = processing.process(db, hook.organising_body_id, event.event_type, data)
        except processing.NoSession as reason:
            status, detail = EventStatus.IGNORED, str(reason)
        except processing.EventUnusable as reason:
            status, detail = EventStatus.FAILED, str(reason)
        except Exception as error:  # noqa: BLE001 - any bug keeps the raw event, marked failed, for replay
            status, detail = EventStatus.FAILED, f"{type(error).__name__}: {error}"[:2000]
    event.status, event.detail, event.processed_at = status, detail, now
    db.flush()
    return status


@dataclass
class ReplayReport:
    processed: int = 0
    ignored: int = 0
    failed: int = 0


def replay(db: Session, *, failed_only: bool, now: datetime) -> ReplayReport:
    """Process stored events again in the order received (all, or only the failed ones); repeats are harmless."""
    query = select(ZoomEvent).order_by(ZoomEvent.received_at, ZoomEvent.id)
    if failed_only:
        query = query.where(ZoomEvent.status == EventStatus.FAILED)
    report = ReplayReport()
    for event in db.scalars(query).all():
        status = process_stored(db, event, now=now)
        setattr(report, str(status), getattr(report, str(status)) + 1)
    return report
