"""Question bank / test definition YAML parsing: fields, per-type rules, line numbers, NFC, draw checks."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from lms.quizzes.authoring.feasibility import draw_rule_problems, validate_test_against_bank
from lms.quizzes.authoring.formats.yaml_fields import load_yaml
from lms.quizzes.authoring.formats.yaml_questions import (
    duplicate_problems,
    parse_bank,
    parse_question_dict,
    parse_self_check,
)
from lms.quizzes.authoring.formats.yaml_tests import parse_test_definition
from lms.quizzes.authoring.problems import BankFormatError, ProblemLine
from lms.quizzes.authoring.test_definition import AttemptPolicy, Navigation, ReviewItem
from lms.quizzes.questions import Difficulty, QuestionData, QuestionType, Scoring

REPO = Path(__file__).resolve().parents[4]
PATH = "questions/m1.yaml"

GOOD_BANK = """\
module: m1
questions:
  - key: q-single
    type: single
    difficulty: easy
    tags: [lich-su, pdca]
    stem: "Thủ đô của Việt Nam?"
    options:
      - {text: "Hà Nội", correct: true}
      - {text: "Huế"}
    explanation: "Vì Hà Nội."
  - key: q-multi
    type: multiple
    difficulty: medium
    scoring: partial
    stem: "Chọn các số chẵn"
    options:
      - {text: "2", correct: true}
      - {text: "4", correct: true, weight: 60}
      - {text: "5", weight: -50}
      - {text: "7"}
    explanation: "2 và 4."
  - key: q-tf
    type: true_false
    difficulty: hard
    points: 2
    stem: "Trái đất quay quanh mặt trời."
    answer: true
    explanation: "Đúng."
  - key: q-short
    type: short
    difficulty: easy
    stem: "ISO là gì?"
    answers: [{text: "Tổ chức tiêu chuẩn hóa quốc tế"}, {text: "ISO", weight: 50}]
    ignore_diacritics: true
    explanation: "x"
  - key: q-num
    type: numeric
    difficulty: easy
    stem: "Năm ban hành?"
    answers: [{value: 2015}, {min: 3.141, max: 3.142}, {value: 10, tolerance: 0.5}]
    explanation: "x"
  - key: q-match
    type: matching
    difficulty: easy
    stem: "Ghép điều khoản"
    pairs:
      - {left: "Điều 6", right: "Hoạch định"}
      - {left: "Điều 7", right: "Hỗ trợ"}
      - {left: "Điều 8", right: "Thực hiện"}
    distractors: ["Cải tiến"]
    explanation: "x"
  - key: q-order
    type: ordering
    difficulty: easy
    stem: "Sắp xếp năm"
    items: [1946, 1954, 1975]
    explanation: "x"
"""


def _problems(text: str, path: str = PATH, **kwargs: object) -> list[str]:
    with pytest.raises(BankFormatError) as info:
        parse_bank(text, path, **kwargs)
    return str(info.value).splitlines()


def _bank(question_yaml: str) -> str:
    return "module: m1\nquestions:\n" + question_yaml


def test_good_bank_parses_every_type() -> None:
    questions = parse_bank(GOOD_BANK, PATH)
    by_key = {q.key: q for q in questions}
    assert [q.type for q in questions] == list(QuestionType)
    assert all(q.module == "m1" for q in questions)
    single = by_key["q-single"]
    assert single.line == 3 and single.difficulty == Difficulty.EASY and single.tags == ["lich-su", "pdca"]
    assert [(o.text, o.weight) for o in single.options] == [("Hà Nội", 100.0), ("Huế", 0.0)]
    multi = by_key["q-multi"]
    assert multi.scoring == Scoring.PARTIAL
    assert [o.weight for o in multi.options] == [40.0, 60.0, -50.0, 0.0]
    assert by_key["q-tf"].truth is True and by_key["q-tf"].points == 2.0
    short = by_key["q-short"]
    assert [(a.text, a.weight) for a in short.short_answers] == [("Tổ chức tiêu chuẩn hóa quốc tế", 100.0),
                                                                ("ISO", 50.0)]
    assert short.ignore_diacritics is True
    bounds = [a.bounds() for a in by_key["q-num"].numeric_answers]
    assert bounds == [(2015.0, 2015.0), (3.141, 3.142), (9.5, 10.5)]
    assert [p.right for p in by_key["q-match"].pairs] == ["Hoạch định", "Hỗ trợ", "Thực hiện"]
    assert by_key["q-match"].distractors == ["Cải tiến"]
    assert by_key["q-order"].order_items == ["1946", "1954", "1975"]  # plain YAML ints kept as written


def test_all_or_nothing_multiple_shares_weight() -> None:
    bank = _bank("""\
  - key: a
    type: multiple
    difficulty: easy
    stem: s
    options: [{text: x, correct: true}, {text: y, correct: true}, {text: z}]
    explanation: e
