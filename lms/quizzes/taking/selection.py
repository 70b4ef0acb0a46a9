"""Drawing the questions of one attempt from a bank, following a test definition's draw rules.

Pure Python: no Flask, no database. A rule is any object with ``module``, ``difficulty``, ``tags`` and
``count`` attributes (the ``DrawRule`` of lms/quizzes/authoring/test_definition.py, or :class:`DrawSpec` here).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from lms.quizzes.questions import QuestionData


class DrawError(ValueError):
    """A draw rule cannot be satisfied by the bank (message in Vietnamese)."""


class DrawRuleLike(Protocol):
    """What :func:`draw_questions` needs of a rule; None/empty filters match everything."""

    @property
    def module(self) -> str | None: ...
    @property
    def difficulty(self) -> str | None: ...
    @property
    def tags(self) -> Sequence[str]: ...
    @property
    def count(self) -> int: ...


@dataclass(frozen=True)
class DrawSpec:
    """A minimal draw rule, for callers that have no test definition at hand."""

    count: int
    module: str | None = None
    difficulty: str | None = None
    tags: list[str] = field(default_factory=list)


def rule_matches(rule: DrawRuleLike, question: QuestionData) -> bool:
    """True if ``question`` passes every filter the rule gives (tags: the question has all of them)."""
    if rule.module and question.module != rule.module:
        return False
    if rule.difficulty and str(question.difficulty) != str(rule.difficulty):
        return False
    return set(rule.tags or ()).issubset(question.tags)


def draw_questions(
    bank: list[QuestionData],
    rules: Sequence[DrawRuleLike],
    *,
    rng: random.Random,
    seen_keys: set[str],
) -> list[QuestionData]:
    """Draw the questions of one attempt.

    Guarantees: the result lists, rule after rule, ``count`` distinct questions matching each rule (in
    random order within a rule); no question (by key) is drawn twice; each rule takes questions whose key
    is not in ``seen_keys`` first and falls back to seen ones only when not enough unseen ones remain; a
    pick is never made that would leave a later rule unsatisfiable. Raises DrawError naming the first
    rule that no assignment can satisfy. Deterministic for a given bank order and ``rng`` state.
    """
    unique_bank = _unique_by_key(bank)
    for rule in rules:
        if rule.count < 0:
            raise DrawError(f"Số câu cần rút không được âm ({_describe(rule)}).")
    matching = _matching_keys(unique_bank, rules)
    _check_feasible(unique_bank, rules, matching)
    drawn: list[QuestionData] = []
    used: set[str] = set()
    for position in range(len(rules)):
        picked = _draw_one_rule(unique_bank, rules, position, rng, seen_keys, used, matching)
        drawn.extend(picked)
    return drawn


class _Matches(tuple):
    """The keys a rule matches, in bank order, with fast membership."""

    def __new__(cls, keys):
        keys = tuple(keys)
        instance = super().__new__(cls, keys)
        instance.members = frozenset(keys)
        return instance

    def __contains__(self, key) -> bool:
        return key in self.members


def _matching_keys(bank: list[QuestionData], rules: Sequence[DrawRuleLike]) -> dict[int, _Matches]:
    """For each rule (by identity), the keys of the questions it matches: computed once per draw, because
    the feasibility checks ask the same question thousands of times."""
    return {id(rule): _Matches(q.key for q in bank if rule_matches(rule, q)) for rule in rules}


def _unique_by_key(bank: list[QuestionData]) -> list[QuestionData]:
    """The bank with later duplicates of a key dropped, in bank order."""
    seen: set[str] = set()
    unique = []
    for question in bank:
        if question.key not in seen:
            seen.add(question.key)
            unique.append(question)
    return unique


def _check_feasible(bank: list[QuestionData], rules: Sequence[DrawRuleLike], matching: dict[int, _Matches]) -> None:
    """Raise DrawError for the first rule after which the rules so far can no longer all be satisfied."""
    for end in range(1, len(rules) + 1):
        if not _feasible(bank, list(rules[:end]), [r.count for r in rules[:end]], set(), matching):
            rule = rules[end - 1]
            available = sum(1 for q in bank if rule_matches(rule, q))
            raise DrawError(
                f"Không đủ câu hỏi cho quy tắc rút câu thứ {end} ({_describe(rule)}): cần {rule.count} câu, "
                f"ngân hàng có {available} câu phù hợp (kể cả các câu đã được quy tắc trước dùng)."
            )


def _describe(rule: DrawRuleLike) -> str:
    parts = [f"học phần={rule.module or 'bất kỳ'}", f"độ khó={rule.difficulty or 'bất kỳ'}"]
    if rule.tags:
        parts.append("thẻ=" + ", ".join(rule.tags))
    return "; ".join(parts)


def _draw_one_rule(
    bank: list[QuestionData],
    rules: Sequence[DrawRuleLike],
    position: int,
    rng: random.Random,
    seen_keys: set[str],
    used: set[str],
    matching: dict[int, _Matches],
) -> list[QuestionData]:
    """Pick ``rules[position].count`` questions, unseen first, keeping the later rules satisfiable."""
    rule = rules[position]
    by_key = {q.key: q for q in bank}
    candidates = [by_key[key] for key in matching[id(rule)] if key not in used]
    unseen = [q for q in candidates if q.key not in seen_keys]
    seen = [q for q in candidates if q.key in seen_keys]
    rng.shuffle(unseen)
    rng.shuffle(seen)
    later = list(rules[position + 1 :])
    picked: list[QuestionData] = []
    for question in unseen + seen:
        if len(picked) == rule.count:
            break
        if _safe_to_take(bank, rule, rule.count - len(picked) - 1, later, used, question, matching):
            picked.append(question)
            used.add(question.key)
    if len(picked) < rule.count:  # cannot happen after _check_feasible; kept as a guard
        raise DrawError(f"Không rút đủ câu hỏi cho quy tắc ({_describe(rule)}).")
    return picked


def _safe_to_take(
    bank: list[QuestionData],
    rule: DrawRuleLike,
    still_needed: int,
    later: list[DrawRuleLike],
    used: set[str],
    question: QuestionData,
    matching: dict[int, _Matches],
) -> bool:
    """True if, after taking ``question``, this rule's remaining slots and all later rules can be met."""
    if not any(question.key in matching[id(other)] for other in later):
        return True  # nobody else wants it: taking it cannot hurt
    return _feasible(bank, [rule, *later], [still_needed] + [r.count for r in later], used | {question.key},
                     matching)


def _feasible(bank: list[QuestionData], rules: list[DrawRuleLike], needs: list[int], used: set[str],
              matching: dict[int, _Matches]) -> bool:
    """True if every rule i can get ``needs[i]`` distinct unused questions (bipartite b-matching)."""
    options = [[key for key in matching[id(rule)] if key not in used] for rule in rules]
    owner: dict[str, int] = {}
    for i, need in enumerate(needs):
        if len(options[i]) < need:
            return False
        for _ in range(need):
            if not _augment(i, options, owner, set()):
                return False
    return True


def _augment(rule: int, options: list[list[str]], owner: dict[str, int], visited: set[int]) -> bool:
    """Find an augmenting path giving ``rule`` one more question, moving others' questions if needed."""
    visited.add(rule)
    for key in options[rule]:
        if key not in owner:
            owner[key] = rule
            return True
    for key in options[rule]:
        holder = owner[key]
        if holder not in visited and _augment(holder, options, owner, visited):
            owner[key] = rule
            return True
    return False
