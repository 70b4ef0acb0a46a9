"""Moodle GIFT import and export.

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

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from lms.quizzes.bank_errors import ImportProblem
from lms.quizzes.bank_yaml import nfc, normalize_question, slug_key, unique_key, validate_question
from lms.quizzes.questions import (
    Difficulty,
    MatchPair,
    NumericAnswer,
    Option,
    QuestionData,
    QuestionType,
    Scoring,
    ShortAnswer,
)

GIFT_EXPORT_TYPES = frozenset(QuestionType) - {QuestionType.ORDERING}
GAP = "_____"
_FULL = 100.0
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
        weight, body = _take_weight(body, _FULL if mark == "=" else 0.0)
        text, _, feedback = body.partition("#")
        q.options.append(Option(_finish(text, fmt), weight, _finish(feedback, fmt)))
    if q.type == QuestionType.MULTIPLE:
        if q.scoring == Scoring.PARTIAL and any(o.weight == 0 for o in q.options):
            warnings.append("phương án sai không ghi trọng số sẽ bị trừ điểm mặc định (-100/số đáp án đúng), "
                            "không phải 0 như trong Moodle")
        return
    for option in q.options:
        if option.weight != _FULL and option.weight != 0:
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
        weight, body = _take_weight(body, _FULL)
        q.short_answers.append(ShortAnswer(_finish(body.partition("#")[0], fmt), weight))


def _build_numeric(answer: str, fmt: str, q: QuestionData, warnings: list[str]) -> None:
    body = answer[1:].split("~", 1)[0].strip()  # `~#...` is the feedback for any wrong answer
    for _, part in _split_answers(body if body.startswith("=") else "=" + body, "="):
        weight, part = _take_weight(part, _FULL)
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


# --------------------------------------------------------------------------- HTML to text


class _HtmlToText(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6"})
    _MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str | None] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self._MARKS:
            self.parts.append(self._MARKS[tag])
        elif tag == "a":
            self.links.append(attributes.get("href"))
            self.parts.append("[" if attributes.get("href") else "")
        elif tag == "img" and attributes.get("src"):
            self.parts.append(f"![{attributes.get('alt') or ''}]({attributes['src']})")
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._MARKS:
            self.parts.append(self._MARKS[tag])
        elif tag == "a" and self.links:
            href = self.links.pop()
            self.parts.append(f"]({href})" if href else "")
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Readable Markdown-ish text of an HTML fragment: tags dropped, entities decoded, <br> and blocks as
    line breaks, <b>/<i> as ``**``/``*``, links and images in Markdown syntax."""
    parser = _HtmlToText()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --------------------------------------------------------------------------- writing


def write_gift(questions: Sequence[QuestionData], *, categories: Sequence[str | None] | None = None) -> str:
    """GIFT text for ``questions`` that :func:`read_gift` reads back into equal questions (except ``line``).

    ``categories`` (parallel to ``questions``) adds ``$CATEGORY:`` lines where the category changes. The
    key is written as the ``::name::``, stems as ``[markdown]``, the explanation as general feedback and
    the fields GIFT lacks as metadata comments. Raises ValueError for types outside GIFT_EXPORT_TYPES.
    """
    unsupported = [q.key for q in questions if q.type not in GIFT_EXPORT_TYPES]
    if unsupported:
        raise ValueError(f"GIFT không có loại câu hỏi này (ordering): {', '.join(unsupported)}")
    chunks: list[str] = []
    current: str | None = None
    for index, question in enumerate(questions):
        category = categories[index] if categories else None
        if category and category != current:
            chunks.append(f"$CATEGORY: {category}\n")
            current = category
        chunks.append(_write_question(question))
    return "\n".join(chunks)


def _write_question(q: QuestionData) -> str:
    meta = _meta_comment(q)
    head = f"::{_escape(q.key)}::[markdown]{_escape(q.stem)}"
    general = f"\t####{_escape(q.explanation)}\n" if q.explanation else ""
    opening = "{" if q.type == QuestionType.NUMERIC else "{\n"  # as Moodle writes it: `{#` then the answers
    return f"{meta}{head}{opening}{_WRITERS[q.type](q)}{general}}}\n"


def _meta_comment(q: QuestionData) -> str:
    tags = [("tag", tag) for tag in q.tags]
    extra = [("difficulty", str(q.difficulty)) if q.difficulty != Difficulty.MEDIUM else None,
             ("points", _number(q.points)) if q.points != 1 else None,
             ("module", q.module) if q.module else None,
             ("source", q.source) if q.source else None,
             ("scoring", str(q.scoring)) if q.type == QuestionType.MULTIPLE and q.scoring != Scoring.PARTIAL
             else None,
             ("ignore_diacritics", "true") if q.ignore_diacritics else None]
    pairs = tags + [pair for pair in extra if pair]
    if not pairs:
        return ""
    return "// " + " ".join(f"[{name}:{_meta_value(value)}]" for name, value in pairs) + "\n"


def _meta_value(value: str) -> str:
    return " ".join(value.replace("]", ")").split())


def _escape(text: str) -> str:
    out = text.replace("\\", "\\\\").replace("\r", "")
    for ch in "~=#{}:":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"không ghi được số {value} sang GIFT")
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def _write_choice(q: QuestionData) -> str:
    lines = []
    for option in q.options:
        if q.type == QuestionType.SINGLE and option.weight == _FULL:
            mark = "="
        elif option.weight == 0:
            mark = "~"
        else:
            mark = f"~%{_number(option.weight)}%"
        feedback = f"#{_escape(option.feedback)}" if option.feedback else ""
        lines.append(f"\t{mark}{_escape(option.text)}{feedback}\n")
    return "".join(lines)


def _write_true_false(q: QuestionData) -> str:
    return "\tTRUE\n" if q.truth else "\tFALSE\n"


def _write_short(q: QuestionData) -> str:
    return "".join(f"\t={_weight_prefix(a.weight)}{_escape(a.text)}\n" for a in q.short_answers)


def _write_numeric(q: QuestionData) -> str:
    lines = []
    for a in q.numeric_answers:
        if a.minimum is not None and a.maximum is not None:
            body = f"{_number(a.minimum)}..{_number(a.maximum)}"
        else:
            body = _number(a.value or 0.0) + (f":{_number(a.tolerance)}" if a.tolerance else "")
        lines.append(f"\t={_weight_prefix(a.weight)}{body}\n")
    return "#\n" + "".join(lines)


def _write_matching(q: QuestionData) -> str:
    lines = [f"\t={_escape(p.left)} -> {_escape(p.right)}\n" for p in q.pairs]
    return "".join(lines + [f"\t= -> {_escape(d)}\n" for d in q.distractors])


def _weight_prefix(weight: float) -> str:
    return "" if weight == _FULL else f"%{_number(weight)}%"


_WRITERS: dict[QuestionType, Callable[[QuestionData], str]] = {
    QuestionType.SINGLE: _write_choice,
    QuestionType.MULTIPLE: _write_choice,
    QuestionType.TRUE_FALSE: _write_true_false,
    QuestionType.SHORT: _write_short,
    QuestionType.NUMERIC: _write_numeric,
    QuestionType.MATCHING: _write_matching,
}
