"""The layout docs/architecture.md describes, held by the code: short modules that say what they hold, one-way rooms."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LMS = Path(__file__).resolve().parents[1] / "lms"
MODULES = sorted(LMS.rglob("*.py"))
MAX_LINES = 400

# The quizzes rooms, lowest first: a module may import rooms at its level or below, never one above.
QUIZZES_LEVELS = {
    "models": 0, "questions": 0, "presentation": 0, "signals": 0,
    "authoring": 1,
    "taking": 2,
    "results": 3,
    "cli": 4,
}


def _name(path: Path) -> str:
    parts = path.relative_to(LMS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _imports_in(source: str, package: str) -> set[str]:
    """Absolute names of every module imported by the source, relative imports resolved from its package."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _quizzes_room(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["lms", "quizzes"] else None


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(LMS.parent)))
def test_module_is_short_and_opens_with_a_one_line_summary(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES, f"{path.name} has more than {MAX_LINES} lines: split it by purpose"
    doc = ast.get_docstring(ast.parse(text), clean=False)
    assert doc and doc.strip(), "the module opens with no docstring"
    lines = doc.strip("\n").split("\n")
    assert len(lines) == 1 or lines[1].strip() == "", "the docstring's first line is not a summary on its own"


def test_no_two_module_names_in_a_package_differ_only_by_a_suffix() -> None:
    clashes = []
    for package in sorted({path.parent for path in MODULES}):
        names = [p.stem for p in package.glob("*.py") if p.stem != "__init__"]
        names += [d.name for d in package.iterdir() if (d / "__init__.py").exists()]
        clashes += [f"{package.relative_to(LMS.parent)}: {a} / {b}"
                    for a in names for b in names if a != b and b.startswith(a)]
    assert clashes == []


def test_quizzes_rooms_import_only_downwards() -> None:
    upward = []
    for path in MODULES:
        room = _quizzes_room(_name(path))
        if room is None:
            continue
        assert room in QUIZZES_LEVELS, f"lms/quizzes/{room} is not placed in QUIZZES_LEVELS"
        for imported in _imports(path):
            target = _quizzes_room(imported)
            if target and target != room and QUIZZES_LEVELS.get(target, 99) > QUIZZES_LEVELS[room]:
                upward.append(f"{_name(path)} imports {imported}")
    assert upward == []


def test_the_import_check_sees_upward_imports() -> None:
    """The rule above must be able to fail: relative and absolute imports into a higher room are both seen."""
    relative = _imports_in("from ..taking import attempts\n", "lms.quizzes.authoring")
    absolute = _imports_in("import lms.quizzes.results.views\n", "lms.quizzes.taking")
    assert "lms.quizzes.taking.attempts" in relative and "lms.quizzes.results.views" in absolute
    assert _quizzes_room("lms.quizzes.taking.attempts") == "taking"
