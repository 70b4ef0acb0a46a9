"""When answer keys may reach a trainee: no window of any test that can draw the same questions is still to come.

Keys (correct answers) and explanations are the same for every class that sits a test, and for every test
that draws from the same questions. So they are released to a trainee only when no opening of any test
that can draw one of the trainee's questions is still running or still to come (in any class, of any
organising body), the save grace included; or when an organiser has released them for their body
explicitly, knowing which windows remain. Scores and pass/fail are not keys: the test's review settings
alone decide those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.classes.models import TrainingClass
from lms.errors import Forbidden
from lms.quizzes.authoring.ownership import can_draw
from lms.quizzes.authoring.test_definition import ReviewItem
from lms.quizzes.models import AttemptQuestion, KeyRelease, Question, QuestionBank, Quiz, QuizOpening

KEY_ITEMS = frozenset({ReviewItem.CORRECT_ANSWERS.value, ReviewItem.EXPLANATIONS.value})


@dataclass(frozen=True)
class KeyStatus:
    """Whether keys are out, and if not, what holds them: windows still running or to come, the last close."""

    released: bool
    explicit: bool = False  # released by an organiser or administrator before the rule would
    running: int = 0  # windows open now (in any class)
    scheduled: int = 0  # windows not yet open
    last_close: datetime | None = None  # when the last of them closes; keys follow after the grace


def _rule_matches(rule: dict, module: str | None, difficulty: str, tags: list) -> bool:
    if rule.get("module") and rule["module"] != module:
        return False
    if rule.get("difficulty") and rule["difficulty"] != difficulty:
        return False
    return set(rule.get("tags") or ()).issubset(tags or ())


def quizzes_drawing(session: Session, question_ids: set[int]) -> set[int]:
    """The tests whose draw rules can pick at least one of these questions."""
    if not question_ids:
        return set()
    rows = session.execute(select(Question.module, Question.difficulty, Question.tags, QuestionBank)
                           .join(QuestionBank).where(Question.id.in_(question_ids))).all()
    course_ids = {bank.course_id for *_fields, bank in rows}
    found: set[int] = set()
    for quiz in session.scalars(select(Quiz).where(Quiz.course_id.in_(course_ids))):
        if any(can_draw(quiz, bank) and _rule_matches(rule, module, difficulty, tags)
               for module, difficulty, tags, bank in rows for rule in quiz.draw_rules):
            found.add(quiz.id)
    return found


def _explicitly_released(session: Session, quiz_id: int, body_id: int | None) -> bool:
    return session.scalar(select(func.count(KeyRelease.id)).where(
        KeyRelease.quiz_id == quiz_id,
        or_(KeyRelease.organising_body_id.is_(None), KeyRelease.organising_body_id == body_id))) > 0


def _holding_windows(session: Session, quiz_ids: set[int], *, now: datetime, grace_seconds: float) -> KeyStatus:
    if not quiz_ids:
        return KeyStatus(released=True)
    still = session.execute(select(QuizOpening.opens_at, QuizOpening.closes_at).where(
        QuizOpening.quiz_id.in_(quiz_ids),
        QuizOpening.closes_at > now - timedelta(seconds=grace_seconds))).all()
    if not still:
        return KeyStatus(released=True)
    return KeyStatus(released=False, running=sum(1 for opens, _closes in still if opens <= now),
                     scheduled=sum(1 for opens, _closes in still if opens > now),
                     last_close=max(closes for _opens, closes in still))


def attempt_key_status(session: Session, attempt, *, now: datetime, grace_seconds: float) -> KeyStatus:
    """Keys of this attempt's own questions: released by the rule, or explicitly for the trainee's body."""
    body_id = session.scalar(select(TrainingClass.organising_body_id).join(
        QuizOpening, QuizOpening.class_id == TrainingClass.id).where(QuizOpening.id == attempt.opening_id))
    if _explicitly_released(session, attempt.quiz_id, body_id):
        return KeyStatus(released=True, explicit=True)
    question_ids = set(session.scalars(select(AttemptQuestion.question_id).where(
        AttemptQuestion.attempt_id == attempt.id)))
    return _holding_windows(session, quizzes_drawing(session, question_ids) | {attempt.quiz_id},
                            now=now, grace_seconds=grace_seconds)


def quiz_key_status(session: Session, quiz: Quiz, *, body_id: int | None, now: datetime,
                    grace_seconds: float) -> KeyStatus:
    """What the staff test page shows: whether this test's keys are out for the body's trainees, and why not."""
    if _explicitly_released(session, quiz.id, body_id):
        return KeyStatus(released=True, explicit=True)
    pool = session.execute(select(Question.id, Question.module, Question.difficulty, Question.tags, QuestionBank)
                           .join(QuestionBank).where(QuestionBank.course_id == quiz.course_id)).all()
    drawable = {qid for qid, module, difficulty, tags, bank in pool
                if can_draw(quiz, bank) and any(_rule_matches(r, module, difficulty, tags) for r in quiz.draw_rules)}
    return _holding_windows(session, quizzes_drawing(session, drawable) | {quiz.id}, now=now,
                            grace_seconds=grace_seconds)


def release_keys(session: Session, actor: User, quiz: Quiz, *, now: datetime) -> KeyRelease:
    """An organiser releases the keys of a test to their body's trainees now (an administrator: to every body)."""
    if actor.role not in (Role.ADMIN, Role.ORGANISER):
        raise Forbidden()
    body_id = None if actor.role == Role.ADMIN else actor.organising_body_id
    existing = session.scalar(select(KeyRelease).where(KeyRelease.quiz_id == quiz.id,
                                                       KeyRelease.organising_body_id.is_(body_id)
                                                       if body_id is None else
                                                       KeyRelease.organising_body_id == body_id))
    if existing is not None:
        return existing
    release = KeyRelease(quiz_id=quiz.id, organising_body_id=body_id, released_by_id=actor.id, released_at=now)
    session.add(release)
    session.flush()
    return release


def withhold_keys(items: set[str], status: KeyStatus) -> set[str]:
    """The review items a trainee may see now: the test's settings, minus keys while they are held."""
    return set(items) if status.released else set(items) - KEY_ITEMS
