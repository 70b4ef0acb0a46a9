"""What a trainee sees of one question in one attempt (taking/answers.py checks what the browser sends back).

A :class:`PresentedQuestion` is built once per attempt and stored server-side (``to_storage_dict``).
Every choice, matching item and ordering item gets an opaque per-attempt id drawn from the attempt's
``random.Random``: the id says nothing about the item's position in the source question or whether it
is right. The mapping from ids back to the source question (``key_map``) never leaves the server;
``to_public_dict`` is the only thing sent to the browser and holds no weight, correctness or key.

Pure Python: no Flask, no database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from lms.quizzes.questions import QuestionData, QuestionType

STORAGE_VERSION = 1
TRUE_ID = "true"
FALSE_ID = "false"
_TRUE_FALSE_TEXTS = {TRUE_ID: "Đúng", FALSE_ID: "Sai"}
_ID_BITS = 32


@dataclass(frozen=True)
class PresentedChoice:
    """One thing the trainee can pick or move: an opaque per-attempt id and the text shown."""

    id: str
    text: str


@dataclass
class PresentedQuestion:
    """One question as shown in one attempt.

    Which lists are filled depends on ``type``: ``choices`` for single/multiple/true_false, ``left`` and
    ``right`` for matching, ``items`` for ordering, none for short/numeric. ``key_map`` maps every opaque
    id to an index in the source question (option index; pair index for a left item; index in
    ``[pair rights..., distractors...]`` for a right choice; item index for ordering) and is server-side
    only: it is in ``to_storage_dict`` but never in ``to_public_dict``.
    """

    type: QuestionType
    stem: str
    question_key: str = ""
    choices: list[PresentedChoice] = field(default_factory=list)
    left: list[PresentedChoice] = field(default_factory=list)
    right: list[PresentedChoice] = field(default_factory=list)
    items: list[PresentedChoice] = field(default_factory=list)
    key_map: dict[str, int] = field(default_factory=dict, repr=False)

    def to_public_dict(self) -> dict[str, Any]:
        """What goes to the browser: type, stem and the id/text lists of this type only.

        Guarantees: no weight, no correctness flag, no key_map, no question key, no accepted answer.
        """
        public: dict[str, Any] = {"type": str(self.type), "stem": self.stem}
        for name in _LISTS_BY_TYPE[self.type]:
            public[name] = _choices_to_dicts(getattr(self, name))
        return public

    def to_storage_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict holding everything needed to grade later, including ``key_map``."""
        return {
            "version": STORAGE_VERSION,
            "type": str(self.type),
            "stem": self.stem,
            "question_key": self.question_key,
            "choices": _choices_to_dicts(self.choices),
            "left": _choices_to_dicts(self.left),
            "right": _choices_to_dicts(self.right),
            "items": _choices_to_dicts(self.items),
            "key_map": dict(self.key_map),
        }

    @classmethod
    def from_storage_dict(cls, data: dict[str, Any]) -> PresentedQuestion:
        """Rebuild a presentation from ``to_storage_dict`` output.

        Raises ValueError (unknown version or type) or TypeError (wrong field types) if it is malformed.
        """
        if not isinstance(data, dict) or data.get("version") != STORAGE_VERSION:
            raise ValueError("unsupported stored presentation")
        key_map = data.get("key_map", {})
        if not isinstance(key_map, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in key_map.items()
        ):
            raise TypeError("stored key_map must map str ids to int indices")
        stem = data.get("stem")
        if not isinstance(stem, str):
            raise TypeError("stored stem must be a string")
        return cls(
            type=QuestionType(data["type"]),
            stem=stem,
            question_key=str(data.get("question_key", "")),
            choices=_choices_from_dicts(data.get("choices", [])),
            left=_choices_from_dicts(data.get("left", [])),
            right=_choices_from_dicts(data.get("right", [])),
            items=_choices_from_dicts(data.get("items", [])),
            key_map=dict(key_map),
        )

    def index_of(self, choice_id: str) -> int:
        """The source-question index behind an opaque id (KeyError if the id is unknown)."""
        return self.key_map[choice_id]

    def id_for(self, group: str, index: int) -> str | None:
        """The first presented id in ``group`` (choices/left/right/items) whose source index is ``index``."""
        for choice in getattr(self, group):
            if self.key_map.get(choice.id) == index:
                return choice.id
        return None


_LISTS_BY_TYPE: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE: ("choices",),
    QuestionType.MULTIPLE: ("choices",),
    QuestionType.TRUE_FALSE: ("choices",),
    QuestionType.SHORT: (),
    QuestionType.NUMERIC: (),
    QuestionType.MATCHING: ("left", "right"),
    QuestionType.ORDERING: ("items",),
}


