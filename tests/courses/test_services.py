"""Course services: loading content into the database, lesson Markdown, who may study, and progress."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from lms.auth.models import Role
from lms.content_sync import ContentSyncError, sync_content
from lms.courses import services
from lms.courses.markdown import render_inline, render_markdown, sanitise_html
from lms.courses.models import Course, Lesson, LessonProgress, Module
from lms.errors import Forbidden, NotFound
from tests.conftest import FIXTURES
from tests.factories import load_fixture_content, make_body, make_class, make_user

SAMPLE = FIXTURES / "content" / "courses" / "khoa-mau"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def minutes(n: int) -> datetime:
    return NOW + timedelta(minutes=n)


def copy_content(tmp_path: Path, *slugs: str) -> Path:
    """<tmp>/content with one copy of the sample course per slug (course.yaml's slug adjusted)."""
    content = tmp_path / "content"
    for slug in slugs or ("khoa-mau",):
        target = content / "courses" / slug
        shutil.copytree(SAMPLE, target)
        course_yaml = target / "course.yaml"
        course_yaml.write_text(course_yaml.read_text(encoding="utf-8").replace("slug: khoa-mau", f"slug: {slug}"),
                               encoding="utf-8")
    return content


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def lessons_by_slug(session) -> dict[str, Lesson]:
    return {lesson.slug: lesson for lesson in session.scalars(select(Lesson))}


# --- sync ------------------------------------------------------------------------------------------------------

def test_first_sync_creates_the_course_modules_and_lessons(app_ctx, db_session, tmp_path):
    content = copy_content(tmp_path)
    report = sync_content(db_session, str(content), now=NOW)
    assert report[0] == "courses created: khoa-mau"
    assert "courses updated: -" in report
    assert "courses unchanged: -" in report
    course = services.get_course(db_session, "khoa-mau")
    assert course.published
    assert course.title == "Khóa mẫu về hệ thống quản lý chất lượng"
    assert course.updated_at == NOW
    assert [m.slug for m in course.modules] == ["hoc-phan-mot", "hoc-phan-hai"]
    assert [lesson.slug for lesson in services.ordered_lessons(course)] == ["bai-mo-dau", "bai-hai", "thuc-hanh"]
    opening = course.modules[0].lessons[0]
    assert opening.objectives == ["Hiểu vì sao cần hệ thống quản lý chất lượng."]
    assert [q["key"] for q in opening.self_check] == ["tu-kiem-1", "tu-kiem-2", "tu-kiem-3"]
    assert opening.self_check[0]["truth"] is True
    assert (count(db_session, Course), count(db_session, Module), count(db_session, Lesson)) == (1, 2, 3)


def test_second_sync_is_unchanged_and_keeps_every_row(app_ctx, db_session, tmp_path):
    content = copy_content(tmp_path)
    sync_content(db_session, str(content), now=NOW)
    before = {
        "courses": set(db_session.scalars(select(Course.id))),
        "modules": set(db_session.scalars(select(Module.id))),
        "lessons": set(db_session.scalars(select(Lesson.id))),
    }
    report = sync_content(db_session, str(content), now=minutes(5))
    assert report[:3] == ["courses created: -", "courses updated: -", "courses unchanged: khoa-mau"]
    assert not any("unpublished" in line for line in report)
    after = {
        "courses": set(db_session.scalars(select(Course.id))),
        "modules": set(db_session.scalars(select(Module.id))),
        "lessons": set(db_session.scalars(select(Lesson.id))),
    }
    assert after == before
    assert (count(db_session, Course), count(db_session, Module), count(db_session, Lesson)) == (1, 2, 3)
    assert services.get_course(db_session, "khoa-mau").updated_at == NOW


def test_changed_lesson_is_updated_in_place_and_progress_survives(app_ctx, db_session, tmp_path):
    content = copy_content(tmp_path)
    sync_content(db_session, str(content), now=NOW)
    trainee = make_user(db_session)
    lessons = lessons_by_slug(db_session)
    services.set_done(db_session, trainee, lessons["bai-hai"], done=True, now=minutes(1))
    ids = {slug: lesson.id for slug, lesson in lessons.items()}

    lesson_file = content / "courses/khoa-mau/01-hoc-phan-mot/02-bai-hai.md"
    text = lesson_file.read_text(encoding="utf-8")
    lesson_file.write_text(text.replace('title: "Bài hai"', 'title: "Bài hai (sửa)"')
                           + "\nNội dung mới về cải tiến.\n", encoding="utf-8")
    report = sync_content(db_session, str(content), now=minutes(10))

    assert "courses updated: khoa-mau" in report
    db_session.expire_all()
    lessons = lessons_by_slug(db_session)
    assert {slug: lesson.id for slug, lesson in lessons.items()} == ids
    assert lessons["bai-hai"].title == "Bài hai (sửa)"
    assert "Nội dung mới về cải tiến." in lessons["bai-hai"].body_html
    assert count(db_session, Lesson) == 3
    progress = db_session.scalars(select(LessonProgress).where(LessonProgress.user_id == trainee.id)).all()
    assert [(row.lesson_id, row.completed_at) for row in progress] == [(ids["bai-hai"], minutes(1))]
    course = services.get_course(db_session, "khoa-mau")
    assert course.updated_at == minutes(10)
    assert services.course_progress(db_session, trainee, course).done == 1


def test_removed_course_is_unpublished_not_deleted(app_ctx, db_session, tmp_path):
    both = copy_content(tmp_path / "both", "khoa-mau", "khoa-hai")
    sync_content(db_session, str(both), now=NOW)
    removed_id = services.get_course(db_session, "khoa-hai").id

    only_one = copy_content(tmp_path / "one", "khoa-mau")
    report = sync_content(db_session, str(only_one), now=minutes(1))

    assert "courses unchanged: khoa-mau" in report
    assert "courses unpublished (gone from content/): khoa-hai" in report
    gone = db_session.get(Course, removed_id)
    assert gone is not None and gone.published is False
    assert [c.slug for c in services.published_courses(db_session)] == ["khoa-mau"]
    with pytest.raises(NotFound):
        services.get_course(db_session, "khoa-hai")
    # A third sync does not report it again.
    assert not any("unpublished" in line for line in sync_content(db_session, str(only_one), now=minutes(2)))


def test_course_that_comes_back_is_published_again(app_ctx, db_session, tmp_path):
    both = copy_content(tmp_path / "both", "khoa-mau", "khoa-hai")
    sync_content(db_session, str(both), now=NOW)
    course_id = services.get_course(db_session, "khoa-hai").id
    sync_content(db_session, str(copy_content(tmp_path / "one", "khoa-mau")), now=minutes(1))
    report = sync_content(db_session, str(both), now=minutes(2))
    assert "courses updated: khoa-hai" in report
    assert services.get_course(db_session, "khoa-hai").id == course_id


def test_broken_tree_raises_and_writes_nothing(app_ctx, db_session, tmp_path):
    content = copy_content(tmp_path, "khoa-mau", "khoa-hai")
    (content / "courses/khoa-hai/02-hoc-phan-hai/01-thuc-hanh.md").write_text("không có phần đầu\n", encoding="utf-8")
    with pytest.raises(ContentSyncError) as raised:
        sync_content(db_session, str(content), now=NOW)
    assert "courses/khoa-hai/02-hoc-phan-hai/01-thuc-hanh.md:1: " in str(raised.value)
    # The valid course is not loaded either: all or nothing.
    assert (count(db_session, Course), count(db_session, Module), count(db_session, Lesson)) == (0, 0, 0)


def test_broken_tree_leaves_the_loaded_course_as_it_was(app_ctx, db_session, tmp_path):
    content = copy_content(tmp_path)
    sync_content(db_session, str(content), now=NOW)
    course_yaml = content / "courses/khoa-mau/course.yaml"
    course_yaml.write_text(course_yaml.read_text(encoding="utf-8").replace("Khóa mẫu", "Khóa đổi tên"),
                           encoding="utf-8")
    (content / "courses/khoa-mau/01-hoc-phan-mot/module.yaml").write_text("slug: sai\n", encoding="utf-8")
    with pytest.raises(ContentSyncError) as raised:
        sync_content(db_session, str(content), now=minutes(1))
    assert re.search(r"^courses/khoa-mau/01-hoc-phan-mot/module\.yaml:1: ", str(raised.value), re.MULTILINE)
    db_session.expire_all()
    course = services.get_course(db_session, "khoa-mau")
    assert course.title == "Khóa mẫu về hệ thống quản lý chất lượng"
    assert course.updated_at == NOW
    assert count(db_session, Lesson) == 3


def test_synced_lesson_html_is_sanitised_and_images_point_to_course_assets(app_ctx, db_session):
    load_fixture_content(db_session)
    lessons = lessons_by_slug(db_session)
    opening = lessons["bai-mo-dau"].body_html
    assert "<h2>Mở đầu</h2>" in opening
    assert 'src="/courses/khoa-mau/assets/01-hoc-phan-mot/images/pdca.svg"' in opening
    assert 'alt="Chu trình PDCA"' in opening
    assert "<script" not in opening.lower()
    assert "<table>" in lessons["bai-hai"].body_html


# --- Markdown --------------------------------------------------------------------------------------------------

class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """The real tags of the HTML with their attributes (escaped text is not a tag)."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


@pytest.mark.parametrize("source", [
    '<script>alert("x")</script>',
    'Đoạn văn\n\n<script src="https://evil.example/x.js"></script>\n',
    "<SCRIPT>alert(1)</SCRIPT>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | x |",
])
def test_script_tags_never_survive(source):
    html = render_markdown(source)
    assert "script" not in {tag for tag, _attrs in elements(html)}
    assert "<script" not in html.lower()


@pytest.mark.parametrize("source", [
    "[bấm vào đây](javascript:alert(1))",
    "[bấm](JaVaScRiPt:alert(1))",
    "[bấm](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[bấm][x]\n\n[x]: javascript:alert(1)",
    "![ảnh](javascript:alert(1))",
    '<a href="javascript:alert(1)">bấm</a>',
])
def test_javascript_links_never_survive(source):
    html = render_markdown(source, resolve_image=lambda src: src)
    urls = [value or "" for _tag, attrs in elements(html) for name, value in attrs.items() if name in ("href", "src")]
    assert not any("javascript" in url.lower() for url in urls), html


def test_sanitiser_drops_javascript_urls_event_handlers_and_styles():
    html = sanitise_html('<p style="color:red" onclick="x()">Chữ <a href="javascript:alert(1)">bấm</a>'
                         '<img src="x.png" onerror="alert(1)"><iframe src="https://example.org"></iframe></p>')
    assert "javascript:" not in html
    found = elements(html)
    assert [tag for tag, _attrs in found] == ["p", "a", "img"]
    assert all(name in {"href", "src", "rel", "alt", "title"} for _tag, attrs in found for name in attrs)
    assert "Chữ" in html


def test_ordinary_links_are_kept_and_marked_noopener():
    html = render_markdown("[Cổng dịch vụ công](https://dichvucong.gov.vn)")
    assert 'href="https://dichvucong.gov.vn"' in html
    assert "noopener" in html


def test_tables_render():
    html = render_markdown("| Nguyên tắc | Ví dụ |\n|---|---|\n| Hướng vào khách hàng | Lấy ý kiến người dân |\n")
    assert "<table>" in html
    assert "<th>Nguyên tắc</th>" in html
    assert "<td>Hướng vào khách hàng</td>" in html


def test_aligned_tables_render_without_inline_styles():
    html = render_markdown("| Trái | Giữa | Phải |\n|:---|:---:|---:|\n| a | b | c |\n")
    found = elements(html)
    assert [tag for tag, _attrs in found if tag in ("th", "td")] == ["th"] * 3 + ["td"] * 3
    assert not any("style" in attrs for _tag, attrs in found)
    assert "style=" not in html


def test_images_are_re_pointed_through_the_resolver():
    seen = []

    def resolve(src: str) -> str:
        seen.append(src)
        return f"/courses/khoa-mau/assets/01-hoc-phan-mot/{src}"

    html = render_markdown("![Chu trình PDCA](images/pdca.svg)", resolve_image=resolve)
    assert seen == ["images/pdca.svg"]
    assert '<img src="/courses/khoa-mau/assets/01-hoc-phan-mot/images/pdca.svg" alt="Chu trình PDCA"' in html


def test_sync_keeps_absolute_image_urls(app_ctx, db_session, tmp_path):
    content = copy_content(tmp_path)
    lesson_file = content / "courses/khoa-mau/02-hoc-phan-hai/01-thuc-hanh.md"
    lesson_file.write_text(lesson_file.read_text(encoding="utf-8")
                           + "\n![Sơ đồ](https://example.org/so-do.png)\n\n![Logo](/static/logo.svg)\n",
                           encoding="utf-8")
    sync_content(db_session, str(content), now=NOW)
    html = lessons_by_slug(db_session)["thuc-hanh"].body_html
    assert 'src="https://example.org/so-do.png"' in html
    assert 'src="/static/logo.svg"' in html


def test_raw_html_is_not_rendered():
    html = render_markdown('<div class="x">khối</div>\n\nChữ <b>đậm</b>')
    assert "<div" not in html
    assert "<b>" not in html


def test_inline_markdown_keeps_emphasis_and_code_only():
    html = render_inline("**Quan trọng** và `mã` <script>x</script>")
    assert "<strong>Quan trọng</strong>" in html
    assert "<code>mã</code>" in html
    assert "<script" not in html
    assert "<p>" not in html


# --- who may study ---------------------------------------------------------------------------------------------

def test_trainee_may_study_only_courses_of_classes_they_are_enrolled_in(app_ctx, db_session):
    course = load_fixture_content(db_session)
    body = make_body(db_session)
    enrolled = make_user(db_session, body=body)
    outsider = make_user(db_session, body=body)
    make_class(db_session, body=body, course=course, trainees=[enrolled])
    assert services.can_study(db_session, enrolled, course)
    assert not services.can_study(db_session, outsider, course)
    services.require_study(db_session, enrolled, course)
    with pytest.raises(Forbidden) as raised:
        services.require_study(db_session, outsider, course)
    assert raised.value.message


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ORGANISER, Role.TRAINER])
def test_staff_may_always_study(app_ctx, db_session, role):
    course = load_fixture_content(db_session)
    staff = make_user(db_session, role, body=make_body(db_session))
    assert services.can_study(db_session, staff, course)


def test_anonymous_user_may_not_study(app_ctx, db_session):
    course = load_fixture_content(db_session)
    assert not services.can_study(db_session, AnonymousUserMixin(), course)


def test_enrolment_in_another_course_does_not_open_this_one(app_ctx, db_session, tmp_path):
    sync_content(db_session, str(copy_content(tmp_path, "khoa-mau", "khoa-hai")), now=NOW)
    first, second = (services.get_course(db_session, slug) for slug in ("khoa-mau", "khoa-hai"))
    body = make_body(db_session)
    trainee = make_user(db_session, body=body)
    make_class(db_session, body=body, course=second, trainees=[trainee])
    assert services.enrolled_course_ids(db_session, trainee) == {second.id}
    assert services.can_study(db_session, trainee, second)
    assert not services.can_study(db_session, trainee, first)


# --- lessons and progress --------------------------------------------------------------------------------------

@pytest.fixture
def course(app_ctx, db_session):
    load_fixture_content(db_session)
    return services.get_course(db_session, "khoa-mau")


def slugs(lessons) -> list[str | None]:
    return [lesson.slug if lesson else None for lesson in lessons]


def test_find_lesson(course):
    assert services.find_lesson(course, "hoc-phan-hai", "thuc-hanh").title == "Thực hành"
    with pytest.raises(NotFound):
        services.find_lesson(course, "hoc-phan-mot", "thuc-hanh")
    with pytest.raises(NotFound):
        services.find_lesson(course, "khong-co", "bai-hai")


def test_neighbours_cross_module_boundaries(course):
    opening, second, practice = services.ordered_lessons(course)
    assert slugs(services.neighbours(course, opening)) == [None, "bai-hai"]
    assert slugs(services.neighbours(course, second)) == ["bai-mo-dau", "thuc-hanh"]
    assert slugs(services.neighbours(course, practice)) == ["bai-hai", None]


def test_progress_of_a_new_trainee_starts_at_the_first_lesson(db_session, course):
    trainee = make_user(db_session)
    progress = services.course_progress(db_session, trainee, course)
    assert (progress.done, progress.total, progress.percent) == (0, 3, 0)
    assert progress.continue_lesson.slug == "bai-mo-dau"


def test_continue_with_the_last_viewed_unfinished_lesson(db_session, course):
    trainee = make_user(db_session)
    opening, second, practice = services.ordered_lessons(course)
    services.record_view(db_session, trainee, practice, now=minutes(1))
    services.record_view(db_session, trainee, second, now=minutes(2))
    progress = services.course_progress(db_session, trainee, course)
    assert progress.done == 0
    assert progress.continue_lesson.slug == "bai-hai"
    services.record_view(db_session, trainee, practice, now=minutes(3))
    assert services.course_progress(db_session, trainee, course).continue_lesson.slug == "thuc-hanh"


def test_after_finishing_a_lesson_continue_with_the_next_undone_one(db_session, course):
    trainee = make_user(db_session)
    opening, second, practice = services.ordered_lessons(course)
    services.set_done(db_session, trainee, opening, done=True, now=minutes(1))
    progress = services.course_progress(db_session, trainee, course)
    assert (progress.done, progress.total, progress.percent) == (1, 3, 33)
    assert progress.continue_lesson.slug == "bai-hai"

    services.set_done(db_session, trainee, second, done=True, now=minutes(2))
    progress = services.course_progress(db_session, trainee, course)
    assert (progress.done, progress.percent) == (2, 67)
    assert progress.continue_lesson.slug == "thuc-hanh"  # across the module boundary


def test_next_undone_lesson_wraps_around_to_earlier_ones(db_session, course):
    trainee = make_user(db_session)
    opening, second, practice = services.ordered_lessons(course)
    services.set_done(db_session, trainee, second, done=True, now=minutes(1))
    services.set_done(db_session, trainee, practice, done=True, now=minutes(2))
    progress = services.course_progress(db_session, trainee, course)
    assert progress.done == 2
    assert progress.continue_lesson.slug == "bai-mo-dau"


def test_next_undone_lesson_skips_done_ones_after_the_last_viewed(db_session, course):
    trainee = make_user(db_session)
    opening, second, practice = services.ordered_lessons(course)
    services.set_done(db_session, trainee, second, done=True, now=minutes(1))
    services.set_done(db_session, trainee, opening, done=True, now=minutes(2))
    assert services.course_progress(db_session, trainee, course).continue_lesson.slug == "thuc-hanh"


def test_nothing_to_continue_when_every_lesson_is_done(db_session, course):
    trainee = make_user(db_session)
    for number, lesson in enumerate(services.ordered_lessons(course)):
        services.set_done(db_session, trainee, lesson, done=True, now=minutes(number))
    progress = services.course_progress(db_session, trainee, course)
    assert (progress.done, progress.total, progress.percent) == (3, 3, 100)
    assert progress.continue_lesson is None


def test_progress_is_per_user(db_session, course):
    first, second = make_user(db_session), make_user(db_session)
    for lesson in services.ordered_lessons(course):
        services.set_done(db_session, first, lesson, done=True, now=NOW)
    progress = services.course_progress(db_session, second, course)
    assert progress.done == 0
    assert progress.continue_lesson.slug == "bai-mo-dau"


def test_record_view_keeps_one_row_and_the_first_view_time(db_session, course):
    trainee = make_user(db_session)
    lesson = services.ordered_lessons(course)[0]
    first = services.record_view(db_session, trainee, lesson, now=minutes(1))
    again = services.record_view(db_session, trainee, lesson, now=minutes(7))
    assert again.id == first.id
    assert (again.first_viewed_at, again.last_viewed_at, again.completed_at) == (minutes(1), minutes(7), None)
    rows = db_session.scalar(select(func.count()).select_from(LessonProgress)
                             .where(LessonProgress.user_id == trainee.id))
    assert rows == 1


def test_set_done_twice_keeps_the_first_completion_time_and_can_be_undone(db_session, course):
    trainee = make_user(db_session)
    lesson = services.ordered_lessons(course)[1]
    services.set_done(db_session, trainee, lesson, done=True, now=minutes(1))
    row = services.set_done(db_session, trainee, lesson, done=True, now=minutes(5))
    assert row.completed_at == minutes(1)
    assert row.last_viewed_at == minutes(5)
    row = services.set_done(db_session, trainee, lesson, done=False, now=minutes(6))
    assert row.completed_at is None
    progress = services.course_progress(db_session, trainee, course)
    assert progress.done == 0
    assert progress.continue_lesson.slug == "bai-hai"


def test_percent_of_a_course_without_lessons_is_zero():
    assert services.CourseProgress(done=0, total=0, continue_lesson=None).percent == 0
