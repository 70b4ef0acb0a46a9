"""Reads content/courses/<slug>/ into plain data, reporting every problem as `file:line: message`.

No database here: services.sync_courses() stores what this returns.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from lms.text import nfc

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ORDERED_NAME = re.compile(r"^(\d{2})-([a-z0-9-]+)$")


class ContentError(Exception):
    """Raised with every problem found; str() gives one `file:line: message` per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LessonData:
    slug: str
    position: int
    title: str
    title_en: str
    duration_minutes: int
    objectives: list[str]
    key_points: list[str]
    self_check: list[dict]
    body: str
    path: Path


@dataclass
class ModuleData:
    slug: str
    folder: str
    position: int
    title: str
    title_en: str
    summary: str
    summary_en: str
    lessons: list[LessonData] = field(default_factory=list)


@dataclass
class CourseData:
    slug: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    audience: str
    duration_hours: float
    position: int
    path: Path
    content_hash: str
    modules: list[ModuleData] = field(default_factory=list)
    checked_on: date | None = None  # when the content was last checked against its basis
    basis: list[str] = field(default_factory=list)  # the editions and legal texts it rests on


class _Problems:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[str] = []

    def add(self, path: Path, line: int, message: str) -> None:
        self.items.append(f"{_relative(path, self.root)}:{line}: {message}")


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_all_courses(content_dir: str | Path) -> list[CourseData]:
    """Parse every course folder; raise ContentError listing all problems if any file is broken."""
    courses, problems = read_courses_and_problems(content_dir)
    if problems:
        raise ContentError(problems)
    return courses


def read_courses_and_problems(content_dir: str | Path) -> tuple[list[CourseData], list[str]]:
    """Every course that could be read, and every problem found (`file:line: message`)."""
    root = Path(content_dir)
    courses_dir = root / "courses"
    problems = _Problems(root)
    courses = []
    for folder in sorted(p for p in courses_dir.iterdir() if p.is_dir()) if courses_dir.is_dir() else []:
        course = _read_course(folder, problems)
        if course is not None:
            courses.append(course)
    return courses, problems.items


def _load_yaml(path: Path, problems: _Problems, *, text: str | None = None, line_offset: int = 0) -> dict | None:
    try:
        raw = path.read_text(encoding="utf-8-sig") if text is None else text
        data = yaml.safe_load(raw)
    except UnicodeDecodeError:
        problems.add(path, 1, "tệp không phải UTF-8")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + 1 if mark else 1) + line_offset
        problems.add(path, line, f"YAML không hợp lệ: {getattr(error, 'problem', error)}")
        return None
    if not isinstance(data, dict):
        problems.add(path, 1 + line_offset, "nội dung phải là một bảng khóa: giá trị (mapping)")
        return None
    return data


def _text(data: dict, key: str, path: Path, problems: _Problems, *, required: bool = True, line: int = 1) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(path, line, f"thiếu trường bắt buộc '{key}'")
        return ""
    if not isinstance(value, (str, int, float)):
        problems.add(path, line, f"trường '{key}' phải là văn bản")
        return ""
    return nfc(str(value))


def _number(data: dict, key: str, path: Path, problems: _Problems, default: float = 0) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        problems.add(path, 1, f"trường '{key}' phải là một số không âm")
        return default
    return value


def _text_list(data: dict, key: str, path: Path, problems: _Problems, line: int) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(path, line, f"'{key}' phải là danh sách có ít nhất một dòng văn bản")
        return []
    return [nfc(v) for v in value]


def _date(data: dict, key: str, path: Path, problems: _Problems) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value.strip())
    if not isinstance(value, date):
        problems.add(path, 1, f"trường '{key}' phải là ngày dạng YYYY-MM-DD")
        return None
    return value.date() if isinstance(value, datetime) else value


def _optional_text_list(data: dict, key: str, path: Path, problems: _Problems) -> list[str]:
    if data.get(key) is None:
        return []
    return _text_list(data, key, path, problems, 1)


def _read_course(folder: Path, problems: _Problems) -> CourseData | None:
    path = folder / "course.yaml"
    if not path.is_file():
        problems.add(path, 1, "thiếu tệp course.yaml")
        return None
    data = _load_yaml(path, problems)
    if data is None:
        # Still read the modules, so every problem of the course is reported in one run.
        for module_dir in sorted(p for p in folder.iterdir() if p.is_dir() and ORDERED_NAME.match(p.name)):
            _read_module(module_dir, problems)
        return None
    slug = _text(data, "slug", path, problems)
    if slug and slug != folder.name:
        problems.add(path, 1, f"slug '{slug}' phải trùng tên thư mục '{folder.name}'")
    course = CourseData(
        slug=slug,
        title=_text(data, "title", path, problems),
        title_en=_text(data, "title_en", path, problems),
        summary=_text(data, "summary", path, problems),
        summary_en=_text(data, "summary_en", path, problems),
        audience=_text(data, "audience", path, problems, required=False),
        duration_hours=_number(data, "duration_hours", path, problems),
        position=int(_number(data, "order", path, problems)),
        path=folder,
        content_hash=_hash_folder(folder),
        checked_on=_date(data, "checked_on", path, problems),
        basis=_optional_text_list(data, "basis", path, problems),
    )
    module_dirs = sorted(p for p in folder.iterdir() if p.is_dir() and ORDERED_NAME.match(p.name))
    course.modules = [m for m in (_read_module(d, problems) for d in module_dirs) if m is not None]
    if not course.modules:
        problems.add(path, 1, "khóa học chưa có học phần nào (thư mục NN-ten-hoc-phan)")
    return course


