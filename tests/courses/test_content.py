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
    assert [(q["key"], q["type"]) for q in opening.self_check] == [
        ("tu-kiem-1", "true_false"), ("tu-kiem-2", "single"), ("tu-kiem-3", "ordering"),
    ]
    true_false, single, ordering = opening.self_check
    assert true_false["stem"] == "Người dân được xem là khách hàng của cơ quan hành chính."
    assert true_false["truth"] is True
    assert true_false["explanation"] == "Kết quả giải quyết thủ tục hành chính là sản phẩm dịch vụ công."
    assert [(o["text"], o["weight"]) for o in single["options"]] == [("Bộ phận một cửa", 100.0),
                                                                      ("Phòng kế toán", 0.0)]
    assert ordering["order_items"] == ["Lập kế hoạch", "Thực hiện", "Kiểm tra", "Hành động"]
    assert all("line" not in q for q in opening.self_check)
    assert second.self_check == []


SELF_CHECK_FOR_LESSON_TWO = [
    "self_check:",
    "  - key: nguyen-tac-1",
    "    type: single",
    '    stem: "Có mấy nguyên tắc?"',
    "    options:",
    '      - {text: "Bảy", correct: true}',
    '      - {text: "Tám"}',
    '    explanation: "ISO 9000 nêu bảy nguyên tắc."',
    "  - key: nguyen-tac-2",
    "    type: multiple",
    '    stem: "Nguyên tắc nào có trong ISO 9000?"',
    "    options:",
    '      - {text: "Hướng vào khách hàng", correct: true}',
    '      - {text: "Cải tiến", correct: true}',
    '      - {text: "Lợi nhuận tối đa"}',
    '    explanation: "Hai nguyên tắc đầu."',
    "  - key: nguyen-tac-3",
    "    type: true_false",
    '    stem: "Cải tiến là một nguyên tắc."',
    "    answer: true",
    '    explanation: "Đúng."',
]


def test_self_check_is_added_to_a_lesson(tmp_path):
    content = copy_content(tmp_path)
    path = content / LESSON_TWO
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[9] == "---"
    lines[9:9] = SELF_CHECK_FOR_LESSON_TWO
    path.write_text("\n".join(lines), encoding="utf-8")
    lesson = read_all_courses(content)[0].modules[0].lessons[1]
    assert [q["key"] for q in lesson.self_check] == ["nguyen-tac-1", "nguyen-tac-2", "nguyen-tac-3"]
    single, multiple, true_false = lesson.self_check
    assert [o["text"] for o in single["options"]] == ["Bảy", "Tám"]
    assert [o["weight"] > 0 for o in multiple["options"]] == [True, True, False]
    assert true_false["truth"] is True
    assert lesson.body.startswith("## Bảy nguyên tắc")


def test_text_read_from_decomposed_files_is_stored_in_nfc(tmp_path):
    content = copy_content(tmp_path)
    for relative in (COURSE, MODULE_ONE, LESSON_ONE):
        path = content / relative
        path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", (content / COURSE).read_text(encoding="utf-8"))
    course = read_all_courses(content)[0]
    lesson = course.modules[0].lessons[0]
    values = [course.title, course.summary, course.modules[0].title, lesson.title, lesson.body,
              *lesson.objectives, *lesson.key_points, lesson.self_check[0]["stem"], lesson.self_check[0]["explanation"],
              *lesson.self_check[2]["order_items"], lesson.self_check[1]["options"][0]["text"]]
    assert all(unicodedata.is_normalized("NFC", value) for value in values)
    assert course.title == "Khóa mẫu về hệ thống quản lý chất lượng"
    assert lesson.objectives == ["Hiểu vì sao cần hệ thống quản lý chất lượng."]


def test_control_characters_in_content_files_are_dropped(tmp_path):
    content = copy_content(tmp_path)
    replace_line(content, COURSE, 2, 'title: "Khóa\\x00 mẫu\\x1b về hệ thống quản lý chất lượng"')
    replace_line(content, LESSON_ONE, 3, "title: Bài\x0bmở\x01 đầu")
    lesson_path = content / LESSON_ONE
    lesson_path.write_text(lesson_path.read_text(encoding="utf-8") + "\nĐoạn\x00 cuối\x0cbài.\n", encoding="utf-8")
    course = read_all_courses(content)[0]
    lesson = course.modules[0].lessons[0]
    assert course.title == "Khóa mẫu về hệ thống quản lý chất lượng"
    assert lesson.title == "Bài mở đầu" and lesson.body.endswith("Đoạn cuối bài.")


