"""Plain data for questions, shared by the content loader, the importers, the exporters and the grader.

Nothing here touches the database or Flask: a question bank file (YAML, GIFT, Aiken, Excel) is
parsed into these objects, validated, then stored by the quiz services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

FULL_WEIGHT = 100.0  # the weight of a fully right answer, in percent


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SHORT = "short"
    NUMERIC = "numeric"
    MATCHING = "matching"
    ORDERING = "ordering"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Scoring(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"


@dataclass
class Option:
    """A choice of a single/multiple question; weight is the share of credit in percent (-100..100)."""

    text: str
    weight: float = 0.0
    feedback: str = ""

    @property
    def correct(self) -> bool:
        return self.weight > 0


@dataclass
class ShortAnswer:
    text: str
    weight: float = 100.0


@dataclass
class NumericAnswer:
    """Either value +- tolerance, or the closed range [minimum, maximum]."""

    value: float | None = None
    tolerance: float = 0.0
    minimum: float | None = None
    maximum: float | None = None
    weight: float = 100.0

    def bounds(self) -> tuple[float, float]:
        if self.minimum is not None and self.maximum is not None:
            return self.minimum, self.maximum
        assert self.value is not None
        return self.value - abs(self.tolerance), self.value + abs(self.tolerance)


@dataclass
class MatchPair:
    left: str
    right: str


@dataclass
class QuestionData:
    """One question as authored, independent of where it came from."""

    key: str
    type: QuestionType
    stem: str
    explanation: str = ""
    difficulty: Difficulty = Difficulty.MEDIUM
    module: str | None = None
    tags: list[str] = field(default_factory=list)
    points: float = 1.0
    source: str = ""
    options: list[Option] = field(default_factory=list)
    scoring: Scoring = Scoring.ALL_OR_NOTHING
    truth: bool | None = None
    short_answers: list[ShortAnswer] = field(default_factory=list)
    ignore_diacritics: bool = False
    numeric_answers: list[NumericAnswer] = field(default_factory=list)
    pairs: list[MatchPair] = field(default_factory=list)
    distractors: list[str] = field(default_factory=list)
    order_items: list[str] = field(default_factory=list)
    category: str | None = None  # the GIFT category path it was imported under, written back on export
    line: int | None = None  # where it starts in its source file, for error messages
