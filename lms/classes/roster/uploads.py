"""Keeping an uploaded roster on the server between preview and confirmation: per user and class, expiring."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lms.classes.roster.models import RosterUpload
from lms.errors import NotFound

UPLOAD_LIFETIME = timedelta(hours=2)
MAX_UPLOADS_PER_USER = 3  # a user's older uploads are dropped beyond this


def store_upload(session: Session, *, user_id: int, class_id: int, filename: str, content: bytes,
                 now: datetime) -> RosterUpload:
    """Keep the file (its size is bounded by MAX_CONTENT_LENGTH); expired uploads of everyone are dropped."""
    session.execute(delete(RosterUpload).where(RosterUpload.expires_at <= now))
    older = list(session.scalars(select(RosterUpload).where(RosterUpload.user_id == user_id)
                                 .order_by(RosterUpload.created_at.desc()).offset(MAX_UPLOADS_PER_USER - 1)))
    for upload in older:
        session.delete(upload)
    upload = RosterUpload(token=secrets.token_urlsafe(32), user_id=user_id, class_id=class_id,
                          filename=filename[:255], content=content, created_at=now, expires_at=now + UPLOAD_LIFETIME)
    session.add(upload)
    session.flush()
    return upload


def load_upload(session: Session, *, token: str, user_id: int, class_id: int, now: datetime) -> RosterUpload:
    """The user's own unexpired upload for this class, or NotFound (someone else's token finds nothing)."""
    upload = session.get(RosterUpload, token[:64])
    if upload is None or upload.user_id != user_id or upload.class_id != class_id or _aware(upload.expires_at) <= now:
        raise NotFound()
    return upload


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
