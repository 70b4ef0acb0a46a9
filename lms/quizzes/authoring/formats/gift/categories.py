"""GIFT ``$CATEGORY:`` paths mapped onto a course's modules and question tags, and written back.

A category path such as ``$course$/top/ISO 9001/Chu trình PDCA/Lập kế hoạch`` is split on ``/`` (Moodle
writes a ``/`` inside a name as ``//``). Then, segment by segment:

- Moodle's context marker (``$course$``, ``$system$``...), ``top``, the categories Moodle makes by itself
  (``Default for ...``, ``Mặc định cho ...``) and the names of the importing bank or course are ignored:
  they say where the questions were kept, not what they are about;
- a segment naming a module of the course (its short name, or its title with or without Vietnamese
  marks) gives the module; when several do, the deepest one wins and the others become tags;
- every other segment becomes a tag: its slug (``Lập kế hoạch`` -> ``lap-ke-hoach``), as tags are
  typed in draw rules.

A question's own ``// [module:...]`` comment wins over its category. Nothing is lost either way: the path
itself is kept with each question and written back on export (:func:`category_path` builds one for a
question that has none).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lms.quizzes.authoring.validation import slug_key
from lms.text import clean_line, fold

_CONTEXT = re.compile(r"\$[a-z0-9_]+\$")
_DEFAULTS = ("default for ", "mac dinh cho ")
_SLASH = "\ue0ff"  # stands for an escaped "//" while the path is split


@dataclass(frozen=True)
class CourseModule:
    slug: str
    names: tuple[str, ...]  # title, English title...


@dataclass(frozen=True)
class CategoryMapping:
    """What one category of a file becomes: a module (or none), tags, and the segments left aside."""

    category: str
    module: str | None
    tags: tuple[str, ...]
    ignored: tuple[str, ...]


def category_segments(path: str) -> list[str]:
    """The names of a category path, ``//`` read as a ``/`` inside a name; empty names dropped."""
    parts = clean_line(path).replace("//", _SLASH).split("/")
    return [part.replace(_SLASH, "/").strip() for part in parts if part.strip()]


def category_path(segments: Iterable[str]) -> str:
    """A category path of ``segments``, a ``/`` inside a name written ``//``."""
    return "/".join(clean_line(segment).replace("/", "//") for segment in segments if clean_line(segment))


def map_category(path: str, modules: Sequence[CourseModule], roots: Iterable[str] = ()) -> CategoryMapping:
    """The module and tags ``path`` stands for in a course with ``modules``; ``roots`` (the bank's and the
    course's names) are ignored like Moodle's own containers."""
    root_folds = {fold(root) for root in roots if fold(root)}
    module_of: dict[str, str] = {}
    for module in modules:
        module_of[module.slug] = module.slug
        for name in module.names:
            if name.strip():
                module_of[slug_key(name)] = module.slug
    ignored: list[str] = []
    named: list[tuple[str, str | None]] = []  # (segment, module slug or None)
    for segment in category_segments(path):
        folded = fold(segment)
        if (_CONTEXT.fullmatch(segment) or (folded == "top" and not named) or folded.startswith(_DEFAULTS)
                or folded in root_folds):
            ignored.append(segment)
        else:
            named.append((segment, module_of.get(slug_key(segment))))
    module_index = max((i for i, (_, slug) in enumerate(named) if slug), default=None)
    module = named[module_index][1] if module_index is not None else None
    tags = [slug_key(segment) for i, (segment, _) in enumerate(named) if i != module_index]
    return CategoryMapping(clean_line(path), module, tuple(dict.fromkeys(tags)), tuple(ignored))
