"""Tests for lms.quizzes.presentation: opaque ids, shuffling, public/storage dicts, answer validation."""

from __future__ import annotations

import json
import random
import re

import pytest

from lms.quizzes.presentation import PresentedQuestion, present_question
from lms.quizzes.questions import (
    MatchPair,
    NumericAnswer,
    Option,
    QuestionData,
    QuestionType,
    Scoring,
    ShortAnswer,
)
from lms.quizzes.taking.answers import MAX_TEXT_LENGTH, InvalidAnswer, parse_number, validate_answer

HEX8 = re.compile(r"^[0-9a-f]{8}$")
VIETNAMESE_LETTERS = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)


def single() -> QuestionData:
    return QuestionData(
        key="q-single-77",
        type=QuestionType.SINGLE,
        stem="Chu trình PDCA gồm mấy bước?",
        options=[
            Option("Hai bước", 0, feedback="Chưa đủ"),
            Option("Bốn bước", 100, feedback="Chính xác"),
            Option("Năm bước"),
            Option("Sáu bước"),
        ],
    )


def multiple() -> QuestionData:
    return QuestionData(
        key="q-multi-77",
        type=QuestionType.MULTIPLE,
        stem="Chọn các nguyên tắc quản lý chất lượng",
        scoring=Scoring.PARTIAL,
        options=[
            Option("Hướng vào khách hàng", 33.33333),
            Option("Lãnh đạo", 33.33333),
            Option("Cải tiến", 33.33334),
            Option("Tăng biên chế", -62.5),
            Option("Giảm thủ tục"),
        ],
    )


def true_false() -> QuestionData:
    return QuestionData(
        key="q-tf-77", type=QuestionType.TRUE_FALSE, stem="ISO 9001 là tiêu chuẩn?", truth=True
    )


def short() -> QuestionData:
    return QuestionData(
        key="q-short-77",
        type=QuestionType.SHORT,
        stem="Thành phố nào?",
        short_answers=[ShortAnswer("Hải Phòng"), ShortAnswer("Haiphong", 50)],
        ignore_diacritics=True,
    )


def numeric() -> QuestionData:
    return QuestionData(
        key="q-num-77",
        type=QuestionType.NUMERIC,
        stem="Bao nhiêu?",
        numeric_answers=[
            NumericAnswer(value=42.75, tolerance=0.125),
            NumericAnswer(minimum=17.5, maximum=18.5),
        ],
    )


def matching() -> QuestionData:
    return QuestionData(
        key="q-match-77",
        type=QuestionType.MATCHING,
        stem="Ghép thuật ngữ với nghĩa",
        pairs=[
            MatchPair("Plan", "Lập kế hoạch"),
            MatchPair("Do", "Thực hiện"),
            MatchPair("Check", "Kiểm tra"),
        ],
        distractors=["Hủy bỏ", "Thực hiện"],
    )


def ordering() -> QuestionData:
    return QuestionData(
        key="q-order-77",
        type=QuestionType.ORDERING,
        stem="Sắp xếp theo thứ tự",
        order_items=["Lập kế hoạch", "Thực hiện", "Kiểm tra", "Hành động"],
    )


ALL_BUILDERS = [single, multiple, true_false, short, numeric, matching, ordering]


def present(question: QuestionData, seed: int = 1, shuffle: bool = True) -> PresentedQuestion:
    return present_question(question, rng=random.Random(seed), shuffle_options=shuffle)


def all_ids(presented: PresentedQuestion) -> list[str]:
    return [
        c.id for group in (presented.choices, presented.left, presented.right, presented.items) for c in group
    ]


# --------------------------------------------------------------------------- ids and layout


@pytest.mark.parametrize("builder", [single, multiple, matching, ordering])
def test_ids_are_distinct_8_hex_tokens_mapped_to_source_indices(builder):
    question = builder()
    presented = present(question)
    ids = all_ids(presented)
    assert ids
    assert len(set(ids)) == len(ids)
    assert all(HEX8.match(i) for i in ids)
    assert set(presented.key_map) == set(ids)