""")
    question = parse_bank(bank, PATH)[0]
    assert question.scoring == Scoring.ALL_OR_NOTHING
    assert [o.weight for o in question.options] == [50.0, 50.0, 0.0]


def test_single_with_two_correct_reports_question_line() -> None:
    bank = _bank("""\
  - key: a
    type: single
    difficulty: easy
    stem: "Câu hỏi"
    options:
      - {text: "A", correct: true}
      - {text: "B", correct: true}
    explanation: e
""")
    assert _problems(bank) == [f"{PATH}:3: câu hỏi loại single phải có đúng một đáp án đúng"]


def test_all_problems_of_a_file_are_collected_with_lines() -> None:
    bank = _bank("""\
  - key: a
    type: essay
    difficulty: easy
    stem: s1
    explanation: e
  - key: b
    type: single
    difficulty: extreme
    stem: s2
    options:
      - {text: "x", correct: true}
      - {txt: "y"}
  - key: c
    type: true_false
    difficulty: easy
    stem: s3
    answer: "có"
    explanation: e
    explaination: typo
""")
    assert _problems(bank) == [
        f"{PATH}:4: giá trị 'essay' của trường 'type' không hợp lệ (chỉ nhận: single, multiple, true_false, "
        "short, numeric, matching, ordering)",
        f"{PATH}:8: thiếu trường bắt buộc 'explanation'",
        f"{PATH}:10: giá trị 'extreme' của trường 'difficulty' không hợp lệ (chỉ nhận: easy, medium, hard)",
        f"{PATH}:14: trường không hợp lệ 'txt' trong phương án",
        f"{PATH}:14: thiếu trường bắt buộc 'text'",
        f"{PATH}:19: trường 'answer' phải là true hoặc false",
        f"{PATH}:21: trường không hợp lệ 'explaination' cho câu hỏi loại true_false",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("type: multiple\n    options: [{text: x, correct: true}, {text: y}]",
         "câu hỏi loại multiple phải có ít nhất hai đáp án đúng"),
        ("type: multiple\n    scoring: partial\n    options: [{text: x, correct: true, weight: 30},"
         " {text: y, correct: true, weight: 30}]",
         "tổng trọng số các đáp án đúng phải bằng 100 (hiện là 60)"),
        ("type: single\n    options: [{text: x, correct: true}, {text: ' X '}]", "phương án bị trùng: 'X'"),
        ("type: single\n    options: [{text: x, correct: true}, {text: ''}]", "phương án không được để trống"),
        ("type: single\n    options: [{text: x, correct: true}]", "câu hỏi loại single phải có ít nhất 2 phương án"),
        ("type: short\n    answers: []", "câu hỏi loại short phải có ít nhất một đáp án"),
        ("type: short\n    answers: [{text: a, weight: 50}]", "phải có ít nhất một đáp án được 100% điểm"),
        ("type: numeric\n    answers: [{min: 5, max: 1}]", "khoảng đáp án không hợp lệ: min 5 lớn hơn max 1"),
        ("type: matching\n    pairs: [{left: a, right: b}, {left: c, right: d}]",
         "câu hỏi loại matching phải có ít nhất 3 cặp"),
        ("type: matching\n    pairs: [{left: a, right: b}, {left: a, right: d}, {left: e, right: f}]",
         "vế trái bị trùng: 'a'"),
        ("type: matching\n    pairs: [{left: a, right: b}, {left: c, right: b}, {left: e, right: f}]",
         "vế phải bị trùng: 'b'"),
        ("type: ordering\n    items: [a, b, a]", "mục sắp xếp bị trùng: 'a'"),
    ],
)
def test_type_rules(body: str, message: str) -> None:
    bank = _bank(f"  - key: a\n    difficulty: easy\n    stem: s\n    explanation: e\n    {body}\n")
    assert f"{PATH}:3: {message}" in _problems(bank)


def test_weight_without_partial_and_numeric_shape_rejected_at_their_line() -> None:
    bank = _bank("""\
  - key: a
    type: multiple
    difficulty: easy
    stem: s
    explanation: e
    options:
      - {text: x, correct: true, weight: 50}
      - {text: y, correct: true}
  - key: b
    type: numeric
    difficulty: easy
    stem: s2
    explanation: e
    answers:
      - {value: 1, min: 0, max: 2}
