"""QuestionData ↔ JSON-ready dicts, for storing a question (with its key) in the database."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from lms.quizzes.authoring.test_definition import AttemptPolicy, DrawRule, Navigation, ReviewItem, TestDefinition
from lms.quizzes.models import Quiz
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


def question_to_dict(question: QuestionData) -> dict[str, Any]:
    data = asdict(question)
    data.pop("line", None)
    if data.get("category") is None:
        data.pop("category", None)  # stored only when there is one, so earlier rows compare equal
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


def quiz_definition(quiz: Quiz) -> TestDefinition:
    """The stored test as a TestDefinition (what the test editor shows and checks)."""
    return TestDefinition(
        slug=quiz.slug, title=quiz.title, title_en=quiz.title_en, time_limit_minutes=quiz.time_limit_minutes,
        pass_mark_percent=quiz.pass_mark_percent, max_attempts=quiz.max_attempts,
        draw=[rule_from_dict(rule) for rule in quiz.draw_rules], attempt_policy=AttemptPolicy(quiz.attempt_policy),
        shuffle_questions=quiz.shuffle_questions, shuffle_options=quiz.shuffle_options,
        navigation=Navigation(quiz.navigation), avoid_repeats=quiz.avoid_repeats,
        review_after_submit=frozenset(ReviewItem(i) for i in quiz.review_after_submit),
        review_after_close=frozenset(ReviewItem(i) for i in quiz.review_after_close),
    )

