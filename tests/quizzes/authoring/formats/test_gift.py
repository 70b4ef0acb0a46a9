"""GIFT import on the project's and Moodle's fixture files, problems with line numbers, and export round trips."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from lms.quizzes.authoring.formats.gift.html_text import html_to_text
from lms.quizzes.authoring.formats.gift.reading import GiftQuestion, read_gift
from lms.quizzes.authoring.formats.gift.writing import write_gift
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

OWN_FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "gift"


def _read_fixture(name: str) -> tuple[list[GiftQuestion], list]:
    return read_gift(external_fixture("gift", name).read_text(encoding="utf-8"))


def _by_line(items: list[GiftQuestion]) -> dict[int, QuestionData]:
    return {item.question.line: item.question for item in items}


def _options(q: QuestionData) -> list[tuple[str, float]]:
    return [(o.text, o.weight) for o in q.options]


def _read_own(name: str) -> tuple[list[GiftQuestion], list]:
    return read_gift((OWN_FIXTURES / name).read_text(encoding="utf-8"))


def test_own_fixture_covers_every_gift_feature() -> None:
    items, problems = _read_own("features.gift.txt")
    assert [str(p) for p in problems] == ["line 2: câu hỏi tự luận (essay) chưa được hỗ trợ; đã bỏ qua"]
    assert [(i.question.line, i.question.type) for i in items] == [
        (7, QuestionType.MATCHING), (16, QuestionType.SINGLE), (24, QuestionType.MULTIPLE),
        (33, QuestionType.NUMERIC), (36, QuestionType.SHORT), (43, QuestionType.TRUE_FALSE),
        (48, QuestionType.TRUE_FALSE), (50, QuestionType.TRUE_FALSE), (55, QuestionType.SINGLE),
        (65, QuestionType.SINGLE), (68, QuestionType.NUMERIC), (73, QuestionType.NUMERIC),
    ]
    assert [i.category for i in items] == ["$course$/ISO 9001/Thuật ngữ"] * 8 + ["$course$/ISO 9001/Ký tự đặc biệt"] * 4
    q = _by_line(items)
    assert q[7].key == "ghep-thuat-ngu" and q[7].stem == "Ghép **thuật ngữ** với nội dung của nó."  # [html]
    assert q[7].pairs[0] == MatchPair("Bốn bước lặp lại để cải tiến.", "PDCA")
    assert q[7].pairs[1].left == "Cam kết và định hướng chung về chất lượng."  # [moodle] marker stripped
    assert len(q[7].pairs) == 4 and q[7].distractors == ["Sổ tay chất lượng"]
    assert q[16].options == [Option("Kiểm tra", 100.0, "Đúng: P, D, C rồi A."),
                             Option("Hành động", 0.0, "Chưa đúng: đó là bước cuối."),
                             Option("Hoạch định", 0.0, "Chưa đúng: đó là bước đầu.")]
    assert q[24].scoring == Scoring.PARTIAL
    assert _options(q[24]) == [("Kiểm tra", 50.0), ("Hoạch định", -100.0), ("Check", 50.0),
                               ("Cải tiến liên tục", -100.0)]
    assert q[33].stem == "Cấu trúc cấp cao có bao nhiêu điều?"  # the stray `";` after the block is dropped
    assert q[33].numeric_answers[0].bounds() == (10.0, 10.0)
    assert [(a.text, a.weight) for a in q[36].short_answers] == [("PDCA", 100.0), ("PDSA", 50.0), ("*", 0.0)]
    assert q[43].truth is False and q[43].explanation == "Thông tin dạng văn bản do tổ chức tự quyết định."
    assert q[48].truth is True and q[50].truth is True and q[50].key == "T1-2"  # a repeated name gets a suffix
    control = q[55]
    assert control.key == "ky-tu-dieu-khien"  # an escaped colon inside the name
    assert [o.text for o in control.options] == ["~", "=", "#", "{", "}", "\\"]
    assert control.options[5].correct and control.options[0].feedback == "~ là ký tự điều khiển."
    assert q[65].stem == "Hệ thống quản lý chất lượng được xây dựng theo _____ tại cơ quan."  # text after the block
    assert [o.text for o in q[65].options if o.correct] == ["TCVN ISO 9001:2015"]
    assert q[68].numeric_answers == [NumericAnswer(value=2015.0, tolerance=0.0),
                                     NumericAnswer(value=2015.0, tolerance=1.0, weight=50.0)]
    assert q[73].numeric_answers == [NumericAnswer(minimum=3.141, maximum=3.142)]


def test_own_category_fixture_reads_clean() -> None:
    items, problems = _read_own("categories.gift.txt")
    assert problems == []
    assert [i.category for i in items] == ["$course$/Khóa 1/Khái niệm"] * 2 + ["$course$/Khóa 1/Thực hành"] * 2
    assert [i.question.type for i in items] == [QuestionType.SINGLE, QuestionType.TRUE_FALSE, QuestionType.SHORT,
                                                QuestionType.NUMERIC]


def test_round_trip_of_own_fixtures() -> None:
    imported = [i.question for name in ("features.gift.txt", "categories.gift.txt") for i in _read_own(name)[0]]
    imported = [replace(q, key=f"{q.key}-{n}") for n, q in enumerate(imported)]
    again, problems = read_gift(write_gift(imported))
    assert [p for p in problems if not p.warning] == []
    assert _without_lines([i.question for i in again]) == _without_lines(imported)


def test_moodle_questions_fixture() -> None:
    items, problems = _read_fixture("moodle-questions.gift.txt")
    assert [str(p) for p in problems] == ["line 2: câu hỏi tự luận (essay) chưa được hỗ trợ; đã bỏ qua"]
    assert [(i.question.line, i.question.key, i.question.type) for i in items] == [
        (5, "moodle-activities", QuestionType.MATCHING),
        (14, "Q2", QuestionType.SINGLE),
        (22, "colours", QuestionType.MULTIPLE),
        (31, "Q5", QuestionType.NUMERIC),
        (34, "Shortanswer", QuestionType.SHORT),
        (41, "Q1", QuestionType.TRUE_FALSE),
        (46, "2-08-tsl", QuestionType.TRUE_FALSE),
        (49, "2-08-tsl-2", QuestionType.TRUE_FALSE),
    ]
    q = _by_line(items)
    assert items[0].name == "Moodle activities"
    assert q[5].stem == "Match the **activity** to the description."
    assert q[5].pairs[0] == MatchPair("An activity supporting asynchronous discussions.", "Forum")
    assert q[5].pairs[1].left.startswith("A teacher asks")  # [moodle] marker stripped
    assert len(q[5].pairs) == 4 and q[5].distractors == ["Chat"]
    assert q[14].options == [Option("yellow", 100.0, "right; good!"), Option("red", 0.0, "wrong, it's yellow"),
                             Option("blue", 0.0, "wrong, it's yellow")]
    assert q[22].scoring == Scoring.PARTIAL
    assert _options(q[22]) == [("yellow", 50.0), ("red", -100.0), ("off-beige", 50.0), ("blue", -100.0)]
    assert q[31].stem == "What is a number from 1 to 5?"  # the stray `";` is dropped, not a gap
    assert q[31].numeric_answers[0].bounds() == (1.0, 5.0)
    assert [(a.text, a.weight) for a in q[34].short_answers] == [("Frog", 100.0), ("Cat", 50.0), ("*", 0.0)]
    assert q[41].truth is False
    assert q[41].stem == "42 is the Absolute Answer to everything."
    assert q[41].explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    assert q[46].truth is True and q[49].truth is True


def test_moodle_category_fixture() -> None:
    items, problems = _read_fixture("moodle-questions_in_category.gift.txt")
    assert problems == []
    assert {i.category for i in items} == {"$course$/Default for New Features"}
    q = _by_line(items)
    assert sorted(q) == [5, 14, 22, 27]
    assert q[5].distractors == ["Chat"] and len(q[5].pairs) == 4
    assert q[14].stem == ("[Listen to this greeting:](http://demo.moodle.net/file.php/5/media/bonjour.mp3)\n\n"
                          "What language is being spoken?")
    assert [o.text for o in q[14].options if o.correct] == ["French"]
    assert q[22].short_answers == [ShortAnswer("Moodler", 100.0)]
    assert q[27].truth is True
    assert q[27].stem == ("Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment.")


def test_moodle_examples_fixture() -> None:
    items, problems = _read_fixture("moodle-examples.gift.txt")
    assert len(items) == 43
    assert [p for p in problems if not p.warning] == []
    counts: dict[QuestionType, int] = {}
    for item in items:
        counts[item.question.type] = counts.get(item.question.type, 0) + 1
    assert counts == {QuestionType.SINGLE: 16, QuestionType.MULTIPLE: 2, QuestionType.TRUE_FALSE: 5,
                      QuestionType.SHORT: 9, QuestionType.NUMERIC: 8, QuestionType.MATCHING: 3}
    q = _by_line(items)
    assert q[10].stem == "Grant is _____ in Grant's tomb."  # gap-fill
    assert q[29].stem == "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November."
    assert q[45].stem == "Two plus two equals _____." and q[45].type == QuestionType.SHORT
    assert q[72].stem == "What is the value of pi (to 3 decimal places)?"
    assert q[72].numeric_answers == [NumericAnswer(value=3.1415, tolerance=0.0005)]
    assert q[74].numeric_answers == [NumericAnswer(minimum=3.141, maximum=3.142)]
    assert q[76].numeric_answers == [NumericAnswer(value=1822.0, tolerance=0.0),
                                     NumericAnswer(value=1822.0, tolerance=2.0, weight=50.0)]
    assert q[108].stem == "Who's buried in **Grant's tomb**?"  # [markdown] marker stripped
    assert _options(q[136]) == [("No one", -50.0), ("Grant", 50.0), ("Grant's wife", 50.0),
                                ("Grant's father", -50.0)]
    assert [(a.text, a.weight) for a in q[123].short_answers] == [("Nazareth", 100.0), ("Nazereth", 75.0),
                                                                 ("Bethlehem", 25.0)]
    assert [o.text for o in q[143].options] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = q[148]
    assert [o.text for o in control.options] == ["~", "=", "#", "{", "}", "\\"]
    assert control.options[5].correct and control.options[0].feedback == "~ is a control character."
    assert control.options[5].feedback.startswith("Correct! \\ (backslash) is not a control character. BUT,\n")
    assert q[202].numeric_answers[1] == NumericAnswer(value=1822.0, tolerance=2.0, weight=50.0)
    assert q[177].pairs[2] == MatchPair("Japan", "Tokyo")


def test_partial_credit_on_single_becomes_warning() -> None:
    items, problems = read_gift("Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}")
    assert _options(items[0].question) == [("wrong answer", 0.0), ("half credit answer", 0.0),
                                           ("full credit answer", 100.0)]
    assert len(problems) == 1 and problems[0].warning and str(problems[0]).startswith("line 1: phương án 'half")


def test_problems_carry_the_line_where_the_question_starts() -> None:
    text = (
        "// comment\n"
        "::ok::Good?{T}\n"
        "\n"
        "::open::Missing the closing brace {=a\n"
        "~b\n"
        "\n"
        "Just a description without answers.\n"
        "\n"
        "// ok\n"
        "::bad-number::\n"
        "How many?{#abc}\n"
        "\n"
        "::match::Two pairs only{=a -> 1 =b -> 2}\n"
        "\n"
        "::single::Two right answers{=a =b ~c}\n"
        "\n"
        "::essay::Write {}\n"
    )
    items, problems = read_gift(text)
    assert [i.question.key for i in items] == ["ok"]
    assert [str(p) for p in problems] == [
        "line 4: thiếu dấu '{' hoặc '}' bao phần đáp án",
        "line 7: không có phần đáp án {...}: đoạn mô tả (description) không được nhập",
        "line 10: đáp án số không hợp lệ: 'abc'",
        "line 13: câu hỏi loại matching phải có ít nhất 3 cặp",
        "line 15: câu hỏi loại single phải có đúng một đáp án đúng",
        "line 17: câu hỏi tự luận (essay) chưa được hỗ trợ; đã bỏ qua",
    ]


def test_nfd_input_comes_out_nfc() -> None:
    text = unicodedata.normalize("NFD", "::Câu 1::Thủ đô của Việt Nam?{=Hà Nội ~Huế ~Đà Nẵng####Vì Hà Nội.}")
    question = read_gift(text)[0][0].question
    assert question.stem == unicodedata.normalize("NFC", "Thủ đô của Việt Nam?")
    assert all(unicodedata.is_normalized("NFC", t) for t in [question.stem, question.explanation,
                                                               *(o.text for o in question.options)])
    assert question.key == "cau-1"


def test_html_to_text() -> None:
    assert html_to_text("<p>A &amp; <b>B</b><br/>C <i>d</i></p><script>x</script>") == "A & **B**\nC *d*"


def _sample_questions() -> list[QuestionData]:
    return [
        QuestionData(key="c1-m1-001", type=QuestionType.SINGLE, stem="Điều nào {đúng}: a = b # c ~ d?\nDòng 2",
                     explanation="Giải thích: \\ và #", difficulty=Difficulty.EASY, tags=["pdca", "lich-su"],
                     module="m1", source="SYLLABUS FS1.1", points=2.0,
                     options=[Option("A: x", 100.0, "đúng #1"), Option("B = y", 0.0), Option("C", 0.0, "sai")]),
        QuestionData(key="c1-m1-002", type=QuestionType.MULTIPLE, stem="Chọn ba", scoring=Scoring.PARTIAL,
                     options=[Option("a", 100 / 3), Option("b", 100 / 3), Option("c", 100 / 3),
                              Option("d", -50.0), Option("e", 0.0)]),
        QuestionData(key="c1-m1-003", type=QuestionType.MULTIPLE, stem="Chọn hai (tất cả hoặc không)",
                     options=[Option("a", 50.0), Option("b", 50.0), Option("c", 0.0)]),
        QuestionData(key="c1-m1-004", type=QuestionType.TRUE_FALSE, stem="Đúng không?", truth=False,
                     explanation="Sai."),
        QuestionData(key="c1-m1-005", type=QuestionType.SHORT, stem="Viết tắt _____ là gì?", ignore_diacritics=True,
                     short_answers=[ShortAnswer("ISO"), ShortAnswer("I.S.O", 50.0)]),
        QuestionData(key="c1-m1-006", type=QuestionType.NUMERIC, stem="Số?", difficulty=Difficulty.HARD,
                     numeric_answers=[NumericAnswer(value=-2.5, tolerance=0.25), NumericAnswer(minimum=1, maximum=3,
                                                                                               weight=50.0)]),
        QuestionData(key="c1-m1-007", type=QuestionType.NUMERIC, stem="Năm?",
                     numeric_answers=[NumericAnswer(value=2015.0)]),
        QuestionData(key="c1-m1-008", type=QuestionType.MATCHING, stem="Ghép",
                     pairs=[MatchPair("Điều 6", "Hoạch định"), MatchPair("Điều 7", "Hỗ trợ"),
                            MatchPair("Điều 8", "Thực hiện")], distractors=["Cải tiến"]),
    ]


def _without_lines(questions: list[QuestionData]) -> list[QuestionData]:
    return [replace(q, line=None) for q in questions]


def test_round_trip_of_every_exportable_type() -> None:
    original = _sample_questions()
    text = write_gift(original, categories=["Khóa 1"] * 4 + ["Khóa 2"] * 4)
    items, problems = read_gift(text)
    assert [p for p in problems if not p.warning] == []
    assert _without_lines([i.question for i in items]) == original
    assert [i.category for i in items] == ["Khóa 1"] * 4 + ["Khóa 2"] * 4
    assert text.count("$CATEGORY:") == 2


def test_round_trip_of_moodle_fixtures() -> None:
    imported = []
    for name in ("moodle-examples.gift.txt", "moodle-questions.gift.txt", "moodle-questions_in_category.gift.txt"):
        items, _ = _read_fixture(name)
        imported += [i.question for i in items]
    imported = [replace(q, key=f"{q.key}-{n}") for n, q in enumerate(imported)]  # unique across the files
    again, problems = read_gift(write_gift(imported))
    assert [p for p in problems if not p.warning] == []
    assert _without_lines([i.question for i in again]) == _without_lines(imported)


def test_write_rejects_ordering() -> None:
    ordering = QuestionData(key="o", type=QuestionType.ORDERING, stem="s", order_items=["a", "b", "c"])
    with pytest.raises(ValueError, match="ordering"):
        write_gift([ordering])