""")
    assert _problems(bank) == [
        f"{PATH}:9: trọng số (weight) chỉ dùng khi scoring: partial",
        f"{PATH}:17: mỗi đáp án numeric cần 'value' (và 'tolerance' nếu có) hoặc cả 'min' và 'max'",
    ]


def test_duplicate_keys_and_stems_within_file() -> None:
    entry = "  - key: {key}\n    type: true_false\n    difficulty: easy\n    stem: {stem}\n    answer: true\n" \
            "    explanation: e\n"
    bank = _bank(entry.format(key="a", stem="Câu một") + entry.format(key="a", stem="Câu hai")
                 + entry.format(key="b", stem="câu   MỘT"))
    assert _problems(bank) == [
        f"{PATH}:9: mã câu hỏi (key) 'a' bị trùng, đã dùng ở dòng 3",
        f"{PATH}:15: nội dung câu hỏi (stem) trùng với câu 'a' ở dòng 3",
    ]


def test_duplicate_problems_across_banks() -> None:
    one = [QuestionData(key="k", type=QuestionType.TRUE_FALSE, stem="S", truth=True, line=3)]
    two = [QuestionData(key="k", type=QuestionType.TRUE_FALSE, stem="s", truth=False, line=7)]
    assert [str(p) for p in duplicate_problems([("questions/a.yaml", one), ("questions/b.yaml", two)])] == [
        "questions/b.yaml:7: mã câu hỏi (key) 'k' bị trùng, đã dùng ở questions/a.yaml:3",
        "questions/b.yaml:7: nội dung câu hỏi (stem) trùng với câu 'k' ở questions/a.yaml:3",
    ]


def test_yaml_syntax_error_and_duplicate_mapping_key_have_lines() -> None:
    assert _problems("module: m1\nquestions:\n  - key: a\n    stem: [unclosed\n")[0].startswith(
        f"{PATH}:5: lỗi cú pháp YAML")
    bank = _bank("  - key: a\n    key: b\n")
    assert _problems(bank) == [f"{PATH}:4: khóa 'key' được khai báo hai lần trong cùng một bảng"]


def test_file_layout_problems() -> None:
    assert _problems("module: m2\nquestions: []\nextra: 1\n") == [
        f"{PATH}:1: module 'm2' phải trùng với tên tệp 'm1'",
        f"{PATH}:2: tệp không có câu hỏi nào",
        f"{PATH}:3: trường không hợp lệ 'extra' ở đầu tệp",
    ]


def test_require_explanation_and_source_flags() -> None:
    bank = _bank("  - key: a\n    type: true_false\n    difficulty: easy\n    stem: s\n    answer: false\n")
    assert parse_bank(bank, PATH, require_explanation=False)[0].truth is False
    assert _problems(bank) == [f"{PATH}:3: thiếu trường bắt buộc 'explanation'"]
    assert _problems(bank, require_explanation=False, require_source=True) == [
        f"{PATH}:3: thiếu trường bắt buộc 'source'"]


def test_nfd_input_comes_out_nfc() -> None:
    nfd = unicodedata.normalize("NFD", GOOD_BANK)
    assert nfd != GOOD_BANK
    questions = parse_bank(nfd, PATH)
    texts = [q.stem for q in questions] + [o.text for q in questions for o in q.options]
    texts += [p.right for q in questions for p in q.pairs] + [a.text for q in questions for a in q.short_answers]
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)
    assert questions[0].stem == "Thủ đô của Việt Nam?"
    assert questions[0].options[0].text == unicodedata.normalize("NFC", "Hà Nội")


def test_parse_question_dict_for_self_check_plain_dict() -> None:
    question = parse_question_dict(
        {"key": "tu-kiem-1", "type": "single", "stem": "S",
         "options": [{"text": "a", "correct": True}, {"text": "b"}], "explanation": "e"}, line=12)
    assert question.difficulty == Difficulty.MEDIUM and question.module is None and question.line == 12
    with pytest.raises(BankFormatError) as info:
        parse_question_dict({"key": "x", "type": "single", "stem": "S", "options": []}, line=12,
                            path="01-m/01-bai.md")
    # structural problems first: the answer rules are checked once the fields themselves are right
    assert str(info.value) == "01-m/01-bai.md:12: thiếu trường bắt buộc 'explanation'"
    with pytest.raises(BankFormatError) as info:
        parse_question_dict({"key": "x", "type": "single", "stem": "S", "options": [], "explanation": "e"},
                            line=12, path="01-m/01-bai.md")
    assert str(info.value).splitlines() == [
        "01-m/01-bai.md:12: câu hỏi loại single phải có ít nhất 2 phương án",
        "01-m/01-bai.md:12: câu hỏi loại single phải có đúng một đáp án đúng",
    ]


def test_parse_self_check_with_front_matter_offset() -> None:
    item = "  - key: k{n}\n    type: true_false\n    stem: 'Câu {n}'\n    answer: true\n    explanation: e\n"
    front = "self_check:\n" + "".join(item.format(n=n) for n in range(3))
    data = load_yaml(front, "l.md", first_line=2)
    questions = parse_self_check(data["self_check"], path="l.md", line=2)
    assert [q.line for q in questions] == [3, 8, 13]
    with pytest.raises(BankFormatError) as info:
        short = load_yaml("self_check:\n" + item.format(n=1) + item.format(n=2), "l.md", first_line=2)
        parse_self_check(short["self_check"], path="l.md", line=2)
    assert str(info.value) == "l.md:3: self_check phải là danh sách từ 3 đến 5 câu hỏi"


def test_existing_course_banks_parse() -> None:
    paths = sorted((REPO / "content" / "courses").glob("*/questions/*.yaml"))
    for path in paths:
        assert parse_bank(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))


TEST_YAML = """\
slug: cuoi-khoa
title: "Bài kiểm tra cuối khóa"
title_en: "Final test"
time_limit_minutes: 30
pass_mark_percent: 70
max_attempts: 2
attempt_policy: last
shuffle_questions: false
navigation: sequential
review_after_submit: [score]
draw:
  - {module: m1, difficulty: easy, count: 2}
  - {tags: [pdca], count: 1}
