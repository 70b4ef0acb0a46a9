"""Reading content/courses/ into plain data, and reporting broken files as `path:line: message`."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from lms.courses.content import ContentError, read_all_courses
from tests.conftest import FIXTURES

GOOD_CONTENT = FIXTURES / "content"
SAMPLE = GOOD_CONTENT / "courses" / "khoa-mau"
PROBLEM_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): (?P<message>\S.*)$")

COURSE = "courses/khoa-mau/course.yaml"
MODULE_ONE = "courses/khoa-mau/01-hoc-phan-mot/module.yaml"
MODULE_TWO = "courses/khoa-mau/02-hoc-phan-hai/module.yaml"
LESSON_ONE = "courses/khoa-mau/01-hoc-phan-mot/01-bai-mo-dau.md"
LESSON_TWO = "courses/khoa-mau/01-hoc-phan-mot/02-bai-hai.md"
LESSON_THREE = "courses/khoa-mau/02-hoc-phan-hai/01-thuc-hanh.md"


# --- helpers -------------------------------------------------------------------------------------------------

def copy_content(tmp_path: Path, *, as_slug: str = "khoa-mau", root: Path | None = None) -> Path:
    """A private copy of the sample course under <tmp>/content/courses/<as_slug>; returns the content dir."""
    content = root or tmp_path / "content"
    target = content / "courses" / as_slug
    shutil.copytree(SAMPLE, target)
    if as_slug != "khoa-mau":
        replace_line(content, f"courses/{as_slug}/course.yaml", 1, f"slug: {as_slug}")
    return content


def replace_line(content: Path, relative: str, number: int, new: str) -> None:
    path = content / relative
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = new
    path.write_text("\n".join(lines), encoding="utf-8")


def delete_lines(content: Path, relative: str, first: int, last: int) -> None:
    path = content / relative
    lines = path.read_text(encoding="utf-8").split("\n")
    del lines[first - 1 : last]
    path.write_text("\n".join(lines), encoding="utf-8")


def problems_of(content: Path) -> list[tuple[str, int, str]]:
    """Read the tree expecting failure; every reported line must have the `path:line: message` form."""
    with pytest.raises(ContentError) as raised:
        read_all_courses(content)
    problems = raised.value.problems
    assert problems, "ContentError without problems"
    assert str(raised.value) == "\n".join(problems)
    parsed = []
    for problem in problems:
        match = PROBLEM_LINE.match(problem)
        assert match, f"not in path:line: message form: {problem!r}"
        parsed.append((match["path"], int(match["line"]), match["message"]))
    return parsed


def only_problem(content: Path) -> tuple[str, int, str]:
    problems = problems_of(content)
    assert len(problems) == 1, problems
    return problems[0]


# --- the good fixture ----------------------------------------------------------------------------------------

def test_sample_course_is_read_with_its_modules_and_lessons_in_order():
    courses = read_all_courses(GOOD_CONTENT)
    assert [c.slug for c in courses] == ["khoa-mau"]
    course = courses[0]
    assert course.title == "Khóa mẫu về hệ thống quản lý chất lượng"
    assert course.title_en == "Sample course on quality management"
    assert course.summary_en == "A small course used by the tests."
    assert course.duration_hours == 1.5
    assert course.position == 1
    assert course.audience == ""
    assert [(m.slug, m.folder, m.position) for m in course.modules] == [
        ("hoc-phan-mot", "01-hoc-phan-mot", 1),
        ("hoc-phan-hai", "02-hoc-phan-hai", 2),
    ]
    assert [[(lesson.slug, lesson.position) for lesson in m.lessons] for m in course.modules] == [
        [("bai-mo-dau", 1), ("bai-hai", 2)],
        [("thuc-hanh", 1)],
    ]
    assert sum(len(m.lessons) for m in course.modules) == 3


def test_lesson_fields_come_from_the_front_matter_and_body():
    course = read_all_courses(GOOD_CONTENT)[0]
    opening, second = course.modules[0].lessons
    assert opening.title == "Bài mở đầu"
    assert opening.title_en == "Opening lesson"
    assert opening.duration_minutes == 10
    assert opening.objectives == ["Hiểu vì sao cần hệ thống quản lý chất lượng."]
    assert opening.key_points == ["Người dân là khách hàng của cơ quan hành chính."]
    assert opening.body.startswith("## Mở đầu")
    assert "---" not in opening.body.splitlines()[0]
    assert "slug:" not in opening.body
    assert second.duration_minutes == 15
    assert "| Nguyên tắc | Ví dụ |" in second.body
    assert opening.path == SAMPLE / "01-hoc-phan-mot" / "01-bai-mo-dau.md"


def test_self_check_questions_are_parsed():
    course = read_all_courses(GOOD_CONTENT)[0]
    opening, second = course.modules[0].lessons
    assert opening.self_check == [{
        "type": "true_false",
        "stem": "Người dân được xem là khách hàng của cơ quan hành chính.",
        "answer": True,
        "explanation": "Kết quả giải quyết thủ tục hành chính là sản phẩm dịch vụ công.",
    }]
    assert second.self_check == []


def test_single_and_multiple_self_check_questions_keep_their_options(tmp_path):
    content = copy_content(tmp_path)
    delete_lines(content, LESSON_TWO, 10, 10)  # the closing '---'
    path = content / LESSON_TWO
    text = path.read_text(encoding="utf-8")
    front, body = text.split("## Bảy nguyên tắc", 1)
    path.write_text(front + "\n".join([
        "self_check:",
        "  - type: single",
        '    stem: "Có mấy nguyên tắc?"',
        "    options:",
        '      - {text: "Bảy", correct: true}',
        '      - {text: "Tám"}',
        '    explanation: "ISO 9000 nêu bảy nguyên tắc."',
        "  - type: multiple",
        '    stem: "Nguyên tắc nào có trong ISO 9000?"',
        "    options:",
        '      - {text: "Hướng vào khách hàng", correct: true}',
        '      - {text: "Cải tiến", correct: true}',
        '      - {text: "Lợi nhuận tối đa"}',
        '    explanation: "Hai nguyên tắc đầu."',
        "---",
        "## Bảy nguyên tắc",
    ]) + body, encoding="utf-8")
    lesson = read_all_courses(content)[0].modules[0].lessons[1]
    single, multiple = lesson.self_check
    assert single["type"] == "single"
    assert single["options"] == [{"text": "Bảy", "correct": True}, {"text": "Tám", "correct": False}]
    assert single["explanation"] == "ISO 9000 nêu bảy nguyên tắc."
    assert multiple["type"] == "multiple"
    assert [o["correct"] for o in multiple["options"]] == [True, True, False]


def test_text_read_from_decomposed_files_is_stored_in_nfc(tmp_path):
    content = copy_content(tmp_path)
    for relative in (COURSE, MODULE_ONE, LESSON_ONE):
        path = content / relative
        path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", (content / COURSE).read_text(encoding="utf-8"))
    course = read_all_courses(content)[0]
    lesson = course.modules[0].lessons[0]
    values = [course.title, course.summary, course.modules[0].title, lesson.title, lesson.body,
              *lesson.objectives, *lesson.key_points, lesson.self_check[0]["stem"], lesson.self_check[0]["explanation"]]
    assert all(unicodedata.is_normalized("NFC", value) for value in values)
    assert course.title == "Khóa mẫu về hệ thống quản lý chất lượng"
    assert lesson.objectives == ["Hiểu vì sao cần hệ thống quản lý chất lượng."]


def test_courses_come_in_folder_order_and_non_numbered_folders_are_not_modules(tmp_path):
    content = copy_content(tmp_path, as_slug="khoa-b")
    copy_content(tmp_path, as_slug="khoa-a", root=content)
    (content / "courses" / "khoa-a" / "questions").mkdir()
    (content / "courses" / "khoa-a" / "questions" / "hoc-phan-mot.yaml").write_text("module: hoc-phan-mot\n")
    (content / "courses" / "khoa-a" / "01-hoc-phan-mot" / "ghi-chu.md").write_text("không phải bài học\n")
    (content / "courses" / "README.txt").write_text("a file next to the course folders is ignored\n")
    courses = read_all_courses(content)
    assert [c.slug for c in courses] == ["khoa-a", "khoa-b"]
    assert [m.slug for m in courses[0].modules] == ["hoc-phan-mot", "hoc-phan-hai"]
    assert [lesson.slug for lesson in courses[0].modules[0].lessons] == ["bai-mo-dau", "bai-hai"]


def test_windows_line_endings_are_accepted(tmp_path):
    content = copy_content(tmp_path)
    path = content / LESSON_THREE
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    lesson = read_all_courses(content)[0].modules[1].lessons[0]
    assert lesson.slug == "thuc-hanh"
    assert lesson.objectives == ["Áp dụng chu trình PDCA."]


def test_content_hash_is_stable_and_changes_with_any_file(tmp_path):
    first = read_all_courses(GOOD_CONTENT)[0].content_hash
    content = copy_content(tmp_path)
    assert read_all_courses(content)[0].content_hash == first
    (content / "courses/khoa-mau/01-hoc-phan-mot/images/pdca.svg").write_text("<svg/>")
    assert read_all_courses(content)[0].content_hash != first


def test_missing_courses_folder_gives_no_courses(tmp_path):
    assert read_all_courses(tmp_path) == []


# --- broken content --------------------------------------------------------------------------------------------

def test_missing_course_yaml(tmp_path):
    content = copy_content(tmp_path)
    (content / COURSE).unlink()
    path, line, message = only_problem(content)
    assert (path, line) == (COURSE, 1)
    assert "course.yaml" in message


def test_yaml_syntax_error_reports_the_line_of_the_error(tmp_path):
    content = copy_content(tmp_path)
    replace_line(content, COURSE, 4, "summary: Khóa học: nhỏ")
    path, line, message = only_problem(content)
    assert (path, line) == (COURSE, 4)
    assert "YAML" in message


def test_yaml_syntax_error_in_lesson_front_matter_counts_lines_from_the_top_of_the_file(tmp_path):
    content = copy_content(tmp_path)
    replace_line(content, LESSON_TWO, 5, "duration_minutes: 15: phút")
    path, line, message = only_problem(content)
    assert (path, line) == (LESSON_TWO, 5)
    assert "YAML" in message


def test_yaml_that_is_not_a_mapping(tmp_path):
    content = copy_content(tmp_path)
    (content / MODULE_TWO).write_text("- chỉ là một danh sách\n", encoding="utf-8")
    path, line, _message = only_problem(content)
    assert (path, line) == (MODULE_TWO, 1)


def test_course_slug_must_match_its_folder(tmp_path):
    content = copy_content(tmp_path)
    replace_line(content, COURSE, 1, "slug: khoa-khac")
    path, line, message = only_problem(content)
    assert (path, line) == (COURSE, 1)
    assert "khoa-khac" in message and "khoa-mau" in message


def test_module_slug_must_match_its_folder(tmp_path):
    content = copy_content(tmp_path)
    replace_line(content, MODULE_TWO, 1, "slug: hoc-phan-ba")
    path, line, message = only_problem(content)
    assert (path, line) == (MODULE_TWO, 1)
    assert "hoc-phan-ba" in message and "hoc-phan-hai" in message


def test_lesson_slug_must_match_its_file_name(tmp_path):
    content = copy_content(tmp_path)
    replace_line(content, LESSON_TWO, 2, "slug: bai-ba")
    path, line, message = only_problem(content)
    assert (path, line) == (LESSON_TWO, 2)
    assert "bai-ba" in message and "bai-hai" in message


def test_lesson_without_front_matter(tmp_path):
    content = copy_content(tmp_path)
    (content / LESSON_TWO).write_text("## Bảy nguyên tắc\n\nKhông có phần đầu YAML.\n", encoding="utf-8")
    path, line, message = only_problem(content)
    assert (path, line) == (LESSON_TWO, 1)
    assert "---" in message


def test_lesson_whose_front_matter_is_never_closed(tmp_path):
    content = copy_content(tmp_path)
    delete_lines(content, LESSON_TWO, 10, 10)
    path, line, _message = only_problem(content)
    assert (path, line) == (LESSON_TWO, 1)


def test_lesson_without_body(tmp_path):
    content = copy_content(tmp_path)
    delete_lines(content, LESSON_TWO, 11, 15)
    path, line, _message = only_problem(content)
    assert (path, line) == (LESSON_TWO, 1)


def test_missing_objectives(tmp_path):
    content = copy_content(tmp_path)
    delete_lines(content, LESSON_TWO, 6, 7)
    path, _line, message = only_problem(content)
    assert path == LESSON_TWO
    assert "objectives" in message


def test_empty_objectives_are_reported_on_their_line(tmp_path):
    content = copy_content(tmp_path)
    replace_line(content, LESSON_TWO, 7, "  - ''")
    path, line, message = only_problem(content)
    assert (path, line) == (LESSON_TWO, 6)
    assert "objectives" in message


def test_missing_key_points(tmp_path):
    content = copy_content(tmp_path)
    delete_lines(content, LESSON_THREE, 8, 9)
    path, _line, message = only_problem(content)
    assert path == LESSON_THREE
    assert "key_points" in message


@pytest.mark.parametrize("question", [
    ["  - type: single", '    stem: "Hai đáp án đúng?"', "    options:", '      - {text: "A", correct: true}',
     '      - {text: "B", correct: true}', '    explanation: "Sai: single chỉ có một đáp án đúng."'],
    ["  - type: essay", '    stem: "Viết một đoạn."', '    explanation: "Không hỗ trợ."'],
    ["  - type: true_false", '    stem: "Đúng hay sai?"', '    answer: "có"', '    explanation: "answer phải là bool."'],
    ["  - type: single", '    stem: "Thiếu lời giải thích"', "    options:", '      - {text: "A", correct: true}',
     '      - {text: "B"}'],
    ["  - type: single", '    stem: "Một phương án"', "    options:", '      - {text: "A", correct: true}',
     '    explanation: "Cần ít nhất hai."'],
    ["  - type: multiple", '    stem: "Trùng phương án"', "    options:", '      - {text: "A", correct: true}',
     '      - {text: "A"}', '    explanation: "Phương án phải khác nhau."'],
], ids=["two-correct-single", "unknown-type", "non-bool-answer", "no-explanation", "one-option", "duplicate-options"])
def test_bad_self_check_question_is_reported_on_the_self_check_line(tmp_path, question):
    content = copy_content(tmp_path)
    path = content / LESSON_ONE
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[9] == "self_check:"
    lines[14:14] = question  # a second question, after the valid first one (which ends on line 14)
    path.write_text("\n".join(lines), encoding="utf-8")
    reported_path, line, message = only_problem(content)
    assert (reported_path, line) == (LESSON_ONE, 10)
    assert "2" in message  # names the second question


def test_self_check_that_is_not_a_list(tmp_path):
    content = copy_content(tmp_path)
    delete_lines(content, LESSON_ONE, 11, 14)
    replace_line(content, LESSON_ONE, 10, "self_check: có")
    path, line, _message = only_problem(content)
    assert (path, line) == (LESSON_ONE, 10)


def test_non_utf8_lesson(tmp_path):
    content = copy_content(tmp_path)
    path = content / LESSON_TWO
    path.write_bytes(path.read_bytes() + "Cải tiến liên tục\n".encode("cp1258", "replace"))
    reported_path, line, message = only_problem(content)
    assert (reported_path, line) == (LESSON_TWO, 1)
    assert "UTF-8" in message


def test_non_utf8_course_yaml(tmp_path):
    content = copy_content(tmp_path)
    (content / COURSE).write_bytes("slug: khoa-mau\ntitle: Khóa\n".encode("latin-1"))
    reported_path, line, message = only_problem(content)
    assert (reported_path, line) == (COURSE, 1)
    assert "UTF-8" in message


def test_module_without_lessons(tmp_path):
    content = copy_content(tmp_path)
    (content / LESSON_THREE).unlink()
    path, line, _message = only_problem(content)
    assert (path, line) == (MODULE_TWO, 1)


def test_course_without_modules(tmp_path):
    content = copy_content(tmp_path)
    for folder in ("01-hoc-phan-mot", "02-hoc-phan-hai"):
        shutil.rmtree(content / "courses" / "khoa-mau" / folder)
    path, line, _message = only_problem(content)
    assert (path, line) == (COURSE, 1)


def test_missing_module_yaml(tmp_path):
    content = copy_content(tmp_path)
    (content / MODULE_TWO).unlink()
    path, line, _message = only_problem(content)
    assert (path, line) == (MODULE_TWO, 1)


def test_missing_required_course_field(tmp_path):
    content = copy_content(tmp_path)
    delete_lines(content, COURSE, 3, 3)
    path, _line, message = only_problem(content)
    assert path == COURSE
    assert "title_en" in message


def test_negative_duration_is_rejected(tmp_path):
    content = copy_content(tmp_path)
    replace_line(content, COURSE, 6, "duration_hours: -2")
    path, _line, message = only_problem(content)
    assert path == COURSE
    assert "duration_hours" in message


def test_every_problem_in_every_course_is_reported_together(tmp_path):
    content = copy_content(tmp_path)
    copy_content(tmp_path, as_slug="khoa-thu-hai", root=content)
    replace_line(content, MODULE_ONE, 1, "slug: sai-ten")                     # slug mismatch
    replace_line(content, LESSON_TWO, 5, "duration_minutes: 15: phút")       # YAML error
    delete_lines(content, LESSON_THREE, 6, 7)                                 # no objectives
    second = "courses/khoa-thu-hai"
    (content / second / "01-hoc-phan-mot/01-bai-mo-dau.md").write_text("Không có phần đầu.\n", encoding="utf-8")
    (content / second / "02-hoc-phan-hai/01-thuc-hanh.md").write_bytes(b"---\nslug: thuc-hanh\ntitle: \xe0\n---\n")
    problems = problems_of(content)
    reported = {(path, line) for path, line, _message in problems}
    assert {(MODULE_ONE, 1), (LESSON_TWO, 5), (f"{second}/01-hoc-phan-mot/01-bai-mo-dau.md", 1),
            (f"{second}/02-hoc-phan-hai/01-thuc-hanh.md", 1)} <= reported
    assert any(path == LESSON_THREE and "objectives" in message for path, _line, message in problems)
    # The second course's module 02 lost its only lesson, so it is also reported as having none.
    assert (f"{second}/02-hoc-phan-hai/module.yaml", 1) in reported
    assert len(problems) == 6
    # Courses are checked in folder order: khoa-mau's problems come before khoa-thu-hai's.
    paths = [path for path, _line, _message in problems]
    assert paths == sorted(paths, key=lambda p: p.startswith(second))
