"""Pydantic models of the attempt API: request bodies are validated with them, the OpenAPI document uses them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """A request body: no unknown fields, no coercion ("3" is not an int, 1 is not a bool)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class TestSummary(BaseModel):
    quiz_id: int
    title: str
    course_title: str
    class_name: str
    opens_at: datetime
    closes_at: datetime
    is_open: bool
    time_limit_minutes: int
    question_count: int
    pass_mark_percent: float
    attempts_used: int
    attempts_allowed: int | None = Field(description="null means unlimited")
    open_attempt_id: int | None
    can_start: bool
    best_percent: float | None = None
    passed: bool | None = None


class TestList(BaseModel):
    tests: list[TestSummary]


class Choice(BaseModel):
    id: str
    text: str


class AttemptQuestionOut(BaseModel):
    position: int
    type: str
    stem: str
    choices: list[Choice] | None = None
    left: list[Choice] | None = None
    right: list[Choice] | None = None
    items: list[Choice] | None = None
    answer: dict[str, Any]
    answer_seq: int
    flagged: bool
    points: float


class AttemptHead(BaseModel):
    """An attempt without its questions (a start of an attempt drawn in advance adds them as rendered then)."""

    id: int
    quiz_id: int
    title: str
    number: int
    state: Literal["open", "closed"]
    navigation: Literal["free", "sequential"]
    started_at: datetime
    deadline_at: datetime
    remaining_seconds: float = Field(description="computed by the server at the time of the response")
    grace_seconds: float
    last_seq: int


class AttemptOut(AttemptHead):
    questions: list[AttemptQuestionOut]


class SaveItem(Strict):
    position: int = Field(ge=1, le=500)
    answer: dict[str, Any] | None = Field(description="shape depends on the question type; {} or null clears it")
    seq: int = Field(ge=1, le=10**9, description="grows with every change the page makes in this attempt")
    flagged: bool | None = None
    changed_before_deadline: bool = True


class SaveIn(Strict):
    saves: list[SaveItem] = Field(min_length=1, max_length=200)


class SaveOut(BaseModel):
    applied: list[int]
    stale: list[int]
    last_seq: int
    remaining_seconds: float
    state: Literal["open", "closed"]


class EventIn(Strict):
    kind: Literal["hidden", "visible", "offline", "online", "reconnect"]
    detail: dict[str, Any] | None = Field(default=None, description="at most 1024 bytes as compact UTF-8 JSON")


class Ack(BaseModel):
    ok: bool
    remaining_seconds: float


class ResultOut(BaseModel):
    attempt_id: int
    state: Literal["open", "closed"]
    visible: list[str]
    score: float | None = None
    max_score: float | None = None
    percent: float | None = None
    passed: bool | None = None
    close_reason: str | None = None
    questions: list[dict[str, Any]] | None = None
    keys_held: bool = False  # correct answers and explanations wait until no class can still sit these questions
    keys_held_until: datetime | None = None  # the close of the last window holding them (another may open)