def _read_module(folder: Path, problems: _Problems) -> ModuleData | None:
    path = folder / "module.yaml"
    number, folder_slug = ORDERED_NAME.match(folder.name).groups()
    if not path.is_file():
        problems.add(path, 1, "thiếu tệp module.yaml")
        return None
    data = _load_yaml(path, problems)
    if data is None:
        for lesson_path in sorted(p for p in folder.glob("*.md") if ORDERED_NAME.match(p.stem)):
            _read_lesson(lesson_path, problems)
        return None
    slug = _text(data, "slug", path, problems)
    if slug and slug != folder_slug:
        problems.add(path, 1, f"slug '{slug}' phải trùng tên thư mục (không kể số thứ tự) '{folder_slug}'")
    module = ModuleData(
        slug=slug,
        folder=folder.name,
        position=int(number),
        title=_text(data, "title", path, problems),
        title_en=_text(data, "title_en", path, problems),
        summary=_text(data, "summary", path, problems),
        summary_en=_text(data, "summary_en", path, problems),
    )
    lesson_files = sorted(p for p in folder.glob("*.md") if ORDERED_NAME.match(p.stem))
    module.lessons = [lesson for lesson in (_read_lesson(p, problems) for p in lesson_files) if lesson]
    if not module.lessons:
        problems.add(path, 1, "học phần chưa có bài học nào (tệp NN-ten-bai.md)")
    return module


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (front matter, body, line where the body starts) or None if there is none."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    if end == -1:
        return None
    front = text[4 : end + 1]
    body_start_line = text[: end + 5].count("\n") + 1
    return front, text[end + 5 :], body_start_line


def _read_lesson(path: Path, problems: _Problems) -> LessonData | None:
    try:
        # utf-8-sig: editors such as Notepad may start the file with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        problems.add(path, 1, "tệp không phải UTF-8")
        return None
    parts = _split_front_matter(text)
    if parts is None:
        problems.add(path, 1, "bài học phải bắt đầu bằng phần đầu YAML giữa hai dòng '---'")
        return None
    front, body, _ = parts
    data = _load_front_matter(front, path, problems)
    if data is None:
        return None
    number, file_slug = ORDERED_NAME.match(path.stem).groups()
    slug = _text(data, "slug", path, problems, line=2)
    if slug and slug != file_slug:
        problems.add(path, 2, f"slug '{slug}' phải trùng tên tệp (không kể số thứ tự) '{file_slug}'")
    if not body.strip():
        problems.add(path, 1, "bài học chưa có nội dung")
    return LessonData(
        slug=slug,
        position=int(number),
        title=_text(data, "title", path, problems, line=2),
        title_en=_text(data, "title_en", path, problems, line=2),
        duration_minutes=int(_number(data, "duration_minutes", path, problems)),
        objectives=_text_list(data, "objectives", path, problems, _key_line(front, "objectives")),
        key_points=_text_list(data, "key_points", path, problems, _key_line(front, "key_points")),
        self_check=_read_self_check(data.get("self_check"), path, problems, _key_line(front, "self_check")),
        body=nfc(body),
        path=path,
    )


def _load_front_matter(front: str, path: Path, problems: _Problems):
    """Front matter keeps line numbers (counted from the file's first line) for self-check errors."""
    from lms.quizzes.authoring.formats.yaml_fields import load_yaml
    from lms.quizzes.authoring.problems import BankFormatError

    try:
        data = load_yaml(front, _relative(path, problems.root), first_line=2)
    except BankFormatError as error:
        problems.items.extend(str(problem) for problem in error.problems)
        return None
    if not isinstance(data, dict):
        problems.add(path, 2, "nội dung phải là một bảng khóa: giá trị (mapping)")
        return None
    return data


def _key_line(front: str, key: str) -> int:
    for number, line in enumerate(front.splitlines(), start=2):
        if line.startswith(f"{key}:"):
            return number
    return 2


def _read_self_check(items, path: Path, problems: _Problems, line: int) -> list[dict]:
    """Self-check questions are ungraded; they use the bank question format (3 to 5 per lesson)."""
    from lms.quizzes.authoring.formats.yaml_questions import parse_self_check
    from lms.quizzes.authoring.problems import BankFormatError
    from lms.quizzes.authoring.serialize import question_to_dict

    if items is None:
        return []
    try:
        questions = parse_self_check(items, path=_relative(path, problems.root), line=line)
    except BankFormatError as error:
        problems.items.extend(str(problem) for problem in error.problems)
        return []
    return [question_to_dict(question) for question in questions]


def _hash_folder(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
