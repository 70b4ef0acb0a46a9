"""What a trainee may see of a closed attempt, and the public (key-free) view of an open one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from lms.quizzes.authoring.serialize import question_from_dict
from lms.quizzes.models import Attempt, AttemptState
from lms.quizzes.presentation import PresentedQuestion
from lms.quizzes.taking.grading import correct_answer_public
from lms.quizzes.taking.keys import KEY_ITEMS, KeyStatus, attempt_key_status, withhold_keys


def allowed_items(attempt: Attempt, now: datetime) -> set[str]:
    """What the test's settings allow: nothing while open, `review_after_submit`, after the window `..._close`."""
    if attempt.state != AttemptState.CLOSED:
        return set()
    if now >= attempt.opening.closes_at:
        return set(attempt.quiz.review_after_close)
    return set(attempt.quiz.review_after_submit)


def visible_items(session: Session, attempt: Attempt, now: datetime, *,
                  grace_seconds: float) -> tuple[set[str], KeyStatus | None]:
    """The allowed items, minus keys and explanations while any class can still draw these questions.

    The key status is returned when keys were asked for (None when the settings show none anyway)."""
    items = allowed_items(attempt, now)
    if not items & KEY_ITEMS:
        return items, None
    status = attempt_key_status(session, attempt, now=now, grace_seconds=grace_seconds)
    return withhold_keys(items, status), status


def public_questions(attempt: Attempt, items=None) -> list[dict]:
    """The questions as the browser may hold them during the attempt: no key, no weights, no correctness.

    `items` may replace attempt.questions with objects of the same attributes (a start answers from the
    rows it has just inserted instead of reading them back)."""
    return public_question_dicts(attempt.questions if items is None else items)


def public_question_dicts(items) -> list[dict]:
    return [
        {"position": item.position, **PresentedQuestion.from_storage_dict(item.presentation).to_public_dict(),
         "answer": item.answer or {}, "answer_seq": item.answer_seq, "flagged": item.flagged,
         "points": item.max_score}
        for item in items
    ]


def result_view(session: Session, attempt: Attempt, now: datetime, *, grace_seconds: float) -> dict:
    """The result as far as the review settings and the key release rule allow it now."""
    items, keys = visible_items(session, attempt, now, grace_seconds=grace_seconds)
    view: dict = {"state": attempt.state, "visible": sorted(items)}
    if keys is not None and not keys.released:
        view.update(keys_held=True, keys_held_until=keys.last_close)
    if "score" in items:
        view.update(score=attempt.score, max_score=attempt.max_score, percent=attempt.percent)
    if "passed" in items:
        view["passed"] = attempt.passed
    if items & {"correct_answers", "explanations"}:
        view["questions"] = [_question_review(item, items) for item in attempt.questions]
    return view


def _question_review(item, items: set[str]) -> dict:
    question = question_from_dict(item.snapshot)
    presented = PresentedQuestion.from_storage_dict(item.presentation)
    review = {"position": item.position, **presented.to_public_dict(), "answer": item.answer or {}}
    if "correct_answers" in items:
        review.update(correct=item.correct, score=item.score, max_score=item.max_score,
                      correct_answer=correct_answer_public(question, presented))
    if "explanations" in items:
        review["explanation"] = question.explanation
    return review
