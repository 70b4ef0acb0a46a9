"""Tests for lms.quizzes.draw: filters, no reuse, avoiding seen questions, impossible rules."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from lms.quizzes.questions import Difficulty, QuestionData, QuestionType
from lms.quizzes.taking.selection import DrawError, DrawSpec, draw_questions, rule_matches


def q(
    key: str, module: str, difficulty: Difficulty = Difficulty.MEDIUM, tags: tuple[str, ...] = ()
) -> QuestionData:
    return QuestionData(
        key=key,
        type=QuestionType.TRUE_FALSE,
        stem=key,
        truth=True,
        module=module,
        difficulty=difficulty,
        tags=list(tags),
    )


def bank() -> list[QuestionData]:
    return [
        q("a1", "m-a", Difficulty.EASY, ("pdca",)),
        q("a2", "m-a", Difficulty.EASY),
        q("a3", "m-a", Difficulty.EASY, ("pdca", "lich-su")),
        q("a4", "m-a", Difficulty.HARD),
        q("a5", "m-a", Difficulty.MEDIUM, ("lich-su",)),
        q("b1", "m-b", Difficulty.EASY),
        q("b2", "m-b", Difficulty.MEDIUM, ("pdca",)),
        q("b3", "m-b", Difficulty.HARD),
        q("b4", "m-b", Difficulty.HARD, ("pdca", "lich-su")),
    ]


@dataclass
class Rule:
    """Stands in for test_definition.DrawRule: same attribute names."""

    count: int
    module: str | None = None
    difficulty: str | None = None
    tags: list[str] = field(default_factory=list)


def keys(questions: list[QuestionData]) -> list[str]:
    return [x.key for x in questions]


def draw(rules, seed: int = 1, seen: set[str] | None = None, questions: list[QuestionData] | None = None):
    return draw_questions(
        bank() if questions is None else questions, rules, rng=random.Random(seed), seen_keys=seen or set()
    )


def test_rule_matching_requires_all_filters():
    rule = Rule(1, module="m-a", difficulty="easy", tags=["pdca"])
    assert [x.key for x in bank() if rule_matches(rule, x)] == ["a1", "a3"]
    assert [x.key for x in bank() if rule_matches(Rule(1, tags=["pdca", "lich-su"]), x)] == ["a3", "b4"]
    assert all(rule_matches(Rule(1), x) for x in bank())
    assert [x.key for x in bank() if rule_matches(Rule(1, difficulty=Difficulty.HARD), x)] == [
        "a4",
        "b3",
        "b4",
    ]


def test_each_rule_draws_its_count_of_matching_distinct_questions_in_rule_order():
    rules = [Rule(2, module="m-a", difficulty="easy"), Rule(2, module="m-b"), Rule(1, tags=["lich-su"])]
    for seed in range(50):
        drawn = draw(rules, seed)
        assert len(drawn) == 5
        assert len(set(keys(drawn))) == 5
        assert all(x.module == "m-a" and x.difficulty == "easy" for x in drawn[:2])
        assert all(x.module == "m-b" for x in drawn[2:4])
        assert "lich-su" in drawn[4].tags


def test_draw_is_deterministic_for_a_seed_and_random_across_seeds():
    rules = [Rule(3)]
    assert keys(draw(rules, 42)) == keys(draw(rules, 42))
    assert len({tuple(keys(draw(rules, s))) for s in range(20)}) > 5


def test_accepts_any_object_with_rule_attributes():
    rules = [
        SimpleNamespace(module="m-b", difficulty=None, tags=[], count=1),
        DrawSpec(count=1, module="m-a", tags=["pdca"]),
        Rule(1, difficulty="hard"),
    ]
    drawn = draw(rules)
    assert drawn[0].module == "m-b"
    assert drawn[1].key in {"a1", "a3"}
    assert drawn[2].difficulty == "hard"


def test_prefers_unseen_questions():
    seen = {"a1", "a2", "a3"}
    for seed in range(30):
        drawn = draw([Rule(2, module="m-a")], seed, seen)
        assert set(keys(drawn)) == {"a4", "a5"}


def test_falls_back_to_seen_questions_when_unseen_run_out():
    seen = {"a1", "a2", "a3"}
    picked_seen = set()
    for seed in range(30):
        drawn = keys(draw([Rule(4, module="m-a")], seed, seen))
        assert {"a4", "a5"} <= set(drawn)
        assert len(set(drawn) & seen) == 2
        picked_seen |= set(drawn) & seen
    assert picked_seen == seen  # which seen ones fill the gap is random


def test_earlier_rule_unseen_preference_does_not_reuse_questions():
    seen = {"b1", "b2", "b3"}
    drawn = keys(draw([Rule(1, module="m-b"), Rule(1, module="m-b")], 3, seen))
    assert drawn[0] == "b4"
    assert drawn[1] in seen


def test_never_steals_what_a_later_rule_needs():
    # rule 1 could take any question, but b4 is the only hard question tagged lich-su
    rules = [Rule(8), Rule(1, difficulty="hard", tags=["lich-su"])]
    for seed in range(50):
        drawn = keys(draw(rules, seed))
        assert drawn[-1] == "b4"
        assert len(set(drawn)) == 9


@pytest.mark.parametrize(
    "rules",
    [
        [Rule(6, module="m-a")],
        [Rule(1, module="m-c")],
        [Rule(1, tags=["pdca", "khong-co"])],
        [Rule(3, module="m-a", difficulty="easy"), Rule(1, module="m-a", tags=["pdca"], difficulty="easy")],
        [Rule(5), Rule(5)],
    ],
)
def test_impossible_rules_raise_draw_error_in_vietnamese(rules):
    with pytest.raises(DrawError, match="Không đủ câu hỏi"):
        draw(rules)


def test_draw_error_names_the_first_unsatisfiable_rule():
    with pytest.raises(DrawError) as caught:
        draw([Rule(2, module="m-a"), Rule(4, module="m-b"), Rule(3, module="m-a", tags=["pdca"])])
    message = str(caught.value)
    assert "thứ 3" in message
    assert "m-a" in message
    assert "pdca" in message


def test_zero_count_and_negative_count():
    assert draw([Rule(0, module="m-c")]) == []
    with pytest.raises(DrawError, match="không được âm"):
        draw([Rule(-1)])


def test_duplicate_keys_in_the_bank_are_drawn_once():
    questions = [q("x1", "m"), q("x1", "m"), q("x2", "m")]
    assert sorted(keys(draw([Rule(2)], questions=questions))) == ["x1", "x2"]
    with pytest.raises(DrawError):
        draw([Rule(3)], questions=questions)


def test_seen_questions_all_seen_still_draws():
    all_keys = {x.key for x in bank()}
    assert len(draw([Rule(9)], seen=all_keys)) == 9
