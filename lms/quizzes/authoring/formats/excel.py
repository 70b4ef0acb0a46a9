"""Excel (.xlsx) question template, import and export.

One row per question on the sheet "Câu hỏi", with Vietnamese headers (see COLUMNS; "Nguồn", the source, is an optional extra column). Loại and Độ khó
accept the Vietnamese labels of the drop-down lists or the codes (``single``, ``easy``...).

"Đáp án đúng" holds, by type: the letters of the correct options ("A" or "A, C") for single/multiple,
"Đúng"/"Sai" for true_false, the accepted answers separated by "|" for short.

Choice for what the columns cannot hold: the question stays on its row and "Đáp án đúng" holds a JSON
object with the answer fields of the YAML bank format (docs/content-format.md), e.g.
``{"answers": [{"value": 3.14, "tolerance": 0.01}]}`` for numeric, ``{"pairs": [{"left": "..", "right":
".."}], "distractors": [".."]}`` for matching, ``{"items": [...]}`` for ordering, and also single/multiple
questions with more than six options, partial scoring or option feedback, and short answers with weights
or ``ignore_diacritics``. The option columns stay empty then. So every question survives export + import.
"""

from __future__ import annotations

import io
import json
import re
import string
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lms.quizzes.authoring.formats.spreadsheet_limits import ExcelFormatError, limited_rows, long_cells, open_workbook
from lms.quizzes.authoring.formats.yaml_questions import parse_question_dict
from lms.quizzes.authoring.formats.yaml_writing import answer_fields
from lms.quizzes.authoring.problems import BankFormatError, ImportProblem
from lms.quizzes.authoring.validation import nfc, slug_key, unique_key
from lms.quizzes.questions import FULL_WEIGHT, Difficulty, QuestionData, QuestionType, Scoring
from lms.text import set_xlsx_text

__all__ = ["ExcelFormatError", "build_template", "read_excel", "write_excel"]

SHEET = "Câu hỏi"
HELP_SHEET = "Hướng dẫn"
OPTION_LETTERS = "ABCDEF"
COLUMNS: dict[str, str] = {
    "key": "Mã câu hỏi",
    "type": "Loại",
    "difficulty": "Độ khó",
    "module": "Học phần",
    "tags": "Thẻ",
    "stem": "Câu hỏi",
    **{letter: f"Phương án {letter}" for letter in OPTION_LETTERS},
    "answer": "Đáp án đúng",
    "explanation": "Giải thích",
    "points": "Điểm",
    "source": "Nguồn",
}
REQUIRED_COLUMNS = ("type", "stem", "answer")
TYPE_LABELS: dict[QuestionType, str] = {
    QuestionType.SINGLE: "Một lựa chọn",
    QuestionType.MULTIPLE: "Nhiều lựa chọn",
    QuestionType.TRUE_FALSE: "Đúng/Sai",
    QuestionType.SHORT: "Trả lời ngắn",
    QuestionType.NUMERIC: "Số",
    QuestionType.MATCHING: "Ghép cặp",
    QuestionType.ORDERING: "Sắp xếp",
}
DIFFICULTY_LABELS: dict[Difficulty, str] = {
    Difficulty.EASY: "Dễ",
    Difficulty.MEDIUM: "Trung bình",
    Difficulty.HARD: "Khó",
}
_TYPES = {slug_key(label): t for t, label in TYPE_LABELS.items()} | {slug_key(t.value): t for t in QuestionType}
_DIFFICULTIES = ({slug_key(label): d for d, label in DIFFICULTY_LABELS.items()}
                 | {slug_key(d.value): d for d in Difficulty})
_TRUTH = {"dung": True, "d": True, "true": True, "t": True, "sai": False, "s": False, "false": False, "f": False}
_ANSWER_FIELDS = frozenset({"options", "scoring", "answer", "answers", "ignore_diacritics", "pairs",
                            "distractors", "items"})
_LAST_VALIDATED_ROW = 1000

