"""Reading Moodle GIFT files into questions (writing.py writes them back).

Reading follows Moodle's own parser (question/format/gift/format.php): questions are separated by blank
lines, ``//`` lines are comments, ``$CATEGORY:`` switches the category, ``::name::`` gives a title, a
``[html]``/``[markdown]``/``[plain]``/``[moodle]`` marker sets the text format and ``\\`` escapes
``~ = # { } :`` and ``\\n``. The type is decided as Moodle does: ``{}`` essay, ``{#...}`` numeric, any ``~``
multiple choice (single if some answer starts with ``=``, otherwise multiple with partial scoring),
``= ... ->`` matching, ``T``/``F``/``TRUE``/``FALSE`` true/false, anything else short answer. An answer block
inside the text makes a gap-fill question whose stem shows the gap as ``_____``.

Mapping onto QuestionData (what is kept, what is approximated):
- the ``::name::`` becomes the key when it already looks like a key (letters, digits, ``. _ -``), else a
  slug of the name, else a slug of the stem; repeats get ``-2``, ``-3``;
- general feedback (``####``) becomes the explanation; per-option feedback is kept in Option.feedback;
  true/false, short-answer and numeric feedbacks are dropped (QuestionData has no place for them);
- HTML text is turned into Markdown text (bold, italics, links, images, line breaks kept);
- partial credit on a wrong option of a single-answer question cannot be graded here: the option counts
  as wrong and a warning says so; a wrong option of a multiple-answer question without weight gets the
  grader's default penalty instead of Moodle's 0, also with a warning;
- trailing punctuation after the answer block of a question that already ends with ``?.!:`` (such as the
  stray ``";`` in some Moodle exports) is dropped instead of making a gap;
- essays and descriptions are reported as problems and skipped.

Optional metadata comments written just before a question, ``// [difficulty:hard] [tag:pdca] [points:2]
[module:m1] [source:...] [scoring:all_or_nothing] [ignore_diacritics:true] [id:key]``, carry the fields
GIFT has no syntax for; Moodle ignores them as comments. :func:`write_gift` writes them, so export then
import gives equal questions (ordering questions cannot be written: GIFT has no such type).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lms.quizzes.authoring.formats.gift.html_text import html_to_text
from lms.quizzes.authoring.problems import ImportProblem
from lms.quizzes.authoring.validation import nfc, normalize_question, slug_key, unique_key, validate_question
from lms.quizzes.questions import (
    FULL_WEIGHT,
    Difficulty,
    MatchPair,
    NumericAnswer,
    Option,
    QuestionData,
    QuestionType,
    Scoring,
    ShortAnswer,
)

GAP = "_____"
_ESCAPABLE = "\\~=#{}:n"
# Private-use characters stand for escaped control characters while the question is split up.
_PLACEHOLDER = {ch: chr(0xE000 + i) for i, ch in enumerate(_ESCAPABLE)}
_RESTORE = {ph: ("\n" if ch == "n" else ch) for ch, ph in _PLACEHOLDER.items()}
_FORMAT = re.compile(r"\[(html|markdown|plain|moodle)\]")
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?)%")
_KEY_LIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_META = re.compile(r"\[([a-z_]+):([^\]]*)\]")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}


@dataclass
class GiftQuestion:
    """One imported question with what GIFT adds around it: its category and its ``::name::`` title."""

    question: QuestionData
    category: str | None = None
    name: str = ""


class _Skip(Exception):
    """The question cannot be imported; the message (Vietnamese) says why."""


@dataclass
class _Block:
    line: int
    text: str
    meta: dict[str, list[str]] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading


def read_gift(text: str) -> tuple[list[GiftQuestion], list[ImportProblem]]:
    """All importable questions of a GIFT text, and the problems of the others.

    Never raises on bad input: a question that cannot be imported is skipped and reported as
    ``line N: ...`` (N = the line where it starts); warnings (``ImportProblem.warning``) accompany questions
    that were imported with an approximation. Keys are unique within the result; texts are NFC.
    """
    items: list[GiftQuestion] = []
    problems: list[ImportProblem] = []
    used_keys: set[str] = set()
    category: str | None = None
    for entry in _blocks(nfc(text.lstrip("\ufeff"))):
        if isinstance(entry, str):
            category = entry
            continue
        warnings: list[str] = []
        try:
            item = _read_block(entry, used_keys, warnings)
        except _Skip as exc:
            problems.append(ImportProblem(entry.line, str(exc)))
            continue
        item.category = category
        items.append(item)
        problems += [ImportProblem(entry.line, w, warning=True) for w in warnings]
    return items, problems


def _blocks(text: str) -> list[_Block | str]:
    """Question blocks (with their metadata comments) and category switches (str), in file order."""
    entries: list[_Block | str] = []
    lines: list[tuple[int, str]] = []
    meta: dict[str, list[str]] = {}

    def flush() -> None:
        if lines:
            entries.append(_Block(lines[0][0], "\n".join(text for _, text in lines), dict(meta)))
        lines.clear()
        meta.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("//"):
            if not lines:
                for name, value in _META.findall(stripped):
                    meta.setdefault(name, []).append(value.strip())
        elif stripped.startswith("$CATEGORY:") and not lines:
            flush()
            entries.append(stripped[len("$CATEGORY:"):].strip())
        else:
            lines.append((number, line))
    flush()
    return entries


def _protect(text: str) -> str:
    """Replace each escape (``\\=`` etc.) by a placeholder so control characters can be searched for."""
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            out.append(_PLACEHOLDER[text[i + 1]])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _read_block(block: _Block, used_keys: set[str], warnings: list[str]) -> GiftQuestion:
    text = _protect(block.text.strip())
    name, text = _split_name(text)
    stem_raw, answer, general = _split_answer(text)
    marker, stem_raw = _split_format(stem_raw)
    fmt = marker or "moodle"
    qtype, build = _detect(answer)
    question = QuestionData(key="", type=qtype, stem=_finish(stem_raw, fmt, marker=False),
                            explanation=_finish(general, fmt), line=block.line)
    if qtype == QuestionType.MULTIPLE:
        question.scoring = Scoring.PARTIAL  # Moodle's multiple-answer questions always give partial credit
    _apply_meta(question, block.meta)
    build(answer, fmt, question, warnings)
    explicit = block.meta.get("id", [""])[-1] or (name if _KEY_LIKE.fullmatch(name) else "")
    question.key = explicit or slug_key(name or question.stem)
    question = normalize_question(question)
    problems = validate_question(question)
    if problems:
        raise _Skip("; ".join(problems))
    question.key = unique_key(question.key, used_keys)
    return GiftQuestion(question, name=name)


def _split_name(text: str) -> tuple[str, str]:
    if not text.startswith("::"):
        return "", text
    end = text.find("::", 2)
    if end < 0:
        raise _Skip("thiếu '::' đóng tên câu hỏi")
    return _restore(text[2:end]).strip(), text[end + 2:].strip()


def _split_answer(text: str) -> tuple[str, str, str]:
    """(question text with the gap marked, answer block, general feedback), all still protected."""
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        raise _Skip("không có phần đáp án {...}: đoạn mô tả (description) không được nhập")
    if start < 0 or finish < start:
        raise _Skip("thiếu dấu '{' hoặc '}' bao phần đáp án")
    answer = text[start + 1:finish].strip()
    before, after = text[:start], text[finish + 1:]
    if not after.strip():
        stem = before
    elif not any(ch.isalnum() for ch in after) and before.rstrip()[-1:] in ("?", ".", "!", ":"):
        stem = before  # stray punctuation such as `";` after a complete question
    else:
        stem = before + GAP + after
    general = ""
    cut = answer.rfind("####")
    if cut >= 0:
        answer, general = answer[:cut].strip(), answer[cut + 4:]
    return stem.strip(), answer, general


def _split_format(text: str) -> tuple[str | None, str]:
    text = text.strip()
    match = _FORMAT.match(text)
    return (match.group(1), text[match.end():]) if match else (None, text)


def _finish(text: str, default_format: str, *, marker: bool = True) -> str:
    """Final text of a protected fragment: format marker removed, HTML to Markdown, escapes restored.

    Without a marker of its own (or with ``marker=False``) the fragment has ``default_format``.
    """
    fmt = None
    if marker:
        fmt, text = _split_format(text)
    fmt = fmt or default_format
    text = "\n".join(line.strip() for line in text.strip().split("\n"))
    text = _restore(text)
    return html_to_text(text) if fmt == "html" else text.strip()


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in text)


Builder = Callable[[str, str, QuestionData, list[str]], None]


def _detect(answer: str) -> tuple[QuestionType, Builder]:
    if not answer:
        raise _Skip("câu hỏi tự luận (essay) chưa được hỗ trợ; đã bỏ qua")
    if answer.startswith("#"):
        return QuestionType.NUMERIC, _build_numeric
    if "~" in answer:
        single = "=" in answer
        return (QuestionType.SINGLE if single else QuestionType.MULTIPLE), _build_choice
    if "=" in answer and "->" in answer:
        return QuestionType.MATCHING, _build_matching
    if answer.split("#", 1)[0].strip() in _TF:
        return QuestionType.TRUE_FALSE, _build_true_false
    return QuestionType.SHORT, _build_short


def _split_answers(answer: str, marks: str) -> list[tuple[str, str]]:
    """``(mark, text)`` for each answer starting with one of ``marks``; text before the first is dropped."""
    parts = re.split(f"([{re.escape(marks)}])", answer)
    return [(parts[i], parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2)]


def _take_weight(text: str, default: float) -> tuple[float, str]:
    match = _WEIGHT.match(text)
    return (float(match.group(1)), text[match.end():].strip()) if match else (default, text)


def _build_choice(answer: str, fmt: str, q: QuestionData, warnings: list[str]) -> None:
    for mark, body in _split_answers(answer, "~="):
        weight, body = _take_weight(body, FULL_WEIGHT if mark == "=" else 0.0)
        text, _, feedback = body.partition("#")
        q.options.append(Option(_finish(text, fmt), weight, _finish(feedback, fmt)))
    if q.type == QuestionType.MULTIPLE:
        if q.scoring == Scoring.PARTIAL and any(o.weight == 0 for o in q.options):
            warnings.append("phương án sai không ghi trọng số sẽ bị trừ điểm mặc định (-100/số đáp án đúng), "
                            "không phải 0 như trong Moodle")
        return
    for option in q.options:
        if option.weight != FULL_WEIGHT and option.weight != 0:
            warnings.append(f"phương án '{option.text}' được {option.weight:g}% điểm trong Moodle; câu một "
                            "lựa chọn ở đây chỉ tính điểm cho đáp án đúng")
            option.weight = 0.0


def _build_matching(answer: str, fmt: str, q: QuestionData, warnings: list[str]) -> None:
    for _, body in _split_answers(answer, "="):
        left, arrow, right = body.partition("->")
        if not arrow:
            raise _Skip(f"cặp ghép '{_restore(body)}' thiếu dấu '->'")
        left, right = _finish(left, fmt), _restore(right).strip()
        if left:
            q.pairs.append(MatchPair(left, right))
        else:
            q.distractors.append(right)


def _build_true_false(answer: str, fmt: str, q: QuestionData, warnings: list[str]) -> None:
    q.truth = _TF[answer.split("#", 1)[0].strip()]


def _build_short(answer: str, fmt: str, q: QuestionData, warnings: list[str]) -> None:
    for _, body in _split_answers(answer if answer.startswith("=") else "=" + answer, "="):
        weight, body = _take_weight(body, FULL_WEIGHT)
        q.short_answers.append(ShortAnswer(_finish(body.partition("#")[0], fmt), weight))


def _build_numeric(answer: str, fmt: str, q: QuestionData, warnings: list[str]) -> None:
    body = answer[1:].split("~", 1)[0].strip()  # `~#...` is the feedback for any wrong answer
    for _, part in _split_answers(body if body.startswith("=") else "=" + body, "="):
        weight, part = _take_weight(part, FULL_WEIGHT)
        q.numeric_answers.append(_numeric_answer(_restore(part.partition("#")[0]).strip(), weight))


def _numeric_answer(text: str, weight: float) -> NumericAnswer:
    try:
        if ".." in text:
            low, high = text.split("..", 1)
            return NumericAnswer(minimum=float(low), maximum=float(high), weight=weight)
        value, _, tolerance = text.partition(":")
        return NumericAnswer(value=float(value), tolerance=float(tolerance or 0), weight=weight)
    except ValueError:
        raise _Skip(f"đáp án số không hợp lệ: '{text}'") from None


def _apply_meta(q: QuestionData, meta: dict[str, list[str]]) -> None:
    try:
        q.tags = list(dict.fromkeys(meta.get("tag", [])))
        if "difficulty" in meta:
            q.difficulty = Difficulty(meta["difficulty"][-1])
        if "points" in meta:
            q.points = float(meta["points"][-1])
        if "scoring" in meta and q.type == QuestionType.MULTIPLE:
            q.scoring = Scoring(meta["scoring"][-1])
    except ValueError:
        raise _Skip("chú thích siêu dữ liệu (// [difficulty:...] [points:...] [scoring:...]) không hợp lệ") from None
    q.module = meta.get("module", [None])[-1] or None
    q.source = meta.get("source", [""])[-1]
    q.ignore_diacritics = meta.get("ignore_diacritics", ["false"])[-1].lower() == "true"