"""


def test_parse_test_definition() -> None:
    test = parse_test_definition(TEST_YAML, "tests/cuoi-khoa.yaml")
    assert (test.slug, test.time_limit_minutes, test.pass_mark_percent, test.max_attempts) == (
        "cuoi-khoa", 30, 70.0, 2)
    assert test.attempt_policy == AttemptPolicy.LAST and test.navigation == Navigation.SEQUENTIAL
    assert test.shuffle_questions is False and test.shuffle_options is True and test.avoid_repeats is True
    assert test.review_after_submit == {ReviewItem.SCORE}
    assert test.review_after_close == set(ReviewItem)
    assert [(r.module, r.difficulty, r.tags, r.count, r.line) for r in test.draw] == [
        ("m1", Difficulty.EASY, (), 2, 12), (None, None, ("pdca",), 1, 13)]
    assert test.question_count == 3


def test_test_definition_problems() -> None:
    text = TEST_YAML.replace("pass_mark_percent: 70", "pass_mark_percent: 170").replace(
        "review_after_submit: [score]", "review_after_submit: [score, score, grade]").replace(
        "count: 1", "count: 0").replace("navigation: sequential", "navigation: random")
    with pytest.raises(BankFormatError) as info:
        parse_test_definition(text, "tests/other.yaml")
    assert str(info.value).splitlines() == [
        "tests/other.yaml:1: slug 'cuoi-khoa' phải trùng với tên tệp 'other'",
        "tests/other.yaml:5: trường 'pass_mark_percent' phải từ 0 đến 100",
        "tests/other.yaml:9: giá trị 'random' của trường 'navigation' không hợp lệ (chỉ nhận: free, sequential)",
        "tests/other.yaml:10: giá trị 'score' trong 'review_after_submit' bị lặp",
        "tests/other.yaml:10: giá trị 'grade' trong 'review_after_submit' không hợp lệ (chỉ nhận: score, passed, "
        "correct_answers, explanations)",
        "tests/other.yaml:13: trường 'count' phải ít nhất 1",
    ]


def _q(key: str, *, difficulty: Difficulty = Difficulty.EASY, tags: tuple[str, ...] = ()) -> QuestionData:
    return QuestionData(key=key, type=QuestionType.TRUE_FALSE, stem=key, truth=True, module="m1",
                        difficulty=difficulty, tags=list(tags))


def test_draw_rules_satisfiable_in_order() -> None:
    test = parse_test_definition(TEST_YAML, "tests/cuoi-khoa.yaml")
    # q1 is the only pdca question and also easy: rule 1 must leave it to rule 2, which is possible.
    bank = [_q("q1", tags=("pdca",)), _q("q2"), _q("q3")]
    assert draw_rule_problems(test, bank) == []
    validate_test_against_bank(test, bank)


def test_draw_rules_reused_question_is_reported_at_rule_line() -> None:
    test = parse_test_definition(TEST_YAML, "tests/cuoi-khoa.yaml")
    bank = [_q("q1", tags=("pdca",)), _q("q2"), _q("q3", difficulty=Difficulty.HARD)]
    assert draw_rule_problems(test, bank) == [ProblemLine(
        "tests/cuoi-khoa.yaml", 13,
        "quy tắc rút câu thứ 2 (học phần=bất kỳ; độ khó=bất kỳ; thẻ=pdca) không đủ 1 câu khác với các câu mà "
        "các quy tắc trước đã rút")]


def test_draw_rule_with_too_few_matches() -> None:
    test = parse_test_definition(TEST_YAML, "tests/cuoi-khoa.yaml")
    with pytest.raises(BankFormatError) as info:
        validate_test_against_bank(test, [_q("q1"), _q("q1")])
    assert str(info.value).splitlines() == [
        "tests/cuoi-khoa.yaml:12: quy tắc rút câu thứ 1 (học phần=m1; độ khó=easy) cần 2 câu nhưng ngân hàng "
        "chỉ có 1 câu phù hợp",
        "tests/cuoi-khoa.yaml:13: quy tắc rút câu thứ 2 (học phần=bất kỳ; độ khó=bất kỳ; thẻ=pdca) cần 1 câu "
        "nhưng ngân hàng chỉ có 0 câu phù hợp",
    ]
