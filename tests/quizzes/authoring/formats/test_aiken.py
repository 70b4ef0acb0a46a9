"""Aiken import (problems with line numbers) and export round trip."""

from __future__ import annotations

import unicodedata

import pytest

from lms.quizzes.authoring.formats.aiken import read_aiken, write_aiken
from lms.quizzes.questions import Option, QuestionData, QuestionType

GOOD = """\
Thủ đô của Việt Nam là thành phố nào?
A. Hà Nội
B) Huế
C. Đà Nẵng
ANSWER: A

ISO 9001:2015 là lần ban hành thứ mấy?
(chọn một)
A. Lần thứ ba
B. Lần thứ năm
ANSWER: B
"""


def test_reads_questions_with_both_option_styles_and_multiline_stem() -> None:
    questions, problems = read_aiken(GOOD)
    assert problems == []
    assert [(q.key, q.type, q.line) for q in questions] == [
        ("thu-do-cua-viet-nam-la-thanh-pho-nao", QuestionType.SINGLE, 1),
        ("iso-9001-2015-la-lan-ban-hanh-thu-may-chon-mot", QuestionType.SINGLE, 7),
    ]
    assert questions[0].options == [Option("Hà Nội", 100.0), Option("Huế", 0.0), Option("Đà Nẵng", 0.0)]
    assert questions[1].stem == "ISO 9001:2015 là lần ban hành thứ mấy?\n(chọn một)"
    assert [o.correct for o in questions[1].options] == [False, True]


def test_problems_name_the_first_line_of_the_question() -> None:
    text = (
        "Câu một?\n"          # 1: answer letter not among the options
        "A. x\n"
        "B. y\n"
        "ANSWER: D\n"
        "\n"
        "Câu hai?\n"          # 6: letters out of order
        "A. x\n"
        "C. y\n"
        "ANSWER: A\n"
        "Câu ba?\n"           # 10: no ANSWER before the next question
        "A. x\n"
        "B. y\n"
        "Câu bốn?\n"          # 13: fine, the answer letter may be lowercase
        "A. x\n"
        "B. y\n"
        "ANSWER: b\n"
        "A. lạc đề\n"         # 17: option without question
        "ANSWER: A\n"
        "Câu sáu?\n"          # 19: duplicate options
        "A. x\n"
        "B.  x \n"
        "ANSWER: A\n"
        "Câu bảy?\n"          # 23: file ends without ANSWER
    )
    questions, problems = read_aiken(text)
    assert [str(p) for p in problems] == [
        "line 1: đáp án 'D' không phải là một trong các phương án A, B",
        "line 6: phương án 'C' không đúng thứ tự (cần 'B')",
        "line 10: thiếu dòng 'ANSWER: <chữ cái>' sau các phương án",
        "line 17: phương án xuất hiện trước câu hỏi",
        "line 19: phương án bị trùng: 'x'",
        "line 23: thiếu dòng 'ANSWER: <chữ cái>' sau các phương án",
    ]
    assert [(q.stem, q.line, q.options[1].correct) for q in questions] == [("Câu bốn?", 13, True)]


def test_nfd_input_comes_out_nfc_and_keys_are_unique() -> None:
    text = unicodedata.normalize("NFD", GOOD.split("\n\n")[0] + "\n\n" + GOOD.split("\n\n")[0])
    questions, problems = read_aiken(text)
    assert problems == []
    assert [q.key for q in questions] == ["thu-do-cua-viet-nam-la-thanh-pho-nao",
                                          "thu-do-cua-viet-nam-la-thanh-pho-nao-2"]
    assert questions[0].stem == unicodedata.normalize("NFC", "Thủ đô của Việt Nam là thành phố nào?")
    assert all(unicodedata.is_normalized("NFC", o.text) for o in questions[0].options)


def test_round_trip() -> None:
    questions, _ = read_aiken(GOOD)
    text = write_aiken(questions)
    assert text.splitlines()[:5] == ["Thủ đô của Việt Nam là thành phố nào?", "A. Hà Nội", "B. Huế",
                                     "C. Đà Nẵng", "ANSWER: A"]
    again, problems = read_aiken(text)
    assert problems == [] and again == questions


def test_write_rejects_what_aiken_cannot_hold() -> None:
    tf = QuestionData(key="tf", type=QuestionType.TRUE_FALSE, stem="s", truth=True)
    with pytest.raises(ValueError, match="single"):
        write_aiken([tf])
    tricky = QuestionData(key="t", type=QuestionType.SINGLE, stem="Chọn:\nA. như một phương án",
                          options=[Option("x", 100.0), Option("y")])
    with pytest.raises(ValueError, match="đọc nhầm"):
        write_aiken([tricky])