def test_ids_are_random_per_attempt_and_deterministic_per_seed():
    question = single()
    assert all_ids(present(question, seed=5)) == all_ids(present(question, seed=5))
    assert set(all_ids(present(question, seed=5))).isdisjoint(all_ids(present(question, seed=6)))


def test_id_of_correct_option_is_not_predictable_from_its_value():
    ranks = set()
    for seed in range(40):
        presented = present(single(), seed=seed, shuffle=False)
        correct_id = presented.choices[1].id
        ranks.add(sorted(c.id for c in presented.choices).index(correct_id))
    assert len(ranks) > 1


def test_single_without_shuffle_keeps_source_order_and_key_map_points_back():
    question = single()
    presented = present(question, shuffle=False)
    assert [c.text for c in presented.choices] == [o.text for o in question.options]
    assert [presented.key_map[c.id] for c in presented.choices] == [0, 1, 2, 3]


def test_single_with_shuffle_varies_order_across_seeds():
    orders = {tuple(c.text for c in present(single(), seed=s).choices) for s in range(30)}
    assert len(orders) > 3
    for seed in range(5):
        presented = present(single(), seed=seed)
        for choice in presented.choices:
            assert single().options[presented.key_map[choice.id]].text == choice.text


def test_true_false_has_fixed_true_false_choices():
    presented = present(true_false())
    assert [(c.id, c.text) for c in presented.choices] == [("true", "Đúng"), ("false", "Sai")]


@pytest.mark.parametrize("builder", [short, numeric])
def test_short_and_numeric_have_no_choices(builder):
    presented = present(builder())
    assert all_ids(presented) == []
    assert set(presented.to_public_dict()) == {"type", "stem"}


def test_matching_right_column_has_rights_and_distractors_once_each_and_is_shuffled():
    question = matching()
    presented = present(question, shuffle=False)
    assert [c.text for c in presented.left] == ["Plan", "Do", "Check"]
    assert sorted(c.text for c in presented.right) == sorted(
        ["Lập kế hoạch", "Thực hiện", "Kiểm tra", "Hủy bỏ"]
    )
    orders = {tuple(c.text for c in present(question, seed=s).right) for s in range(30)}
    assert len(orders) > 3
    left_orders = {tuple(c.text for c in present(question, seed=s, shuffle=True).left) for s in range(30)}
    assert len(left_orders) > 1


def test_ordering_is_never_shown_in_the_correct_order():
    for items in (["A", "B", "C"], ["A", "B", "C", "D"], ["A", "A", "B"]):
        question = QuestionData(key="o", type=QuestionType.ORDERING, stem="s", order_items=items)
        for seed in range(200):
            presented = present(question, seed=seed, shuffle=False)
            assert [c.text for c in presented.items] != items
            assert sorted(c.text for c in presented.items) == sorted(items)


def test_ordering_with_identical_items_is_unavoidably_in_order():
    question = QuestionData(key="o", type=QuestionType.ORDERING, stem="s", order_items=["X", "X", "X"])
    presented = present(question)
    assert [c.text for c in presented.items] == ["X", "X", "X"]
    assert sorted(presented.key_map.values()) == [0, 1, 2]


# --------------------------------------------------------------------------- what leaves the server


FORBIDDEN_WORDS = ["weight", "correct", "key_map", "truth", "answer", "feedback", "score", "index", "q-"]


