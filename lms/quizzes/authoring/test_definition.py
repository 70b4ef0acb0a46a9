"""A test definition (``tests/<test-slug>.yaml``) as plain data; see docs/content-format.md.

Parsing and validation live in :mod:`lms.quizzes.authoring.formats.yaml_tests` and :mod:`lms.quizzes.authoring.feasibility`; this module only holds the shapes so that
the quiz services can use them without importing YAML code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lms.quizzes.questions import Difficulty, QuestionData


class AttemptPolicy(StrEnum):
    """Which attempt counts towards the result."""

    HIGHEST = "highest"
    LAST = "last"


class Navigation(StrEnum):
    FREE = "free"
    SEQUENTIAL = "sequential"


class ReviewItem(StrEnum):
    """What a trainee may see when reviewing an attempt."""

    SCORE = "score"
    PASSED = "passed"
    CORRECT_ANSWERS = "correct_answers"
    EXPLANATIONS = "explanations"


@dataclass(frozen=True)
class DrawRule:
    """Draw ``count`` random questions matching every given filter (tags: the question has all of them).

    Has the attributes lms.quizzes.draw expects of a rule; ``line`` is where the rule is written.
    """

    count: int
    module: str | None = None
    difficulty: Difficulty | None = None
    tags: tuple[str, ...] = ()
    line: int | None = None

    def matches(self, question: QuestionData) -> bool:
        """True if ``question`` passes the module, difficulty and tags filters of this rule."""
        if self.module and question.module != self.module:
            return False
        if self.difficulty and question.difficulty != self.difficulty:
            return False
        return set(self.tags).issubset(question.tags)


@dataclass
class TestDefinition:
    """The blueprint of a test: its rules, limits and review options.

    ``max_attempts`` 0 means unlimited. ``path``/``line`` locate the definition for error messages.
    """

    __test__ = False  # keeps pytest from collecting this class because of its name

    slug: str
    title: str
    title_en: str
    time_limit_minutes: int
    pass_mark_percent: float
    max_attempts: int
    draw: list[DrawRule]
    attempt_policy: AttemptPolicy = AttemptPolicy.HIGHEST
    shuffle_questions: bool = True
    shuffle_options: bool = True
    navigation: Navigation = Navigation.FREE
    avoid_repeats: bool = True
    review_after_submit: frozenset[ReviewItem] = frozenset({ReviewItem.SCORE, ReviewItem.PASSED})
    review_after_close: frozenset[ReviewItem] = frozenset(ReviewItem)
    path: str = ""
    line: int | None = None

    @property
    def question_count(self) -> int:
        """Number of questions of one attempt: the sum of the rules' counts."""
        return sum(rule.count for rule in self.draw)
