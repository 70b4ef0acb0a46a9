"""Static files under hashed names cached for a year, the old names briefly; text answers compressed, others not."""

from __future__ import annotations

import gzip
import re

import brotli
from flask import Response, stream_with_context, url_for

from lms.assets import IMMUTABLE, SHORT, AssetManifest
from tests.conftest import login
from tests.factories import load_fixture_content, make_user

GZIP = {"Accept-Encoding": "gzip"}


def hashed_url(app, name: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=name)


def test_pages_link_static_files_by_content_hash(app, client, db_session):
    load_fixture_content(db_session)
    db_session.commit()
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html)
    assert css, "the stylesheet is linked by its hashed name"
    digest = AssetManifest(app.static_folder).files["css/app.css"].digest
    assert css.group(1) == f"/static/css/app.{digest}.css"


def test_a_hashed_name_is_cached_for_a_year_and_answers_304_when_unchanged(app, client):
    url = hashed_url(app, "js/attempt.js")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert b"localStorage" in response.data
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_plain_name_and_an_old_hash_are_served_but_kept_briefly(client):
    for url in ("/static/js/attempt.js", "/static/js/attempt.0123456789ab.js"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == SHORT
        assert b"localStorage" in response.data


def test_an_unknown_static_file_is_404(client):
    assert client.get("/static/js/missing.js").status_code == 404
    assert client.get("/static/js/missing.0123456789ab.js").status_code == 404
    assert client.get("/static/../lms/config.py").status_code == 404


def test_javascript_css_html_and_json_are_compressed(app, client, db_session):
    load_fixture_content(db_session)
    db_session.commit()
    for url in (hashed_url(app, "js/attempt.js"), hashed_url(app, "css/app.css"), "/", "/api/openapi.json"):
        response = client.get(url, headers=GZIP)
        assert response.headers["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in response.headers["Vary"]
        assert len(gzip.decompress(response.data)) > 1.5 * len(response.data)
    brotli_answer = client.get(hashed_url(app, "css/app.css"), headers={"Accept-Encoding": "br, gzip"})
    assert brotli_answer.headers["Content-Encoding"] == "br"
    assert b"body" in brotli.decompress(brotli_answer.data)


def test_personal_pages_are_compressed_and_still_never_stored(client, db_session):
    make_user(db_session, username="hv.nen", full_name="Lê Văn Nén")
    db_session.commit()
    login(client, "hv.nen")
    response = client.get("/account", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "no-store"


def test_small_answers_and_clients_without_gzip_are_sent_plain(app, client):
    assert "Content-Encoding" not in client.get("/healthz", headers=GZIP).headers
    plain = client.get(hashed_url(app, "js/attempt.js"))
    assert "Content-Encoding" not in plain.headers
    assert b"localStorage" in plain.data


def test_downloads_streams_and_images_pass_untouched(app):
    compress = app.extensions["compress"]
    body = "tên,điểm\n" * 500
    with app.test_request_context(headers=GZIP):
        download = Response(body, mimetype="text/html", headers={"Content-Disposition": "attachment; filename=a.html"})
        assert "Content-Encoding" not in compress.after_request(download).headers
        streamed = Response(stream_with_context(iter([body])), mimetype="text/html")
        assert "Content-Encoding" not in compress.after_request(streamed).headers
        picture = Response(b"\x89PNG" + b"0" * 5000, mimetype="image/png")
        assert "Content-Encoding" not in compress.after_request(picture).headers
        page = Response(body, mimetype="text/html")
        assert compress.after_request(page).headers["Content-Encoding"] == "gzip"