@pytest.mark.parametrize("builder", ALL_BUILDERS)
def test_public_dict_leaks_no_key(builder):
    question = builder()
    for seed in range(3):
        presented = present(question, seed=seed)
        public = presented.to_public_dict()
        text = json.dumps(public, ensure_ascii=False)
        lowered = text.lower()
        for word in FORBIDDEN_WORDS:
            assert word not in lowered, word
        assert question.key not in text
        without_ids = text
        for token in all_ids(presented):
            without_ids = without_ids.replace(token, "ID")
        for forbidden in ["33.3", "62.5", "100", "Chính xác", "Chưa đủ", "42.75", "0.125", "17.5", "18.5"]:
            assert forbidden not in without_ids
        if question.type == QuestionType.SHORT:
            assert "Hải Phòng" not in text
            assert "Haiphong" not in text
        assert set(public) <= {"type", "stem", "choices", "left", "right", "items"}
        for group in ("choices", "left", "right", "items"):
            for entry in public.get(group, []):
                assert set(entry) == {"id", "text"}


def test_public_dict_lists_only_this_types_lists():
    assert set(present(single()).to_public_dict()) == {"type", "stem", "choices"}
    assert set(present(true_false()).to_public_dict()) == {"type", "stem", "choices"}
    assert set(present(matching()).to_public_dict()) == {"type", "stem", "left", "right"}
    assert set(present(ordering()).to_public_dict()) == {"type", "stem", "items"}


@pytest.mark.parametrize("builder", ALL_BUILDERS)
def test_storage_dict_round_trips_through_json(builder):
    presented = present(builder(), seed=3)
    stored = json.loads(json.dumps(presented.to_storage_dict()))
    assert "key_map" in stored
    restored = PresentedQuestion.from_storage_dict(stored)
    assert restored == presented
    assert restored.key_map == presented.key_map
    assert restored.to_public_dict() == presented.to_public_dict()


def test_from_storage_dict_rejects_malformed_data():
    good = present(single()).to_storage_dict()
    with pytest.raises(ValueError):
        PresentedQuestion.from_storage_dict({**good, "version": 99})
    with pytest.raises(ValueError):
        PresentedQuestion.from_storage_dict({**good, "type": "essay"})
    with pytest.raises(TypeError):
        PresentedQuestion.from_storage_dict({**good, "key_map": {"abc": "1"}})
    with pytest.raises(TypeError):
        PresentedQuestion.from_storage_dict({**good, "choices": [{"id": 1}]})


def test_key_map_is_not_in_repr():
    assert "key_map" not in repr(present(single()))


# --------------------------------------------------------------------------- answer validation


def assert_invalid(presented: PresentedQuestion, answer) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        validate_answer(presented, answer)
    assert VIETNAMESE_LETTERS.search(str(caught.value)), str(caught.value)


@pytest.mark.parametrize("builder", ALL_BUILDERS)
def test_empty_answer_means_cleared(builder):
    assert validate_answer(present(builder()), {}) == {}


def test_validate_single():
    presented = present(single())
    chosen = presented.choices[2].id
    assert validate_answer(presented, {"choice": chosen}) == {"choice": chosen}
    assert validate_answer(presented, {"choice": None}) == {}
    assert_invalid(presented, {"choice": "deadbeef"})
    assert_invalid(presented, {"choice": 1})
    assert_invalid(presented, {"choices": [chosen]})
    assert_invalid(presented, {"choice": chosen, "extra": 1})
    assert_invalid(presented, ["not", "a", "dict"])


def test_validate_multiple_deduplicates_in_presented_order():
    presented = present(multiple())
    a, b, c = (presented.choices[i].id for i in (0, 1, 3))
    assert validate_answer(presented, {"choices": [c, a, c, b]}) == {"choices": [a, b, c]}
    assert validate_answer(presented, {"choices": []}) == {}
    assert_invalid(presented, {"choices": a})
    assert_invalid(presented, {"choices": [a, "00000000"]})
    assert_invalid(presented, {"choice": a})


def test_validate_true_false():
    presented = present(true_false())
    assert validate_answer(presented, {"value": True}) == {"value": True}
    assert validate_answer(presented, {"value": False}) == {"value": False}
    assert validate_answer(presented, {"value": "false"}) == {"value": False}
    assert_invalid(presented, {"value": 1})
    assert_invalid(presented, {"value": "yes"})


