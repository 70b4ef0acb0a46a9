"""QuestionData ↔ JSON-ready dicts, for storing a question (with its key) in the database."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

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
from lms.quizzes.test_definition import DrawRule


def question_to_dict(question: QuestionData) -> dict[str, Any]:
    data = asdict(question)
    data.pop("line", None)
    data["type"], data["difficulty"], data["scoring"] = str(question.type), str(question.difficulty), str(question.scoring)
    return data


def question_from_dict(data: dict[str, Any]) -> QuestionData:
    values = dict(data)
    values.pop("line", None)
    return QuestionData(
        **{**values,
           "type": QuestionType(values["type"]),
           "difficulty": Difficulty(values.get("difficulty", "medium")),
           "scoring": Scoring(values.get("scoring", "all_or_nothing")),
           "options": [Option(**o) for o in values.get("options", [])],
           "short_answers": [ShortAnswer(**a) for a in values.get("short_answers", [])],
           "numeric_answers": [NumericAnswer(**a) for a in values.get("numeric_answers", [])],
           "pairs": [MatchPair(**p) for p in values.get("pairs", [])]},
    )


def rule_to_dict(rule: DrawRule) -> dict[str, Any]:
    return {"count": rule.count, "module": rule.module, "tags": list(rule.tags),
            "difficulty": str(rule.difficulty) if rule.difficulty else None}


def rule_from_dict(data: dict[str, Any]) -> DrawRule:
    difficulty = Difficulty(data["difficulty"]) if data.get("difficulty") else None
    return DrawRule(count=int(data["count"]), module=data.get("module"), difficulty=difficulty,
                    tags=tuple(data.get("tags") or ()))


def same_structure(old: QuestionData, new: QuestionData) -> bool:
    """A stored presentation refers to options, pairs and items by index: regrading needs the same shape."""
    return (old.type == new.type and len(old.options) == len(new.options) and len(old.pairs) == len(new.pairs)
            and len(old.distractors) == len(new.distractors) and len(old.order_items) == len(new.order_items))
