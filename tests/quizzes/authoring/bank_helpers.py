"""Helpers of the bank page tests."""

from __future__ import annotations

import io

from tests.conftest import fetch_csrf


def upload_preview(client, bank_id: int, content: bytes, name: str):
    """Post a file to the bank's import page for a preview, as the page's form does."""
    data = {"csrf_token": fetch_csrf(client), "action": "preview", "file": (io.BytesIO(content), name)}
    return client.post(f"/banks/{bank_id}/import", data=data, content_type="multipart/form-data")