def test_validate_short_text():
    presented = present(short())
    assert validate_answer(presented, {"text": "  Hải Phòng  "}) == {"text": "Hải Phòng"}
    decomposed = "Ha\u0309i Pho\u0300ng"
    assert validate_answer(presented, {"text": decomposed}) == {"text": "Hải Phòng"}
    assert validate_answer(presented, {"text": "   "}) == {}
    assert validate_answer(presented, {"text": "x" * MAX_TEXT_LENGTH}) == {"text": "x" * MAX_TEXT_LENGTH}
    assert_invalid(presented, {"text": "x" * (MAX_TEXT_LENGTH + 1)})
    assert_invalid(presented, {"text": ["Hải Phòng"]})
    assert_invalid(presented, {"choice": "Hải Phòng"})


def test_validate_numeric_accepts_comma_and_dot_decimals():
    presented = present(numeric())
    assert validate_answer(presented, {"text": "3,5"}) == {"text": "3,5"}
    assert validate_answer(presented, {"text": " 3.5 "}) == {"text": "3.5"}
    assert_invalid(presented, {"text": "ba phẩy năm"})
    assert_invalid(presented, {"text": "1" * (MAX_TEXT_LENGTH + 1)})
    assert_invalid(presented, {"text": "3,5,5"})


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3,5", 3.5),
        ("3.5", 3.5),
        ("-2", -2.0),
        ("−0,25", -0.25),
        (",5", 0.5),
        ("1 000", 1000.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("abc", None),
        ("", None),
        ("1e400", None),
        ("nan", None),
        ("3,5,5", None),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_validate_matching():
    presented = present(matching())
    left = [c.id for c in presented.left]
    right = [c.id for c in presented.right]
    answer = {left[2]: right[0], left[0]: right[1], left[1]: None}
    assert validate_answer(presented, {"pairs": answer}) == {"pairs": {left[0]: right[1], left[2]: right[0]}}
    assert validate_answer(presented, {"pairs": {}}) == {}
    assert_invalid(presented, {"pairs": {right[0]: right[1]}})
    assert_invalid(presented, {"pairs": {left[0]: left[1]}})
    assert_invalid(presented, {"pairs": [[left[0], right[0]]]})


def test_validate_ordering_needs_every_item_once():
    presented = present(ordering())
    ids = [c.id for c in presented.items]
    assert validate_answer(presented, {"order": list(reversed(ids))}) == {"order": list(reversed(ids))}
    assert validate_answer(presented, {"order": []}) == {}
    assert_invalid(presented, {"order": ids[:-1]})
    assert_invalid(presented, {"order": [*ids[:-1], ids[0]]})
    assert_invalid(presented, {"order": [*ids, "ffffffff"]})
    assert_invalid(presented, {"order": "".join(ids)})


def test_ids_of_another_attempt_are_rejected():
    first, second = present(single(), seed=1), present(single(), seed=2)
    assert_invalid(second, {"choice": first.choices[0].id})


@pytest.mark.parametrize("builder", ALL_BUILDERS)
def test_validation_is_idempotent(builder):
    question = builder()
    presented = present(question)
    samples = {
        QuestionType.SINGLE: {"choice": presented.choices[0].id if presented.choices else None},
        QuestionType.MULTIPLE: {"choices": [c.id for c in presented.choices[:2]]},
        QuestionType.TRUE_FALSE: {"value": "true"},
        QuestionType.SHORT: {"text": "  hai   phong "},
        QuestionType.NUMERIC: {"text": "42,75"},
        QuestionType.MATCHING: {"pairs": {c.id: presented.right[0].id for c in presented.left}},
        QuestionType.ORDERING: {"order": [c.id for c in presented.items]},
    }
    once = validate_answer(presented, samples[question.type])
    assert once
    assert validate_answer(presented, once) == once