def _choices_to_dicts(choices: list[PresentedChoice]) -> list[dict[str, str]]:
    return [{"id": c.id, "text": c.text} for c in choices]


def _choices_from_dicts(raw: Any) -> list[PresentedChoice]:
    if not isinstance(raw, list):
        raise TypeError("stored choice list must be a list")
    result = []
    for entry in raw:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("id"), str)
            or not isinstance(entry.get("text"), str)
        ):
            raise TypeError("stored choice must be {id: str, text: str}")
        result.append(PresentedChoice(entry["id"], entry["text"]))
    return result


# --------------------------------------------------------------------------- building a presentation


class _IdMaker:
    """Hands out distinct 8-hex-digit tokens drawn from the attempt's rng."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def new(self) -> str:
        while True:
            token = f"{self._rng.getrandbits(_ID_BITS):08x}"
            if token not in self._used:
                self._used.add(token)
                return token


def present_question(
    question: QuestionData, *, rng: random.Random, shuffle_options: bool
) -> PresentedQuestion:
    """Build what the trainee sees of ``question`` in one attempt.

    Guarantees: ids are random tokens from ``rng`` (deterministic for a seed), distinct within the
    question; single/multiple options and matching left items are shuffled only if ``shuffle_options``;
    matching right choices (pair rights plus distractors, duplicates by text shown once) are always
    shuffled; ordering items are always shuffled and, with 3+ items, never shown in the correct order
    unless every item reads the same.
    """
    presented = PresentedQuestion(type=question.type, stem=question.stem, question_key=question.key)
    ids = _IdMaker(rng)
    qtype = question.type
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        texts = [option.text for option in question.options]
        presented.choices = _present_list(texts, ids, rng, shuffle_options, presented.key_map)
    elif qtype == QuestionType.TRUE_FALSE:
        presented.choices = [PresentedChoice(cid, text) for cid, text in _TRUE_FALSE_TEXTS.items()]
    elif qtype == QuestionType.MATCHING:
        _present_matching(question, presented, ids, rng, shuffle_options)
    elif qtype == QuestionType.ORDERING:
        order = _ordering_permutation(question.order_items, rng)
        presented.items = _present_in_order(question.order_items, order, ids, presented.key_map)
    return presented


def _present_list(
    texts: list[str], ids: _IdMaker, rng: random.Random, shuffle: bool, key_map: dict[str, int]
) -> list[PresentedChoice]:
    """Give each text an id (in source order, so ids do not depend on the shuffle), then maybe shuffle."""
    order = list(range(len(texts)))
    if shuffle:
        rng.shuffle(order)
    return _present_in_order(texts, order, ids, key_map)


def _present_in_order(
    texts: list[str], order: list[int], ids: _IdMaker, key_map: dict[str, int]
) -> list[PresentedChoice]:
    """Presented choices for ``texts`` listed in ``order``; records id -> source index in ``key_map``."""
    id_of_index = [ids.new() for _ in texts]
    result = []
    for index in order:
        key_map[id_of_index[index]] = index
        result.append(PresentedChoice(id_of_index[index], texts[index]))
    return result


def matching_right_texts(question: QuestionData) -> list[str]:
    """The right-hand column of a matching question: pair rights then distractors (source indices)."""
    return [pair.right for pair in question.pairs] + list(question.distractors)


def _present_matching(
    question: QuestionData, presented: PresentedQuestion, ids: _IdMaker, rng: random.Random, shuffle: bool
) -> None:
    lefts = [pair.left for pair in question.pairs]
    presented.left = _present_list(lefts, ids, rng, shuffle, presented.key_map)
    first_index: dict[str, int] = {}
    for index, text in enumerate(matching_right_texts(question)):
        first_index.setdefault(text, index)
    right_indices = list(first_index.values())
    rng.shuffle(right_indices)
    all_rights = matching_right_texts(question)
    for index in right_indices:
        token = ids.new()
        presented.key_map[token] = index
        presented.right.append(PresentedChoice(token, all_rights[index]))


def _ordering_permutation(texts: list[str], rng: random.Random) -> list[int]:
    """A random order of ``texts``; with 3+ items it never reads as the correct order unless it must."""
    order = list(range(len(texts)))
    rng.shuffle(order)
    if len(texts) < 3 or [texts[i] for i in order] != texts:
        return order
    for i in range(len(order)):
        for j in range(i + 1, len(order)):
            if texts[order[i]] != texts[order[j]]:
                order[i], order[j] = order[j], order[i]
                return order
    return order  # every item reads the same: any order is the correct one
