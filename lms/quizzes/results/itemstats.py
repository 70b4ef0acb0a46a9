"""Item statistics over graded attempts: facility, discrimination and option choice frequencies.

Pure Python: no Flask, no database. Two ways in:

* :func:`item_statistics` takes one row per attempt (:class:`AttemptRow`: total score fraction, each
  question's score fraction, the option indices chosen per question) and returns stats per question;
* :func:`single_item_statistics` takes one row per attempt of one question (:class:`ItemResponse`).

Rest-score: the attempt's score without this item. For an :class:`ItemResponse` with ``share`` (the
item's part of the attempt's maximum, 0 < share < 1) it is ``(total - share * score) / (1 - share)``;
without ``share`` it is ``total - score`` (give total and score in the same units, e.g. points).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

MIN_RELIABLE_ATTEMPTS = 30
GROUP_SHARE = 0.27


class ItemResponse(NamedTuple):
    """One attempt's result on one item; a plain ``(total, score, chosen)`` tuple works too."""

    total: float
    score: float
    chosen: Sequence[int] = ()
    share: float | None = None


@dataclass(frozen=True)
class AttemptRow:
    """One graded attempt: total score fraction, score fraction per question key, chosen option indices.

    ``shares`` gives each question's part of the attempt's maximum score; missing shares default to
    equal parts (1 / number of questions in ``scores``).
    """

    total: float
    scores: Mapping[str, float]
    chosen: Mapping[str, Sequence[int]] = field(default_factory=dict)
    shares: Mapping[str, float] | None = None


@dataclass(frozen=True)
class ItemStats:
    """Statistics of one question.

    ``facility`` is the mean score fraction; ``discrimination`` the point-biserial (Pearson) correlation
    of item score with rest-score; ``discrimination_index`` the mean item score of the top 27% of attempts
    (by total) minus that of the bottom 27%. Each is None when it cannot be computed (no attempts, or zero
    variance). ``reliable`` is False below 30 attempts, and ``warning`` then says so in Vietnamese.
    """

    n: int
    facility: float | None
    discrimination: float | None
    discrimination_index: float | None
    option_counts: dict[int, int]
    option_rates: dict[int, float]
    reliable: bool
    warning: str | None


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation of two equal-length series; None if shorter than 2 or either has zero variance."""
    n = len(xs)
    if n != len(ys):
        raise ValueError("series must have the same length")
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def rest_score(response: ItemResponse) -> float:
    """The attempt's score without this item (see the module docstring for the formula)."""
    if response.share is None:
        return response.total - response.score
    if response.share >= 1.0:
        return 0.0  # the item is the whole attempt: nothing is left
    return (response.total - response.share * response.score) / (1.0 - response.share)


def upper_lower_index(
    totals: Sequence[float], scores: Sequence[float], *, share: float = GROUP_SHARE
) -> float | None:
    """Mean item score of the top ``share`` of attempts by total minus that of the bottom ``share``.

    Groups hold ``round(share * n)`` attempts (at least 1, at most n // 2); ties keep input order.
    None with fewer than 2 attempts.
    """
    n = len(totals)
    if n < 2:
        return None
    size = min(max(1, round(share * n)), n // 2)
    ranked = sorted(range(n), key=lambda i: totals[i])
    lower = [scores[i] for i in ranked[:size]]
    upper = [scores[i] for i in ranked[-size:]]
    return sum(upper) / size - sum(lower) / size


def single_item_statistics(
    responses: Iterable[ItemResponse | tuple], *, option_count: int | None = None
) -> ItemStats:
    """Statistics of one question from its attempts (see :class:`ItemStats` for what each field means).

    ``option_count`` makes every option index 0..option_count-1 appear in the frequencies, even unchosen.
    """
    rows = [r if isinstance(r, ItemResponse) else ItemResponse(*r) for r in responses]
    n = len(rows)
    scores = [float(r.score) for r in rows]
    counts = _option_counts(rows, option_count)
    reliable = n >= MIN_RELIABLE_ATTEMPTS
    return ItemStats(
        n=n,
        facility=sum(scores) / n if n else None,
        discrimination=pearson(scores, [rest_score(r) for r in rows]),
        discrimination_index=upper_lower_index([float(r.total) for r in rows], scores),
        option_counts=counts,
        option_rates={i: c / n for i, c in counts.items()} if n else dict.fromkeys(counts, 0.0),
        reliable=reliable,
        warning=None if reliable else _warning(n),
    )


def _option_counts(rows: list[ItemResponse], option_count: int | None) -> dict[int, int]:
    counts = dict.fromkeys(range(option_count or 0), 0)
    for row in rows:
        for index in set(row.chosen):
            counts[index] = counts.get(index, 0) + 1
    return dict(sorted(counts.items()))


def _warning(n: int) -> str:
    return (
        f"Mới có {n} lượt làm bài (cần ít nhất {MIN_RELIABLE_ATTEMPTS}): "
        "các chỉ số của câu hỏi này chưa đủ tin cậy."
    )


def item_statistics(
    rows: Iterable[AttemptRow], *, option_counts: Mapping[str, int] | None = None
) -> dict[str, ItemStats]:
    """Statistics per question key over attempt rows; a question only counts attempts that contain it.

    ``option_counts`` (question key -> number of options) lists unchosen options with frequency 0.
    """
    per_item: dict[str, list[ItemResponse]] = {}
    for row in rows:
        equal_share = 1.0 / len(row.scores) if row.scores else 1.0
        for key, score in row.scores.items():
            share = (row.shares or {}).get(key, equal_share)
            chosen = tuple(row.chosen.get(key, ()))
            per_item.setdefault(key, []).append(ItemResponse(row.total, score, chosen, share))
    counts = option_counts or {}
    return {
        key: single_item_statistics(items, option_count=counts.get(key)) for key, items in per_item.items()
    }
