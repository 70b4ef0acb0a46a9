"""Hostile files at the readers and writers: control characters, spreadsheet bombs, formula-like text."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from lms.quizzes.authoring.formats import spreadsheet_limits
from lms.quizzes.authoring.formats.aiken import read_aiken
from lms.quizzes.authoring.formats.excel import COLUMNS, SHEET, ExcelFormatError, read_excel, write_excel
from lms.quizzes.authoring.formats.gift.reading import read_gift
from lms.quizzes.authoring.formats.gift.writing import write_gift
from lms.quizzes.authoring.formats.yaml_fields import load_yaml
from lms.quizzes.authoring.formats.yaml_questions import parse_question_dict
from lms.quizzes.questions import Option, QuestionData, QuestionType
from lms.text import CONTROL_CHARACTERS, neutralise_formula, strip_control
from tests.factories import replace_in_xlsx, rewrite_xlsx_part

HEADERS = list(COLUMNS.values())
HYPERLINK = '=HYPERLINK("http://x","y")'
HOSTILE = "Câu\x00 hỏi\x0bcó\x1f ký tự\ufffe lạ?"


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(stem: str = "Câu hỏi?") -> list:
    return ["", "Một lựa chọn", "", "", "", stem, "Có", "Không", "", "", "", "", "A", "", 1]


def test_strip_control_keeps_text_and_line_breaks():
    assert strip_control("Quản lý\x0bchất\x00 lượng\t\r\n") == "Quản lý chất lượng\t\r\n"
    assert not CONTROL_CHARACTERS.search(strip_control("".join(map(chr, range(0x20))) + "\x7f\x85\ud800\uffff"))


def test_every_reader_drops_control_characters():
    aiken, _ = read_aiken(f"{HOSTILE}\nA. Có\nB. Không\nANSWER: A\n")
    gift, _ = read_gift(f"::k:: {HOSTILE} {{T}}\n")
    data = replace_in_xlsx(_xlsx([_row("XCTRLX")]), b"XCTRLX", b"C\xc3\xa2u_x0000_ h\xe1\xbb\x8fi_x000B_?")
    excel, problems = read_excel(data)
    yaml_question = parse_question_dict(load_yaml('key: k\ntype: true_false\nstem: "C\\x00âu\\vhỏi?"\nanswer: true\n'
                                                  "explanation: \"\x01Vì\"\n", ""), line=1)
    edited = load_yaml("stem: Câu\x00 hỏi\x0b?\n", "")  # the web editor's text, pasted with control characters
    assert problems == []
    stems = [aiken[0].stem, gift[0].question.stem, excel[0].stem, yaml_question.stem, yaml_question.explanation,
             edited["stem"]]
    assert stems == ["Câu hỏi có ký tự lạ?"] * 2 + ["Câu hỏi ?", "Câu hỏi?", "Vì", "Câu hỏi ?"]


# --------------------------------------------------------------------------- spreadsheet bombs


def test_a_40_mb_cell_is_refused_before_it_is_unpacked():
    data = replace_in_xlsx(_xlsx([_row("BIG")]), b"BIG", b"x" * 40_000_000)
    assert len(data) < 200_000
    started = time.perf_counter()
    with pytest.raises(ExcelFormatError, match="unpacks to 39 MB, more than the 20 MB allowed") as refused:
        read_excel(data)
    assert time.perf_counter() - started < 5 and len(str(refused.value)) < 200


def _many_rows(count: int, *, dimension: bool = True) -> bytes:
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="n"><v>{n}</v></c></row>' for n in range(2, count + 2))

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"</row>\s*</sheetData>", b"</row>" + rows.encode() + b"</sheetData>", xml, count=1)
        ref = f'<dimension ref="A1:O{count + 1}"/>'.encode() if dimension else b""
        return re.sub(rb"<dimension [^>]*/>", ref, xml)
    return rewrite_xlsx_part(_xlsx([]), "xl/worksheets/sheet1.xml", change)


def test_150000_rows_are_refused_where_the_limit_is_reached():
    data = _many_rows(150_000)
    assert len(data) < 2_000_000
    started = time.perf_counter()
    with pytest.raises(ExcelFormatError, match="more than 2000 question rows"):
        read_excel(data)
    assert time.perf_counter() - started < 2  # reading stopped at row 2002, not at row 150001


def test_rows_beyond_the_limit_are_refused_when_the_sheet_hides_its_size(monkeypatch):
    monkeypatch.setattr(spreadsheet_limits, "MAX_ROWS", 50)
    with pytest.raises(ExcelFormatError, match="more than 50 question rows"):
        read_excel(_many_rows(200, dimension=False))
    # empty rows after the limit (formatted ones, a declared size beyond them) are not questions
    assert read_excel(_xlsx([_row()] + [[None]] * 80))[1] == []


def test_a_long_cell_is_a_problem_of_its_row_and_is_not_repeated():
    questions, problems = read_excel(_xlsx([_row("y" * 20_000), _row("Câu ngắn?")]))
    assert [q.stem for q in questions] == ["Câu ngắn?"]
    assert [(p.line, p.message) for p in problems] == [
        (2, "cell 'Câu hỏi' holds 20000 characters, more than the 10000 allowed")]


def test_broken_or_crowded_archives_are_refused_not_crashed():
    broken = rewrite_xlsx_part(_xlsx([_row()]), "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    with pytest.raises(ExcelFormatError, match="bị hỏng"):
        read_excel(broken)
    crowded = rewrite_xlsx_part(_xlsx([_row()]), "xl/styles.xml", lambda xml: xml)
    crowded = io.BytesIO(crowded)
    with zipfile.ZipFile(crowded, "a") as archive:
        for n in range(250):
            archive.writestr(f"xl/media/extra{n}.bin", b"")
    with pytest.raises(ExcelFormatError, match="made of 2.. parts, more than the 200"):
        read_excel(crowded.getvalue())


# --------------------------------------------------------------------------- writing


def test_neutralising_rule():
    for text in (HYPERLINK, "+1", "-2", "@SUM(A1)", "\tx", "\rx", "＝1+1"):
        assert neutralise_formula(text) == (text, True)
    assert neutralise_formula("Câu\x00 hỏi") == ("Câu hỏi", False)
    assert neutralise_formula("z" * 40_000)[0] == "z" * 32_767


def test_bank_export_quotes_formula_text_and_reads_it_back():
    question = QuestionData(key="k-1", type=QuestionType.SINGLE, stem=HYPERLINK,
                            options=[Option("+ Có", 100.0), Option("@Không")], explanation="-1 điểm")
    data = write_excel([question])
    sheet = load_workbook(io.BytesIO(data))[SHEET]
    stem = sheet.cell(row=2, column=HEADERS.index("Câu hỏi") + 1)
    assert stem.value == HYPERLINK and stem.data_type == "s" and stem.quotePrefix
    assert all(sheet.cell(row=2, column=HEADERS.index(h) + 1).quotePrefix
               for h in ("Phương án A", "Phương án B", "Giải thích"))
    assert not sheet.cell(row=2, column=HEADERS.index("Mã câu hỏi") + 1).quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")  # no formula anywhere
    questions, problems = read_excel(data)
    assert problems == [] and questions[0].stem == HYPERLINK
    assert [o.text for o in questions[0].options] == ["+ Có", "@Không"] and questions[0].explanation == "-1 điểm"


def test_writers_never_fail_on_stored_control_characters():
    stored = QuestionData(key="k-2", type=QuestionType.TRUE_FALSE, stem=HOSTILE, truth=True, explanation="\x00=1")
    questions, _ = read_excel(write_excel([stored]))
    assert questions[0].stem == "Câu hỏi có ký tự lạ?" and questions[0].explanation == "=1"
    items, problems = read_gift(write_gift([stored]))
    assert problems == [] and items[0].question.stem == "Câu hỏi có ký tự lạ?"
