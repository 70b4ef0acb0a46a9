"""One safe-target rule for every `next=`: a path on this site, whatever a browser would make of the rest."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from lms.security import safe_local_path
from tests.conftest import post_form
from tests.factories import PASSWORD, make_user

# As an attacker writes them in a link (percent-encoded) and as they reach the view once decoded.
BYPASSES = [
    "/%09/evil.example/",
    "/\t/evil.example/",
    "/%0a/evil.example/",
    "/\n/evil.example/",
    "/%0d%0a/evil.example/",
    "/\\evil.example",
    "\\/evil.example",
    "/%5cevil.example",
    "%2f%2fevil.example",
    "/%2f%2fevil.example",
    "/%252f%252fevil.example",
    "///evil.example",
    "//evil.example",
    " //evil.example",
    "https://evil.example",
    "HTTPS:evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "/\u3000/evil.example",
    "",
]
LOCAL = ["/account", "/courses/khoa-mau?tab=2#bai-1", "/courses/kh%C3%B3a"]


def _lands_on(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


@pytest.mark.parametrize("target", BYPASSES)
def test_the_rule_refuses_every_known_bypass(target):
    assert safe_local_path(target, "/") == "/"


@pytest.mark.parametrize("target", LOCAL)
def test_the_rule_keeps_a_path_on_this_site(target):
    assert safe_local_path(target, "/") == target


@pytest.mark.parametrize("target", BYPASSES)
def test_login_with_a_bypass_in_next_lands_on_the_catalogue(client, db_session, target):
    make_user(db_session, username="chuyen.huong")
    db_session.commit()
    url = "/login?next=" + quote(target, safe="")  # the view reads back exactly `target`
    response = post_form(client, url, {"identifier": "chuyen.huong", "password": PASSWORD})
    assert _lands_on(response) == "/"


def test_login_keeps_a_local_next(client, db_session):
    make_user(db_session, username="ve.trang.cu")
    db_session.commit()
    response = post_form(client, "/login?next=" + quote(LOCAL[1]), {"identifier": "ve.trang.cu", "password": PASSWORD})
    assert _lands_on(response) == LOCAL[1]


@pytest.mark.parametrize("target", BYPASSES)
def test_the_language_switch_with_a_bypass_lands_on_the_catalogue(client, target):
    assert _lands_on(post_form(client, "/language/en", {"next": target})) == "/"


def test_the_login_page_sends_an_anonymous_visitor_back_where_they_were(client, db_session):
    make_user(db_session, username="quay.lai")
    db_session.commit()
    login_page = client.get("/account").headers["Location"]
    assert login_page.startswith("/login?next=")
    response = post_form(client, login_page, {"identifier": "quay.lai", "password": PASSWORD})
    assert _lands_on(response) == "/account"