def test_courses_come_in_folder_order_and_non_numbered_folders_are_not_modules(tmp_path):
    content = copy_content(tmp_path, as_slug="khoa-b")
    copy_content(tmp_path, as_slug="khoa-a", root=content)
    assert (content / "courses" / "khoa-a" / "questions").is_dir()  # banks and tests are not modules
    assert (content / "courses" / "khoa-a" / "tests").is_dir()
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


SELF_CHECK_END = 27  # the last line of the fixture's third self-check question; '---' follows


@pytest.mark.parametrize(("question", "offset"), [
    (["  - key: tu-kiem-4", "    type: single", '    stem: "Hai đáp án đúng?"', "    options:",
      '      - {text: "A", correct: true}', '      - {text: "B", correct: true}', '    explanation: "Sai."'], 0),
    (["  - key: tu-kiem-4", "    type: essay", '    stem: "Viết một đoạn."', '    explanation: "Không hỗ trợ."'], 1),
    (["  - key: tu-kiem-4", "    type: true_false", '    stem: "Đúng hay sai?"', '    answer: "có"',
      '    explanation: "answer phải là bool."'], 3),
    (["  - key: tu-kiem-4", "    type: single", '    stem: "Thiếu lời giải thích"', "    options:",
      '      - {text: "A", correct: true}', '      - {text: "B"}'], 0),
    (["  - key: tu-kiem-4", "    type: single", '    stem: "Một phương án"', "    options:",
      '      - {text: "A", correct: true}', '    explanation: "Cần ít nhất hai."'], 0),
    (["  - key: tu-kiem-1", "    type: true_false", '    stem: "Trùng mã"', "    answer: false",
      '    explanation: "Mã trùng với câu 1."'], 0),
    (["  - type: true_false", '    stem: "Không có mã"', "    answer: false", '    explanation: "Thiếu key."'], 0),
], ids=["two-correct-single", "unknown-type", "non-bool-answer", "no-explanation", "one-option", "duplicate-key",
        "no-key"])
def test_bad_self_check_question_is_reported_on_its_own_line(tmp_path, question, offset):
    content = copy_content(tmp_path)
    path = content / LESSON_ONE
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[SELF_CHECK_END] == "---"
    lines[SELF_CHECK_END:SELF_CHECK_END] = question  # a fourth question, starting on line 28
    path.write_text("\n".join(lines), encoding="utf-8")
    reported_path, line, _message = only_problem(content)
    assert (reported_path, line) == (LESSON_ONE, SELF_CHECK_END + 1 + offset)


@pytest.mark.parametrize(("keep", "expected_line"), [(2, 11), (0, 10)])
def test_self_check_needs_three_to_five_questions(tmp_path, keep, expected_line):
    content = copy_content(tmp_path)
    path = content / LESSON_ONE
    lines = path.read_text(encoding="utf-8").split("\n")
    question_starts = [11, 16, 23]
    del lines[question_starts[keep] - 1 : SELF_CHECK_END]
    if keep == 0:
        lines[9] = "self_check: []"
    path.write_text("\n".join(lines), encoding="utf-8")
    reported_path, line, message = only_problem(content)
    assert (reported_path, line) == (LESSON_ONE, expected_line)  # where the list starts
    assert "3" in message and "5" in message


def test_self_check_with_six_questions_is_rejected(tmp_path):
    content = copy_content(tmp_path)
    path = content / LESSON_ONE
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[SELF_CHECK_END:SELF_CHECK_END] = [
        line for n in (4, 5, 6) for line in (f"  - key: tu-kiem-{n}", "    type: true_false", f'    stem: "Câu {n}"',
                                              "    answer: true", '    explanation: "Đúng."')
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    reported_path, line, _message = only_problem(content)
    assert (reported_path, line) == (LESSON_ONE, 11)


def test_self_check_that_is_not_a_list(tmp_path):
    content = copy_content(tmp_path)
    delete_lines(content, LESSON_ONE, 11, SELF_CHECK_END)
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
