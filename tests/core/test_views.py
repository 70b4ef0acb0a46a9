"""Cross-cutting request behaviour: login flow, CSRF, security headers, language, errors, limits."""

from __future__ import annotations

import pytest

from lms.auth.models import Role
from tests.conftest import fetch_csrf, login, post_form
from tests.factories import PASSWORD, load_fixture_content, make_body, make_class, make_user


def test_catalogue_is_in_vietnamese_by_default(client, db_session):
    load_fixture_content(db_session)
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Khóa học" in html and "Khóa mẫu về hệ thống quản lý chất lượng" in html
    assert "Đăng nhập" in html


def test_language_switch_to_english_and_back(client, db_session):
    load_fixture_content(db_session)
    response = post_form(client, "/language/en", {"next": "/courses/khoa-mau"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/courses/khoa-mau")
    html = client.get("/courses/khoa-mau").get_data(as_text=True)
    assert '<html lang="en">' in html and "Sample course on quality management" in html and "Log in" in html
    post_form(client, "/language/vi")
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example", "https://evil.example", ""])
def test_language_switch_never_redirects_off_site(client, target):
    response = post_form(client, "/language/en", {"next": target})
    assert response.headers["Location"] == "/"


def test_security_headers_on_every_response(client):
    for path in ("/", "/login", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client, db_session):
    body = make_body(db_session)
    trainee = make_user(db_session, Role.TRAINEE, body=body, username="hv.inline")
    course = load_fixture_content(db_session)
    make_class(db_session, body=body, course=course, trainees=[trainee])
    db_session.commit()
    login(client, "hv.inline")
    for path in ("/", "/courses/khoa-mau", "/courses/khoa-mau/hoc-phan-mot/bai-mo-dau", "/account"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "onclick" not in html


def test_post_without_csrf_token_is_rejected_and_changes_nothing(client, db_session):
    make_user(db_session, username="khong.csrf")
    db_session.commit()
    response = client.post("/login", data={"identifier": "khong.csrf", "password": PASSWORD})
    assert response.status_code == 400
    assert "tải lại trang" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_json_write_accepts_token_in_header(client, db_session):
    token = fetch_csrf(client)
    response = client.post("/language/en", headers={"X-CSRF-Token": token})
    assert response.status_code == 302
    bad = client.post("/language/en", headers={"X-CSRF-Token": "forged"}, json={})
    assert bad.status_code == 400 and bad.is_json


def test_the_check_reused_by_a_thread_judges_every_token_afresh(app, client, db_session):
    token = fetch_csrf(client)
    other = app.test_client()
    other_token = fetch_csrf(other)
    for header, expected in ((token, 302), ("forged", 400), (other_token, 400), ("", 400), (token, 302)):
        response = client.post("/language/en", headers={"X-CSRF-Token": header})
        assert response.status_code == expected, header  # another browser's token is not this one's
    assert other.post("/language/vi", headers={"X-CSRF-Token": other_token}).status_code == 302


def test_login_then_logout(client, db_session):
    make_user(db_session, username="dang.nhap", full_name="Lê Thị Thu Hà")
    db_session.commit()
    login(client, "dang.nhap")
    assert "Lê Thị Thu Hà" in client.get("/account").get_data(as_text=True)
    post_form(client, "/logout")
    assert client.get("/account").status_code == 302


def test_login_keeps_a_safe_next_target(client, db_session):
    make_user(db_session, username="next.user")
    db_session.commit()
    response = post_form(client, "/login?next=//evil.example", {"identifier": "next.user", "password": PASSWORD})
    assert response.headers["Location"] == "/"
    post_form(client, "/logout")
    response = post_form(client, "/login?next=/account", {"identifier": "next.user", "password": PASSWORD})
    assert response.headers["Location"] == "/account"


def test_wrong_password_shows_a_clear_message(client, db_session):
    make_user(db_session, username="sai.mk")
    db_session.commit()
    response = post_form(client, "/login", {"identifier": "sai.mk", "password": "khong-dung"})
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)


def test_too_many_failures_are_refused_with_the_wait(client, db_session):
    make_user(db_session, username="bi.khoa")
    db_session.commit()
    for _ in range(5):
        post_form(client, "/login", {"identifier": "bi.khoa", "password": "sai"})
    response = post_form(client, "/login", {"identifier": "bi.khoa", "password": PASSWORD})
    assert response.status_code == 429
    assert "thử lại sau" in response.get_data(as_text=True)


def test_session_cookie_flags(client, db_session):
    make_user(db_session, username="cookie.user")
    db_session.commit()
    response = login(client, "cookie.user")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_temporary_password_forces_a_change_first(client, db_session):
    body = make_body(db_session)
    make_user(db_session, Role.ORGANISER, body=body, username="btc.reset")
    trainee = make_user(db_session, Role.TRAINEE, body=body, username="hv.reset")
    db_session.commit()
    login(client, "btc.reset")
    slip = post_form(client, f"/people/{trainee.id}/reset-password").get_data(as_text=True)
    temporary = slip.split('class="password-value">')[1].split("<")[0]
    post_form(client, "/logout")
    login(client, "hv.reset", temporary)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/password")
    response = post_form(client, "/account/password", {"current": temporary, "new": "mat-khau-rieng-9",
                                                       "confirm": "mat-khau-rieng-9"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_change_password_form_errors_are_shown(client, db_session):
    make_user(db_session, username="doi.mk")
    db_session.commit()
    login(client, "doi.mk")
    response = post_form(client, "/account/password", {"current": PASSWORD, "new": "mat-khau-a", "confirm": "khac"})
    assert response.status_code == 400
    assert "Hai mật khẩu không khớp nhau." in response.get_data(as_text=True)


def test_organiser_creates_a_trainee_and_gets_a_printable_slip(client, db_session):
    body = make_body(db_session)
    make_user(db_session, Role.ORGANISER, body=body, username="btc.tao")
    db_session.commit()
    login(client, "btc.tao")
    response = post_form(client, "/people/new", {
        "full_name": "Hoàng Thị Lan", "username": "lan.ht", "role": "trainee", "date_of_birth": "30/05/1992",
        "phone": "0912 000 111", "email": "", "position": "Công chức Văn phòng - Thống kê", "work_unit_id": "",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "lan.ht" in html and "password-value" in html
    people = client.get("/people?q=hoang thi lan").get_data(as_text=True)
    assert "Hoàng Thị Lan" in people


def test_organiser_cannot_create_an_administrator(client, db_session):
    body = make_body(db_session)
    make_user(db_session, Role.ORGANISER, body=body, username="btc.admin")
    db_session.commit()
    login(client, "btc.admin")
    response = post_form(client, "/people/new", {"full_name": "Kẻ Gian", "username": "ke.gian", "role": "admin"})
    assert response.status_code == 400
    assert "Lựa chọn không hợp lệ" in response.get_data(as_text=True)


def test_bad_date_gets_a_message_in_vietnamese(client, db_session):
    body = make_body(db_session)
    make_user(db_session, Role.ORGANISER, body=body, username="btc.ngay")
    db_session.commit()
    login(client, "btc.ngay")
    response = post_form(client, "/people/new", {"full_name": "Trần Văn Nam", "username": "nam.tv", "role": "trainee",
                                                 "date_of_birth": "1985-07-02"})
    assert response.status_code == 400
    assert "dd/mm/yyyy" in response.get_data(as_text=True)


@pytest.mark.parametrize(("locale", "text"), [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_error_pages_in_both_languages(client, locale, text):
    post_form(client, f"/language/{locale}")
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404 and text in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/khong-co")
    assert response.status_code == 404 and response.json["error"]["status"] == 404


def test_request_size_is_limited(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/login", data={"identifier": "x" * (limit + 10)})
    assert response.status_code == 413


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_lesson_page_is_sanitised_and_marks_progress(client, db_session):
    body = make_body(db_session)
    trainee = make_user(db_session, Role.TRAINEE, body=body, username="hv.bai")
    course = load_fixture_content(db_session)
    make_class(db_session, body=body, course=course, trainees=[trainee])
    db_session.commit()
    login(client, "hv.bai")
    html = client.get("/courses/khoa-mau/hoc-phan-mot/bai-mo-dau").get_data(as_text=True)
    assert "<script>alert" not in html and "Mục tiêu bài học" in html and "Tự kiểm tra" in html
    assert '/courses/khoa-mau/assets/01-hoc-phan-mot/images/pdca.svg' in html
    response = post_form(client, "/courses/khoa-mau/hoc-phan-mot/bai-mo-dau/done", {"done": "1", "go_next": "1"})
    assert response.headers["Location"].endswith("/courses/khoa-mau/hoc-phan-mot/bai-hai")
    outline = client.get("/courses/khoa-mau").get_data(as_text=True)
    assert "Đã học xong 1/3 bài" in outline
    resume = client.get("/courses/khoa-mau/continue")
    assert resume.headers["Location"].endswith("/hoc-phan-mot/bai-hai")


def test_svg_assets_cannot_run_scripts(client, db_session):
    load_fixture_content(db_session)
    response = client.get("/courses/khoa-mau/assets/01-hoc-phan-mot/images/pdca.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert client.get("/courses/khoa-mau/assets/01-hoc-phan-mot/module.yaml").status_code == 404
    assert client.get("/courses/khoa-mau/assets/../../../etc/passwd.png").status_code == 404
