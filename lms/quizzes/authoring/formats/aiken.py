"""Aiken import and export (single-answer multiple choice only).

The format, as Moodle reads it::

    Câu hỏi (one or more lines)
    A. phương án          (or "A) phương án"; letters in order A, B, C, ...)
    B. phương án
    ANSWER: B

Aiken has no key, explanation, difficulty or tags: imported questions get a key built from the stem
(unique within the file) and the defaults of QuestionData; export writes only stem, options and answer.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field

from lms.quizzes.authoring.problems import ImportProblem
from lms.quizzes.authoring.validation import nfc, normalize_question, slug_key, unique_key, validate_question
from lms.quizzes.questions import FULL_WEIGHT, Option, QuestionData, QuestionType

_OPTION = re.compile(r"([A-Z])\s*[.)]\s+(\S.*)")
_ANSWER = re.compile(r"ANSWER\s*:\s*(.*)", re.IGNORECASE)


@dataclass
class _Pending:
    line: int
    stem: list[str] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)  # (letter, text)
    problem: str = ""


def read_aiken(text: str) -> tuple[list[QuestionData], list[ImportProblem]]:
    """Questions of an Aiken text and the problems (``line N: ...``, N = first line of the question).

    Never raises on bad input; a faulty question is skipped. Texts are NFC; keys are unique slugs of the
    stems. Blank lines between questions are optional: ``ANSWER:`` ends a question.
    """
    questions: list[QuestionData] = []
    problems: list[ImportProblem] = []
    used: set[str] = set()
    pending: _Pending | None = None

    def close(answer: str | None) -> None:
        nonlocal pending
        if pending is not None:
            _finish(pending, answer, questions, problems, used)
        pending = None

    for number, raw in enumerate(nfc(text.lstrip("\ufeff")).splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.fullmatch(line)
        option = _OPTION.fullmatch(line)
        if answer:
            if pending is None:
                problems.append(ImportProblem(number, "dòng ANSWER không thuộc câu hỏi nào"))
            close(answer.group(1).strip().upper())
        elif option and pending is None:
            pending = _Pending(number, problem="phương án xuất hiện trước câu hỏi")
            _add_option(pending, option.group(1), option.group(2).strip())
        elif option and pending is not None:
            _add_option(pending, option.group(1), option.group(2).strip())
        elif pending is not None and pending.options:
            close(None)  # a new question starts although the previous one had no ANSWER line
            pending = _Pending(number, [line])
        elif pending is None:
            pending = _Pending(number, [line])
        else:
            pending.stem.append(line)
    close(None)
    return questions, problems


def _add_option(pending: _Pending, letter: str, text: str) -> None:
    expected = string.ascii_uppercase[len(pending.options)] if len(pending.options) < 26 else "?"
    if letter != expected and not pending.problem:
        pending.problem = f"phương án '{letter}' không đúng thứ tự (cần '{expected}')"
    pending.options.append((letter, text))


def _finish(pending: _Pending, answer: str | None, questions: list[QuestionData],
            problems: list[ImportProblem], used: set[str]) -> None:
    letters = [letter for letter, _ in pending.options]
    if pending.problem:
        message = pending.problem
    elif answer is None:
        message = "thiếu dòng 'ANSWER: <chữ cái>' sau các phương án"
    elif not pending.options:
        message = "câu hỏi không có phương án nào (dạng 'A. ...')"
    elif answer not in letters:
        message = f"đáp án '{answer}' không phải là một trong các phương án {', '.join(letters)}"
    else:
        message = ""
    question = _question(pending, answer or "") if not message else None
    if question is not None:
        message = "; ".join(validate_question(question))
    if message:
        problems.append(ImportProblem(pending.line, message))
        return
    question.key = unique_key(question.key, used)
    questions.append(question)


def _question(pending: _Pending, answer: str) -> QuestionData:
    stem = "\n".join(pending.stem)
    options = [Option(text, FULL_WEIGHT if letter == answer else 0.0) for letter, text in pending.options]
    return normalize_question(QuestionData(key=slug_key(stem), type=QuestionType.SINGLE, stem=stem,
                                           options=options, line=pending.line))


def write_aiken(questions: Sequence[QuestionData]) -> str:
    """Aiken text for single-answer questions; :func:`read_aiken` gives back the same stems and options.

    Line breaks inside an option become spaces (Aiken options are one line). Raises ValueError for other
    types, for more than 26 options, and for a stem line that would read as an option or ANSWER line.
    """
    blocks = []
    for q in questions:
        _check_writable(q)
        correct = next(i for i, o in enumerate(q.options) if o.correct)
        lines = [line.strip() for line in q.stem.strip().splitlines() if line.strip()]
        lines += [f"{string.ascii_uppercase[i]}. {' '.join(o.text.split())}" for i, o in enumerate(q.options)]
        lines.append(f"ANSWER: {string.ascii_uppercase[correct]}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _check_writable(q: QuestionData) -> None:
    if q.type != QuestionType.SINGLE:
        raise ValueError(f"Aiken chỉ có câu hỏi một lựa chọn (single): câu '{q.key}' là {q.type}")
    if len(q.options) > 26 or sum(1 for o in q.options if o.correct) != 1:
        raise ValueError(f"câu '{q.key}' cần 2 đến 26 phương án và đúng một đáp án đúng")
    for line in q.stem.splitlines():
        if _OPTION.fullmatch(line.strip()) or _ANSWER.fullmatch(line.strip()):
            raise ValueError(f"câu '{q.key}': dòng '{line.strip()}' của câu hỏi sẽ bị đọc nhầm là phương án")