_HELP = [
    "HƯỚNG DẪN NHẬP CÂU HỎI TỪ EXCEL",
    "",
    "Mỗi câu hỏi là một hàng trong trang 'Câu hỏi'. Không đổi tên các cột ở hàng tiêu đề.",
    "Mã câu hỏi: mã ổn định, không trùng (để trống thì hệ thống tự tạo từ nội dung câu hỏi).",
    "Loại: chọn trong danh sách: " + ", ".join(TYPE_LABELS.values()) + ".",
    "Độ khó: Dễ, Trung bình hoặc Khó (để trống = Trung bình).",
    "Học phần: mã học phần (slug), có thể để trống.",
    "Thẻ: các thẻ cách nhau bởi dấu phẩy, ví dụ: pdca, lich-su.",
    "Câu hỏi: nội dung câu hỏi (bắt buộc).",
    "Phương án A..F: các phương án cho câu Một lựa chọn / Nhiều lựa chọn (ít nhất 2, không trùng nhau).",
    "Đáp án đúng:",
    "  - Một lựa chọn: một chữ cái, ví dụ A.",
    "  - Nhiều lựa chọn: ít nhất hai chữ cái cách nhau bởi dấu phẩy, ví dụ A, C.",
    "  - Đúng/Sai: ghi Đúng hoặc Sai.",
    "  - Trả lời ngắn: các đáp án được chấp nhận, cách nhau bởi dấu |, ví dụ: ISO 9001|TCVN ISO 9001.",
    "  - Số, Ghép cặp, Sắp xếp (và các trường hợp đặc biệt): ghi JSON, ví dụ:",
    '      Số: {"answers": [{"value": 2015, "tolerance": 0}]}  hoặc  {"answers": [{"min": 1, "max": 5}]}',
    '      Ghép cặp: {"pairs": [{"left": "Điều 6", "right": "Hoạch định"}, ...], "distractors": ["..."]}',
    '      Sắp xếp: {"items": ["Bước 1", "Bước 2", "Bước 3"]}  (theo thứ tự đúng)',
    "Giải thích: lời giải thích hiển thị sau khi làm bài.",
    "Điểm: số điểm của câu (để trống = 1).",
    "Nguồn: căn cứ của câu hỏi (không bắt buộc).",
]


# --------------------------------------------------------------------------- template and export


def build_template() -> bytes:
    """An empty .xlsx template: the header row, drop-down lists for Loại and Độ khó, and a help sheet."""
    return _save(_template_workbook())


def write_excel(questions: Sequence[QuestionData]) -> bytes:
    """The template filled with one row per question; :func:`read_excel` gives back equal questions
    (except ``line``, and tags containing commas)."""
    workbook = _template_workbook()
    sheet = workbook[SHEET]
    for row_number, question in enumerate(questions, start=2):
        for column, value in enumerate(_row(question), start=1):
            _write_cell(sheet.cell(row=row_number, column=column), value)
    return _save(workbook)


def _write_cell(cell: Any, value: Any) -> None:
    """Numbers as numbers; text through the one spreadsheet rule (lms.text.set_xlsx_text)."""
    if isinstance(value, str):
        set_xlsx_text(cell, value)
    else:
        cell.value = value


