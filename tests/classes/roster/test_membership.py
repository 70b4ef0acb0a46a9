"""Enrolment: accent-insensitive search, unit filter, adding many, withdrawing (kept), moving, merging accounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.classes.models import Enrolment, EnrolmentStatus
from lms.classes.roster import membership, merging
from lms.courses.models import LessonProgress
from lms.courses.services import enrolled_course_ids
from lms.errors import RuleViolation
from lms.quizzes.models import Attempt, Quiz, QuizOpening, QuizOverride
from tests.classes.roster.helpers import roster_world
from tests.conftest import login, post_form

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
NAMES = ["Nguyễn Thị Hương", "Đặng Văn Đức", "Trần Thị Ánh Tuyết", "Lê Hoàng Long", "Phạm Thị Thu Hà"]


@pytest.fixture
def world(app, db_session):
    from tests.factories import make_user

    with app.test_request_context():
        built = roster_world(db_session)
        built["people"] = [make_user(db_session, body=built["body"], full_name=name,
                                     work_unit_id=built["ward"].id if i % 2 else built["commune"].id)
                           for i, name in enumerate(NAMES)]
    db_session.commit()
    return built


def names(users) -> list[str]:
    return [u.full_name for u in users]


@pytest.mark.parametrize("text, expected", [
    ("nguyen thi huong", ["Nguyễn Thị Hương"]),
    ("NGUYỄN THỊ HƯƠNG", ["Nguyễn Thị Hương"]),
    ("duc", ["Đặng Văn Đức"]),
    ("dang van", ["Đặng Văn Đức"]),
    ("tuyet", ["Trần Thị Ánh Tuyết"]),
    ("thi", ["Phạm Thị Thu Hà", "Nguyễn Thị Hương", "Trần Thị Ánh Tuyết", "Lê Thị Thu"]),
])
def test_search_ignores_accents_and_case(world, db_session, app, text, expected):
    found = names(membership.candidates(db_session, world["class"], text=text))
    assert sorted(found) == sorted(expected)


def test_candidates_sort_the_vietnamese_way_and_filter_by_unit(world, db_session):
    everyone = names(membership.candidates(db_session, world["class"]))
    assert everyone == ["Đặng Văn Đức", "Phạm Thị Thu Hà", "Nguyễn Thị Hương", "Lê Hoàng Long", "Lê Thị Thu",
                        "Trần Thị Ánh Tuyết"]
    in_ward = names(membership.candidates(db_session, world["class"], unit_id=world["ward"].id))
    assert in_ward == ["Đặng Văn Đức", "Lê Hoàng Long"]


def test_add_all_shown_from_the_page(world, db_session, client):
    login(client, "btc1")
    class_id = world["class"].id
    page = client.get(f"/classes/{class_id}/roster/add?q=thi").get_data(as_text=True)
    shown = [str(u.id) for u in membership.candidates(db_session, world["class"], text="thi")]
    assert 'id="add-all"' in page and len(shown) == 4
    post_form(client, f"/classes/{class_id}/roster/add", {"action": "all", "shown_ids": shown})
    assert len(world["class"].active_enrolments) == 4
    assert membership.candidates(db_session, world["class"], text="thi") == []


def test_withdraw_keeps_history_and_hides_the_class(world, db_session, client, app):
    trainee = world["people"][0]
    with app.test_request_context():
        membership.enrol_many(db_session, world["class"], [trainee.id], actor_id=world["organiser"].id, now=NOW)
    db_session.commit()
    assert world["course"].id in enrolled_course_ids(db_session, trainee)
    login(client, "btc1")
    post_form(client, f"/classes/{world['class'].id}/roster/{trainee.id}/withdraw")
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.user_id == trainee.id))
    db_session.refresh(enrolment)
    assert enrolment.status == EnrolmentStatus.WITHDRAWN and enrolment.withdrawn_at is not None
    assert world["course"].id not in enrolled_course_ids(db_session, trainee)
    page = client.get(f"/classes/{world['class'].id}").get_data(as_text=True)
    assert "Đã rút" in page or "Withdrawn" in page
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "roster.withdraw"))
    with app.test_request_context():
        assert membership.enrol_many(db_session, world["class"], [trainee.id], actor_id=None, now=NOW) == 1
    db_session.refresh(enrolment)
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_move_to_another_class_of_the_same_body_only(world, db_session, app):
    trainee = world["people"][1]
    with app.test_request_context():
        membership.enrol_many(db_session, world["class"], [trainee.id], actor_id=None, now=NOW)
        with pytest.raises(RuleViolation):
            membership.move(db_session, world["class"], trainee.id, world["far_class"], actor_id=None, now=NOW)
        membership.move(db_session, world["class"], trainee.id, world["other_class"], actor_id=None, now=NOW)
    statuses = dict(db_session.execute(select(Enrolment.class_id, Enrolment.status)
                                       .where(Enrolment.user_id == trainee.id)).all())
    assert statuses == {world["class"].id: "withdrawn", world["other_class"].id: "active"}


def _attempt(session, opening, user, number, state="closed"):
    attempt = Attempt(quiz_id=opening.quiz_id, opening_id=opening.id, user_id=user.id, number=number, state=state,
                      started_at=NOW, deadline_at=NOW + timedelta(minutes=30), seed=number, score=20, max_score=30)
    session.add(attempt)
    return attempt


def test_merge_keeps_attempts_progress_and_enrolments(world, db_session, app):
    keep, away = world["people"][0], world["people"][2]
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == world["course"].id))
    opening = QuizOpening(quiz_id=quiz.id, class_id=world["class"].id, opens_at=NOW, closes_at=NOW + timedelta(hours=1))
    db_session.add(opening)
    db_session.flush()
    with app.test_request_context():
        membership.enrol_many(db_session, world["class"], [keep.id, away.id], actor_id=None, now=NOW)
        membership.enrol_many(db_session, world["other_class"], [away.id], actor_id=None, now=NOW)
    _attempt(db_session, opening, keep, 1)
    _attempt(db_session, opening, away, 1)
    _attempt(db_session, opening, away, 2)
    lesson_id = db_session.scalar(select(LessonProgress.lesson_id).limit(1)) or _a_lesson(db_session)
    db_session.add_all([LessonProgress(user_id=keep.id, lesson_id=lesson_id, first_viewed_at=NOW),
                        LessonProgress(user_id=away.id, lesson_id=lesson_id, first_viewed_at=NOW - timedelta(days=1),
                                       completed_at=NOW)])
    db_session.add(QuizOverride(quiz_id=quiz.id, user_id=away.id, extra_minutes=15))
    away.email = "tuyet@example.vn"
    db_session.flush()
    with app.test_request_context():
        summary = merging.merge_accounts(db_session, keep, away, actor_id=world["organiser"].id,
                                         body_id=world["body"].id, now=NOW)
    numbers = sorted(db_session.scalars(select(Attempt.number).where(Attempt.user_id == keep.id)))
    assert numbers == [1, 2, 3] and summary.moved["attempts"] == 2
    progress = db_session.scalars(select(LessonProgress).where(LessonProgress.lesson_id == lesson_id)).all()
    assert len(progress) == 1 and progress[0].user_id == keep.id and progress[0].completed_at is not None
    classes = set(db_session.scalars(select(Enrolment.class_id).where(Enrolment.user_id == keep.id)))
    assert classes == {world["class"].id, world["other_class"].id}
    assert db_session.scalar(select(QuizOverride.extra_minutes).where(QuizOverride.user_id == keep.id)) == 15
    away = db_session.get(User, away.id)
    assert not away.active and away.email is None and db_session.get(User, keep.id).email == "tuyet@example.vn"
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "account.merge"))
    assert entry.before["merged_away"] == away.username


def _a_lesson(session):
    from lms.courses.models import Lesson

    return session.scalar(select(Lesson.id).limit(1))


def test_merge_refuses_two_open_attempts_and_other_bodies(world, db_session, app):
    keep, away = world["people"][3], world["people"][4]
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == world["course"].id))
    opening = QuizOpening(quiz_id=quiz.id, class_id=world["class"].id, opens_at=NOW, closes_at=NOW + timedelta(hours=1))
    db_session.add(opening)
    db_session.flush()
    _attempt(db_session, opening, keep, 1, state="open")
    _attempt(db_session, opening, away, 1, state="open")
    db_session.flush()
    with app.test_request_context():
        with pytest.raises(RuleViolation):
            merging.merge_accounts(db_session, keep, away, actor_id=None, body_id=None, now=NOW)
        with pytest.raises(RuleViolation):
            merging.merge_accounts(db_session, keep, world["far_trainee"], actor_id=None, body_id=None, now=NOW)


def test_every_user_column_is_known_to_the_merge():
    """A new table referencing users inside a unique constraint needs a merge rule (or the merge refuses)."""
    for column in merging.user_columns():
        for partners in merging._unique_partners(column):
            assert not partners or column.table.name in merging.RESOLVERS or column.table.name == "attempts"


def test_merge_page(world, db_session, client):
    login(client, "btc1")
    keep, away = world["people"][0], world["people"][1]
    page = client.get(f"/people/merge?keep={keep.username}&away={away.username}").get_data(as_text=True)
    assert 'id="confirm-merge"' in page
    assert client.get(f"/people/merge?keep={keep.username}&away=tuanpm").status_code == 400  # another body
    done = post_form(client, "/people/merge", {"keep": keep.username, "away": away.username})
    db_session.expire_all()
    assert done.status_code == 200 and not db_session.get(User, away.id).active


def test_a_withdrawn_trainee_no_longer_sees_the_class_test(world, db_session, app):
    from lms.quizzes.taking.attempts import current_opening
    from lms.quizzes.taking.catalogue import tests_for_trainee

    trainee = world["people"][0]
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == world["course"].id))
    db_session.add(QuizOpening(quiz_id=quiz.id, class_id=world["class"].id, opens_at=NOW - timedelta(minutes=5),
                               closes_at=NOW + timedelta(hours=1)))
    with app.test_request_context():
        membership.enrol_many(db_session, world["class"], [trainee.id], actor_id=None, now=NOW)
        assert current_opening(db_session, trainee, quiz, NOW) is not None
        assert len(tests_for_trainee(db_session, trainee, now=NOW, grace_seconds=10)) == 1
        membership.withdraw(db_session, world["class"], trainee.id, actor_id=None, now=NOW)
        assert current_opening(db_session, trainee, quiz, NOW) is None
        assert tests_for_trainee(db_session, trainee, now=NOW, grace_seconds=10) == []
