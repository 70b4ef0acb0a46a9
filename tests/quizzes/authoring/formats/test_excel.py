"""Excel template, import (row problems) and export round trip."""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from lms.quizzes.authoring.formats.excel import (
    COLUMNS,
    HELP_SHEET,
    SHEET,
    ExcelFormatError,
    build_template,
    read_excel,
    write_excel,
)
from lms.quizzes.authoring.formats.gift.reading import read_gift
from lms.quizzes.authoring.formats.yaml_questions import parse_bank
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
from tests.external import external_fixture

REPO = Path(__file__).resolve().parents[4]
HEADERS = list(COLUMNS.values())


def _xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(**cells: object) -> list[object]:
    return [cells.get(name) for name in COLUMNS]


def test_template_has_headers_help_and_drop_downs() -> None:
    workbook = load_workbook(io.BytesIO(build_template()))
    assert workbook.sheetnames == [SHEET, HELP_SHEET]
    sheet = workbook[SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    assert HEADERS[:6] == ["Mã câu hỏi", "Loại", "Độ khó", "Học phần", "Thẻ", "Câu hỏi"]
    formulas = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert formulas["B2:B1000"] == '"Một lựa chọn,Nhiều lựa chọn,Đúng/Sai,Trả lời ngắn,Số,Ghép cặp,Sắp xếp"'
    assert formulas["C2:C1000"] == '"Dễ,Trung bình,Khó"'
    assert "HƯỚNG DẪN" in workbook[HELP_SHEET]["A1"].value
    assert read_excel(build_template()) == ([], [])


def test_reads_the_column_types() -> None:
    data = _xlsx([
        _row(key="q1", type="Một lựa chọn", difficulty="Dễ", module="m1", tags="pdca, lich-su", stem="Thủ đô?",
             A="Hà Nội", B="Huế", answer="A", explanation="Vì thế.", points=2),
        _row(type="multiple", stem="Số chẵn?", A=2, B=3, C=4, answer="A, C"),
        _row(type="Đúng/Sai", difficulty="hard", stem="Trời xanh.", answer="Sai"),
        [],
        _row(type="Trả lời ngắn", stem="Viết tắt?", answer="ISO | I.S.O"),
        _row(type="Số", stem="Năm?", answer='{"answers": [{"value": 2015, "tolerance": 1}]}'),
    ])
    questions, problems = read_excel(data)
    assert problems == []
    first, multi, tf, short, numeric = questions
    assert (first.key, first.type, first.difficulty, first.module, first.tags, first.points, first.line) == (
        "q1", QuestionType.SINGLE, Difficulty.EASY, "m1", ["pdca", "lich-su"], 2.0, 2)
    assert first.options == [Option("Hà Nội", 100.0), Option("Huế", 0.0)] and first.explanation == "Vì thế."
    assert multi.key == "so-chan" and [(o.text, o.weight) for o in multi.options] == [
        ("2", 50.0), ("3", 0.0), ("4", 50.0)]
    assert (tf.truth, tf.difficulty, tf.line) == (False, Difficulty.HARD, 4)
    assert short.short_answers == [ShortAnswer("ISO"), ShortAnswer("I.S.O")] and short.line == 6
    assert numeric.numeric_answers == [NumericAnswer(value=2015.0, tolerance=1.0)]


def test_row_problems_in_vietnamese() -> None:
    data = _xlsx([
        _row(key="a", type="Một lựa chọn", stem="S1", A="x", B="y", answer="C"),
        _row(key="b", type="Tự luận", stem="S2", answer="x"),
        _row(key="c", type="Một lựa chọn", stem="S3", A="x", B="y", answer="A, B"),
        _row(key="d", type="Đúng/Sai", stem="S4", answer="Có lẽ"),
        _row(key="e", type="Ghép cặp", stem="S5", answer="a -> b"),
        _row(key="f", type="Sắp xếp", stem="S6", answer='{"items": ["a", "b"'),
        _row(key="g", type="Nhiều lựa chọn", stem="S7", A="x", B="y", answer="A"),
        _row(key="h", type="Đúng/Sai", difficulty="rất khó", stem="S8", answer="Đúng", points="hai"),
        _row(key="i", type="Đúng/Sai", stem="S9", answer="Đúng"),
        _row(key="i", type="Đúng/Sai", stem="S10", answer="Sai"),
    ])
    questions, problems = read_excel(data)
    assert [q.key for q in questions] == ["i"]
    assert [str(p) for p in problems] == [
        "row 2: đáp án đúng 'C' phải là chữ cái của phương án đã điền (A, B)",
        "row 3: loại câu hỏi 'Tự luận' không hợp lệ (chọn một trong: Một lựa chọn, Nhiều lựa chọn, Đúng/Sai, "
        "Trả lời ngắn, Số, Ghép cặp, Sắp xếp)",
        "row 4: câu hỏi loại single phải có đúng một đáp án đúng",
        "row 5: đáp án 'Có lẽ' của câu Đúng/Sai phải là 'Đúng' hoặc 'Sai'",
        "row 6: câu loại Ghép cặp cần ghi đáp án dạng JSON trong cột 'Đáp án đúng' (xem trang Hướng dẫn)",
        "row 7: ô 'Đáp án đúng' không phải JSON hợp lệ: Expecting ',' delimiter (ký tự 20)",
        "row 8: câu hỏi loại multiple phải có ít nhất hai đáp án đúng",
        "row 9: độ khó 'rất khó' không hợp lệ (Dễ, Trung bình hoặc Khó)",
        "row 9: điểm 'hai' không phải là số",
        "row 11: mã câu hỏi 'i' bị trùng với hàng 10",
    ]


def test_generated_keys_do_not_clash_with_written_ones() -> None:
    data = _xlsx([_row(type="Đúng/Sai", stem="Câu A", answer="Đúng"),
                  _row(key="cau-a", type="Đúng/Sai", stem="Câu B", answer="Đúng")])
    questions, problems = read_excel(data)
    assert problems == [] and [q.key for q in questions] == ["cau-a-2", "cau-a"]


def test_missing_required_column_and_garbage_are_rejected() -> None:
    with pytest.raises(ExcelFormatError, match="thiếu cột bắt buộc: Đáp án đúng"):
        read_excel(_xlsx([], headers=["Loại", "Câu hỏi"]))
    with pytest.raises(ExcelFormatError, match="không phải là bảng tính Excel .xlsx"):
        read_excel(b"Question?{=yes}")
    with pytest.raises(ExcelFormatError, match="bị hỏng"):
        read_excel(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ExcelFormatError, match=r"\.xls \(Excel 97-2003\)"):
        read_excel(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(ExcelFormatError):
        read_excel(b"")


def test_nfd_cells_come_out_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Thủ đô của Việt Nam?")
    data = _xlsx([_row(type=unicodedata.normalize("NFD", "Một lựa chọn"), stem=nfd,
                       A=unicodedata.normalize("NFD", "Hà Nội"), B="Huế", answer="A")])
    questions, problems = read_excel(data)
    assert problems == []
    assert questions[0].stem == unicodedata.normalize("NFC", "Thủ đô của Việt Nam?")
    assert unicodedata.is_normalized("NFC", questions[0].options[0].text)


def _every_kind() -> list[QuestionData]:
    return [
        QuestionData(key="s", type=QuestionType.SINGLE, stem="= 1 + 1 ?", explanation="e", tags=["a", "b"],
                     module="m1", source="FS1", difficulty=Difficulty.HARD, points=1.5,
                     options=[Option("=2", 100.0), Option("3")]),
        QuestionData(key="s7", type=QuestionType.SINGLE, stem="Bảy phương án",
                     options=[Option(str(n), 100.0 if n == 4 else 0.0) for n in range(7)]),
        QuestionData(key="fb", type=QuestionType.SINGLE, stem="Có phản hồi",
                     options=[Option("x", 100.0, "đúng"), Option("y", 0.0, "sai")]),
        QuestionData(key="m", type=QuestionType.MULTIPLE, stem="Nhiều", options=[
            Option("a", 50.0), Option("b", 50.0), Option("c")]),
        QuestionData(key="mp", type=QuestionType.MULTIPLE, stem="Một phần", scoring=Scoring.PARTIAL, options=[
            Option("a", 100 / 3), Option("b", 100 / 3), Option("c", 100 / 3), Option("d", -25.0), Option("e")]),
        QuestionData(key="tf", type=QuestionType.TRUE_FALSE, stem="Đúng?", truth=True),
        QuestionData(key="sh", type=QuestionType.SHORT, stem="Ngắn", short_answers=[ShortAnswer("a"),
                                                                                   ShortAnswer("b")]),
        QuestionData(key="shw", type=QuestionType.SHORT, stem="Ngắn có trọng số", ignore_diacritics=True,
                     short_answers=[ShortAnswer("Đà Nẵng"), ShortAnswer("a|b", 50.0)]),
        QuestionData(key="n", type=QuestionType.NUMERIC, stem="Số", numeric_answers=[
            NumericAnswer(value=3.5, tolerance=0.25), NumericAnswer(minimum=1.0, maximum=2.0, weight=50.0)]),
        QuestionData(key="mt", type=QuestionType.MATCHING, stem="Ghép", pairs=[
            MatchPair("1", "a"), MatchPair("2", "b"), MatchPair("3", "c")], distractors=["d"]),
        QuestionData(key="o", type=QuestionType.ORDERING, stem="Thứ tự", order_items=["x", "y", "z"]),
    ]


def _without_lines(questions: list[QuestionData]) -> list[QuestionData]:
    return [replace(q, line=None) for q in questions]


def test_round_trip_every_type() -> None:
    original = _every_kind()
    data = write_excel(original)
    questions, problems = read_excel(data)
    assert problems == []
    assert _without_lines(questions) == original
    sheet = load_workbook(io.BytesIO(data))[SHEET]
    assert sheet["F2"].value == "= 1 + 1 ?" and sheet["G2"].data_type == "s"  # written as text, not formulas
    assert sheet["M2"].value == "A"
    assert json.loads(sheet["M10"].value) == {"answers": [{"value": 3.5, "tolerance": 0.25},
                                                          {"min": 1.0, "max": 2.0, "weight": 50.0}]}


def _gift_questions(folder: Path) -> list[QuestionData]:
    return [i.question for path in sorted(folder.glob("*.gift.txt"))
            for i in read_gift(path.read_text(encoding="utf-8"))[0]]


def _assert_round_trip(questions: list[QuestionData]) -> None:
    questions = [replace(q, key=f"k{n}") for n, q in enumerate(questions)]
    again, problems = read_excel(write_excel(questions))
    assert problems == []
    assert _without_lines(again) == _without_lines(questions)


def test_round_trip_of_course_banks_and_own_gift_fixtures() -> None:
    questions: list[QuestionData] = []
    for path in sorted((REPO / "content" / "courses").glob("*/questions/*.yaml")):
        questions += parse_bank(path.read_text(encoding="utf-8"), str(path))
    own = _gift_questions(REPO / "tests" / "fixtures" / "gift")
    assert len(own) > 10
    _assert_round_trip(questions + own)


def test_round_trip_of_moodle_fixtures() -> None:
    _assert_round_trip(_gift_questions(external_fixture("gift")))
