"""Recording an audit entry inside the caller's transaction, so the entry and the change commit together."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy.orm import Session

from lms.audit.models import AuditEntry
from lms.db import utcnow

ACTION_MAX_LENGTH = 80


def record(db: Session, action: str, *, actor_id: int | None, body_id: int | None, target_type: str = "",
           target_id: int | None = None, target_label: str = "", before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None, now: datetime | None = None) -> AuditEntry:
    """Add one entry to the session (the caller commits). Values must be JSON-serialisable (dates as ISO text)."""
    if len(action) > ACTION_MAX_LENGTH:  # caught on every database, not only where the column's length is enforced
        raise ValueError(f"audit action names have at most {ACTION_MAX_LENGTH} characters: {action!r}")
    entry = AuditEntry(at=now or utcnow(), actor_id=actor_id, organising_body_id=body_id, action=action,
                       target_type=target_type, target_id=target_id, target_label=target_label[:255],
                       before=before, after=after, address=_client_address())
    db.add(entry)
    return entry


def _client_address() -> str:
    if not has_request_context():
        return ""
    return (request.remote_addr or "")[:64]