def _template_workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(list(COLUMNS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, name in enumerate(COLUMNS):
        width = 50 if name in ("stem", "explanation", "answer") else 24 if name in OPTION_LETTERS else 16
        sheet.column_dimensions[_column_letter(index)].width = width
    _add_list(sheet, "type", TYPE_LABELS.values())
    _add_list(sheet, "difficulty", DIFFICULTY_LABELS.values())
    help_sheet = workbook.create_sheet(HELP_SHEET)
    for line in _HELP:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 120
    help_sheet["A1"].font = Font(bold=True)
    return workbook


def _column_letter(index: int) -> str:
    return string.ascii_uppercase[index]  # fewer than 26 columns


def _add_list(sheet: Worksheet, column: str, labels: Iterable[str]) -> None:
    validation = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
    validation.error = "Hãy chọn một giá trị trong danh sách."
    validation.errorTitle = "Giá trị không hợp lệ"
    letter = _column_letter(list(COLUMNS).index(column))
    validation.add(f"{letter}2:{letter}{_LAST_VALIDATED_ROW}")
    sheet.add_data_validation(validation)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(q: QuestionData) -> list[Any]:
    options = [""] * len(OPTION_LETTERS)
    if _fits_columns(q):
        answer = _column_answer(q)
        for index, option in enumerate(q.options):
            options[index] = option.text
    else:
        answer = json.dumps(answer_fields(q), ensure_ascii=False)
    points: Any = int(q.points) if q.points == int(q.points) else q.points
    return [q.key, TYPE_LABELS[q.type], DIFFICULTY_LABELS[q.difficulty], q.module or "", ", ".join(q.tags),
            q.stem, *options, answer, q.explanation, points, q.source]


def _fits_columns(q: QuestionData) -> bool:
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        n_correct = sum(1 for o in q.options if o.correct) or 1
        full = FULL_WEIGHT if q.type == QuestionType.SINGLE else FULL_WEIGHT / n_correct
        return (len(q.options) <= len(OPTION_LETTERS) and q.scoring == Scoring.ALL_OR_NOTHING
                and all(not o.feedback and o.weight in (0.0, full) for o in q.options))
    if q.type == QuestionType.SHORT:
        return not q.ignore_diacritics and all(a.weight == FULL_WEIGHT and "|" not in a.text for a in q.short_answers)
    return q.type == QuestionType.TRUE_FALSE


def _column_answer(q: QuestionData) -> str:
    if q.type == QuestionType.TRUE_FALSE:
        return "Đúng" if q.truth else "Sai"
    if q.type == QuestionType.SHORT:
        return "|".join(a.text for a in q.short_answers)
    return ", ".join(OPTION_LETTERS[i] for i, o in enumerate(q.options) if o.correct)



# --------------------------------------------------------------------------- import


def read_excel(data: bytes) -> tuple[list[QuestionData], list[ImportProblem]]:
    """Questions of an uploaded .xlsx and the problems of the skipped rows (``row N: ...``, Vietnamese).

    Reads the sheet "Câu hỏi" (or the first sheet), finds columns by their header text, skips empty rows.
    Keys left empty are made from the stem; a key written twice is a problem. Texts are NFC, without control
    characters. Raises ExcelFormatError if ``data`` is not an .xlsx workbook, lacks a required column or
    breaks a limit of :mod:`spreadsheet_limits` (size, parts, rows); an overlong cell is a problem of its row.
    """
    workbook = open_workbook(data)
    try:
        parsed, problems = _read_rows(_sheet_rows(workbook))
    finally:
        workbook.close()
    questions = _assign_keys(parsed, problems)
    return questions, sorted(problems, key=lambda p: p.line)


def _read_rows(rows: Iterator[tuple[int, tuple[Any, ...]]]) -> tuple[list[tuple[int, QuestionData, bool]],
                                                                     list[ImportProblem]]:
    _, header = next(rows, (1, ()))
    columns = _header_columns(header)
    parsed: list[tuple[int, QuestionData, bool]] = []
    problems: list[ImportProblem] = []
    for number, row in rows:
        cells = {name: _cell_text(row[index]) if index < len(row) else "" for name, index in columns.items()}
        if not any(cells.values()):
            continue
        too_long = long_cells(cells, COLUMNS)
        if too_long:
            problems += [ImportProblem(number, message, unit="row") for message in too_long]
            continue
        try:
            parsed.append((number, _read_row(cells, number), bool(cells.get("key"))))
        except _RowError as exc:
            problems += [ImportProblem(number, message, unit="row") for message in exc.messages]
    return parsed, problems


class _RowError(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _sheet_rows(workbook: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    return limited_rows(sheet)


def _header_columns(header: Sequence[Any]) -> dict[str, int]:
    wanted = {slug_key(label): name for name, label in COLUMNS.items()}
    columns: dict[str, int] = {}
    for index, value in enumerate(header):
        name = wanted.get(slug_key(_cell_text(value))) if value is not None else None
        if name and name not in columns:
            columns[name] = index
    missing = [COLUMNS[name] for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ExcelFormatError("Hàng tiêu đề thiếu cột bắt buộc: " + ", ".join(missing) + ".")
    return columns


# Excel stores a control character of a cell as _x0001_ (OOXML ST_Xstring); openpyxl hands the escape over as is.
_CONTROL_ESCAPE = re.compile("_x00[01][0-9A-Fa-f]_")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Đúng" if value else "Sai"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = _CONTROL_ESCAPE.sub(lambda m: chr(int(m.group()[2:6], 16)), str(value))
    return nfc(text).strip()  # nfc drops the control characters


def _read_row(cells: dict[str, str], number: int) -> QuestionData:
    qtype = _TYPES.get(slug_key(cells.get("type", ""))) if cells.get("type") else None
    messages = []
    if qtype is None:
        messages.append(f"loại câu hỏi '{cells.get('type', '')}' không hợp lệ (chọn một trong: "
                        + ", ".join(TYPE_LABELS.values()) + ")")
    difficulty = _DIFFICULTIES.get(slug_key(cells["difficulty"])) if cells.get("difficulty") else Difficulty.MEDIUM
    if difficulty is None:
        messages.append(f"độ khó '{cells['difficulty']}' không hợp lệ (Dễ, Trung bình hoặc Khó)")
    points = _points(cells.get("points", ""), messages)
    if messages or qtype is None or difficulty is None:
        raise _RowError(messages)
    data: dict[str, Any] = {
        "key": cells.get("key") or "excel", "type": qtype.value, "difficulty": difficulty.value,
        "stem": cells.get("stem", ""), "explanation": cells.get("explanation", ""), "points": points,
        "tags": [tag.strip() for tag in cells.get("tags", "").split(",") if tag.strip()],
        "source": cells.get("source", ""),
    }
    if cells.get("module"):
        data["module"] = cells["module"]
    data |= _answer_fields(qtype, cells)
    try:
        return parse_question_dict(data, line=number, require_explanation=False, extended=True)
    except BankFormatError as exc:
        raise _RowError([p.message for p in exc.problems]) from None


def _points(text: str, messages: list[str]) -> float:
    if not text:
        return 1.0
    try:
        return float(text.replace(",", "."))
    except ValueError:
        messages.append(f"điểm '{text}' không phải là số")
        return 1.0


def _answer_fields(qtype: QuestionType, cells: dict[str, str]) -> dict[str, Any]:
    answer = cells.get("answer", "")
    if answer.startswith("{"):
        return _json_fields(answer)
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return {"options": _column_options(cells, answer)}
    if qtype == QuestionType.TRUE_FALSE:
        truth = _TRUTH.get(slug_key(answer).replace("-", ""))
        if truth is None:
            raise _RowError([f"đáp án '{answer}' của câu Đúng/Sai phải là 'Đúng' hoặc 'Sai'"])
        return {"answer": truth}
    if qtype == QuestionType.SHORT:
        return {"answers": [{"text": part.strip()} for part in answer.split("|") if part.strip()]}
    raise _RowError([f"câu loại {TYPE_LABELS[qtype]} cần ghi đáp án dạng JSON trong cột 'Đáp án đúng' "
                     "(xem trang Hướng dẫn)"])


def _json_fields(answer: str) -> dict[str, Any]:
    try:
        fields = json.loads(answer)
    except json.JSONDecodeError as exc:
        raise _RowError([f"ô 'Đáp án đúng' không phải JSON hợp lệ: {exc.msg} (ký tự {exc.pos + 1})"]) from None
    if not isinstance(fields, dict):
        raise _RowError(["ô 'Đáp án đúng' dạng JSON phải là một đối tượng {...}"])
    unknown = sorted(set(fields) - _ANSWER_FIELDS)
    if unknown:
        raise _RowError([f"trường không hợp lệ trong JSON của ô 'Đáp án đúng': {', '.join(unknown)}"])
    return fields


def _column_options(cells: dict[str, str], answer: str) -> list[dict[str, Any]]:
    letters = [part for part in answer.replace(";", ",").replace(" ", ",").upper().split(",") if part]
    filled = [letter for letter in OPTION_LETTERS if cells.get(letter)]
    wrong = [letter for letter in letters if letter not in filled]
    if wrong or not letters:
        raise _RowError([f"đáp án đúng '{answer}' phải là chữ cái của phương án đã điền ({', '.join(filled)})"])
    return [{"text": cells[letter], **({"correct": True} if letter in letters else {})} for letter in filled]


def _assign_keys(parsed: list[tuple[int, QuestionData, bool]], problems: list[ImportProblem]) -> list[QuestionData]:
    explicit_rows: dict[str, int] = {}
    questions = []
    for number, question, explicit in parsed:
        if not explicit:
            continue
        if question.key in explicit_rows:
            problems.append(ImportProblem(number, f"mã câu hỏi '{question.key}' bị trùng với hàng "
                                                  f"{explicit_rows[question.key]}", unit="row"))
        else:
            explicit_rows[question.key] = number
    used = set(explicit_rows)
    for number, question, explicit in parsed:
        if explicit and explicit_rows.get(question.key) != number:
            continue
        if not explicit:
            question.key = unique_key(slug_key(question.stem), used)
        question.line = number
        questions.append(question)
    return questions
