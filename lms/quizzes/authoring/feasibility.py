"""Whether a test's draw rules can be satisfied by a bank: problems named per rule."""

from __future__ import annotations

from collections.abc import Sequence

from lms.quizzes.authoring.problems import BankFormatError, ProblemLine
from lms.quizzes.authoring.test_definition import DrawRule, TestDefinition
from lms.quizzes.questions import (
    QuestionData,
)


def draw_rule_problems(test: TestDefinition, questions: Sequence[QuestionData]) -> list[ProblemLine]:
    """Problems (at the rule's line in ``test.path``) for draw rules the bank cannot satisfy.

    A rule with fewer matching questions than its count is reported on its own; otherwise the first rule
    for which rules 1..i cannot all get distinct questions together (no question drawn twice, as in
    lms.quizzes.draw) is reported. [] means every attempt can be drawn.
    """
    bank = list({q.key: q for q in reversed(questions)}.values())[::-1]
    problems = []
    for number, rule in enumerate(test.draw, start=1):
        available = sum(1 for q in bank if rule.matches(q))
        if available < rule.count:
            problems.append(ProblemLine(test.path, rule.line, f"quy tắc rút câu thứ {number} ({_describe(rule)}) "
                                        f"cần {rule.count} câu nhưng ngân hàng chỉ có {available} câu phù hợp"))
    if problems:
        return problems
    failing = _first_unsatisfiable(test.draw, bank)
    if failing is None:
        return []
    rule = test.draw[failing]
    return [ProblemLine(test.path, rule.line, f"quy tắc rút câu thứ {failing + 1} ({_describe(rule)}) không "
                        f"đủ {rule.count} câu khác với các câu mà các quy tắc trước đã rút")]


def validate_test_against_bank(test: TestDefinition, questions: Sequence[QuestionData]) -> None:
    """Raise BankFormatError if :func:`draw_rule_problems` finds anything."""
    problems = draw_rule_problems(test, questions)
    if problems:
        raise BankFormatError(problems)


def _describe(rule: DrawRule) -> str:
    parts = [f"học phần={rule.module or 'bất kỳ'}", f"độ khó={rule.difficulty or 'bất kỳ'}"]
    if rule.tags:
        parts.append("thẻ=" + ", ".join(rule.tags))
    return "; ".join(parts)


def _first_unsatisfiable(rules: Sequence[DrawRule], bank: Sequence[QuestionData]) -> int | None:
    """Index of the first rule that cannot get its questions once rules before it have theirs, else None.

    One slot per question to draw; bipartite matching of slots to questions with augmenting paths, so
    earlier rules give up questions a later rule needs whenever another choice exists.
    """
    candidates = [[j for j, q in enumerate(bank) if rule.matches(q)] for rule in rules]
    slot_rule: list[int] = []
    owner: dict[int, int] = {}
    for index, rule in enumerate(rules):
        for _ in range(rule.count):
            slot_rule.append(index)
            if not _augment(len(slot_rule) - 1, slot_rule, candidates, owner, set()):
                return index
    return None


def _augment(slot: int, slot_rule: list[int], candidates: list[list[int]], owner: dict[int, int],
             visited: set[int]) -> bool:
    for question in candidates[slot_rule[slot]]:
        if question in visited:
            continue
        visited.add(question)
        if question not in owner or _augment(owner[question], slot_rule, candidates, owner, visited):
            owner[question] = slot
            return True
    return False


