"""The verify page stays small and self-contained; its per-process limiter and key cache keep their guarantees."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from urllib.parse import urlsplit

from limits import parse
from limits.strategies import MovingWindowRateLimiter

from lms.certificates import keys
from lms.certificates.models import IssueMode
from lms.certificates.payload import qr_text
from lms.certificates.records import reissue_certificate, revoke_certificate
from lms.certificates.verify_views import ThreadlessMemoryStorage
from tests.certificates.conftest import BASE_URL, NOW, SECRET, issue

PAGE_LIMIT = 30_000
URL_ATTRIBUTE = re.compile(r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""",
                           re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*["']?\s*((?:https?:)?//[^"')\s]+)""", re.IGNORECASE)


def scanned_path(certificate) -> str:
    parts = urlsplit(qr_text(certificate, BASE_URL))
    return f"{parts.path}?{parts.query}"


def external_references(html: str, host: str) -> list[str]:
    """http(s) or protocol-relative addresses in src/href/action (and CSS url()) that point to another host."""
    found = URL_ATTRIBUTE.findall(html) + CSS_URL.findall(html)
    return [url for url in found if urlsplit(url if "://" in url else "http:" + url).hostname != host]


def test_external_references_are_found():
    html = ('<link href="https://cdn.example.com/x.css"><img src=//evil.example/p.png>'
            '<a href="/verify">ok</a><a href="http://localhost/verify">same host</a>')
    assert external_references(html, "localhost") == ["https://cdn.example.com/x.css", "//evil.example/p.png"]


def test_every_status_page_is_small_and_self_contained(app, client, db_session, finished):
    valid = issue(db_session, finished)
    revoked = issue(db_session, finished, finished.failed, mode=IssueMode.SINGLE, reason="Miễn thi")
    revoke_certificate(db_session, revoked, actor_id=None, reason="Cấp nhầm " * 40, revoked_on=date(2026, 11, 5),
                       now=NOW + timedelta(days=3))
    old = issue(db_session, finished, finished.absent, mode=IssueMode.SINGLE, reason="Miễn thi")
    reissue_certificate(db_session, old, actor_id=None, reason="Sửa tên", corrections={"holder_name": "Trần Văn Út"},
                        now=NOW + timedelta(days=4), secret=SECRET, base_url=BASE_URL)
    db_session.commit()
    pages = [scanned_path(valid), f"/verify/{revoked.verification_code}", scanned_path(old),
             "/verify/khong-co-ma-nay", "/verify"]
    for path in pages:
        for language in ("vi", "en"):
            response = client.get(path, headers={"Accept-Language": language, "Accept-Encoding": "identity"})
            assert response.status_code in (200, 404), path
            html = response.get_data(as_text=True)
            assert response.mimetype == "text/html" and "Content-Encoding" not in response.headers
            assert len(response.data) < PAGE_LIMIT, (path, language, len(response.data))
            assert external_references(html, "localhost") == [], (path, language)
            assert "<script" not in html.lower() and "@import" not in html.lower()
            compressed = client.get(path, headers={"Accept-Language": language, "Accept-Encoding": "br, gzip"})
            assert len(compressed.data) <= len(response.data) < PAGE_LIMIT
    css = client.get(re.search(r'href="([^"]+\.css)"', html).group(1))
    assert css.status_code == 200 and len(css.data) < PAGE_LIMIT  # the one stylesheet, from the same host
    assert external_references(f"<style>{css.get_data(as_text=True)}</style>", "localhost") == []


def test_the_limiter_refuses_beyond_the_limit_and_starts_no_thread_per_hit():
    storage = ThreadlessMemoryStorage()
    limiter, item = MovingWindowRateLimiter(storage), parse("5/minute")
    threads_before = threading.active_count()
    allowed = [limiter.hit(item, "certificate-verify", "203.0.113.7") for _ in range(8)]
    assert allowed == [True] * 5 + [False] * 3
    assert limiter.hit(item, "certificate-verify", "198.51.100.2")  # another address has its own window
    assert threading.active_count() <= threads_before
    storage._next_expiry = 0.0  # the inline clean-up keeps entries still inside the window
    assert not limiter.hit(item, "certificate-verify", "203.0.113.7")
    assert limiter.get_window_stats(item, "certificate-verify", "203.0.113.7")[1] == 0


def test_the_cached_public_key_is_the_stored_one(db_session, finished):
    certificate = issue(db_session, finished)
    db_session.commit()
    keys._public_key_cache.clear()
    public = keys.published_key(db_session, certificate.key_id)
    assert public is not None and keys._public_key_cache[certificate.key_id] is public
    assert keys.published_key(db_session, "unknown1") is None and "unknown1" not in keys._public_key_cache
    message = b"lms certificate check"
    other = keys.rotate_key(db_session, SECRET, NOW + timedelta(days=1))
    signature = keys.b64url(keys.private_key(other, SECRET).sign(message))
    assert not keys.signature_matches(public, message, signature)  # another key's signature is refused
    assert keys.signature_matches(keys.published_key(db_session, other.key_id), message, signature)
