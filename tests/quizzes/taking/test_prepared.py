"""First attempts drawn in advance when a test is opened (lms/quizzes/taking/prepared.py): who gets one, that
nobody can see one before starting, that a start takes it with the start-time rules, and that a changed
bank or test definition makes the start draw again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.auth.models import Role
from lms.classes.models import Enrolment
from lms.errors import NotFound, RuleViolation
from lms.quizzes.models import Attempt, AttemptQuestion, AttemptState, Question, QuestionBank
from lms.quizzes.results.access import list_attempts
from lms.quizzes.results.overrides import set_override
from lms.quizzes.results.reports import class_tests
from lms.quizzes.taking import catalogue
from lms.quizzes.taking.attempts import attempts_of, get_attempt
from lms.quizzes.taking.openings import open_quiz
from lms.quizzes.taking.prepared import prepare_first_attempts, prepared_start, take_prepared
from tests.conftest import fetch_csrf, login
from tests.factories import make_user
from tests.quizzes.conftest import Clock, place_window
from tests.quizzes.taking.attempt_helpers import GRACE, events, start, submit
from tests.quizzes.taking.test_api import FORBIDDEN_IN_OPEN_ATTEMPT, api

pytestmark = pytest.mark.usefixtures("app_ctx")


def ready_of(session, exam, user) -> Attempt | None:
    return session.scalar(select(Attempt).where(Attempt.quiz_id == exam.quiz.id, Attempt.user_id == user.id,
                                                Attempt.state == AttemptState.READY))


def drawn_keys(session, attempt_id: int) -> list[str]:
    return list(session.scalars(select(AttemptQuestion.question_key).where(AttemptQuestion.attempt_id == attempt_id)
                                .order_by(AttemptQuestion.position)))


def attempt_count(session, exam) -> int:
    return session.scalar(select(func.count()).select_from(Attempt).where(Attempt.quiz_id == exam.quiz.id))


@pytest.fixture
def prepared(ex, db_session):
    """The fixture test opened with its first attempts drawn in advance."""
    assert prepare_first_attempts(db_session, ex.opening) == 2
    db_session.flush()
    return ex


# --------------------------------------------------------------------------- who gets one


def test_opening_a_test_draws_a_first_attempt_for_each_active_trainee(db_session, ex, clock):
    away = make_user(db_session, Role.TRAINEE, body=ex.training_class.organising_body, username="vang.mat")
    away.active = False
    db_session.add(Enrolment(class_id=ex.training_class.id, user_id=away.id))
    db_session.flush()
    opening = open_quiz(db_session, ex.trainer, quiz=ex.quiz, training_class=ex.training_class,
                        opens_at=clock.now, closes_at=clock.now + timedelta(hours=1))
    for trainee in (ex.trainee, ex.other_trainee):
        ready = ready_of(db_session, ex, trainee)
        assert ready is not None and ready.opening_id == opening.id and ready.number == 1
        assert len(drawn_keys(db_session, ready.id)) == 8
    assert ready_of(db_session, ex, away) is None and ready_of(db_session, ex, ex.trainer) is None
    # Each trainee gets an own draw and order.
    first, second = (drawn_keys(db_session, ready_of(db_session, ex, t).id) for t in (ex.trainee, ex.other_trainee))
    assert sorted(first) == sorted(second) and first != second


def test_a_second_window_draws_nothing_more(db_session, prepared, clock):
    start(db_session, prepared, clock)  # one trainee has a real attempt, the other still a ready one
    before = attempt_count(db_session, prepared)
    open_quiz(db_session, prepared.trainer, quiz=prepared.quiz, training_class=prepared.training_class,
              opens_at=clock.now, closes_at=clock.now + timedelta(hours=1))
    assert attempt_count(db_session, prepared) == before


def test_a_bank_that_cannot_supply_the_test_still_opens_it(db_session, ex, clock):
    ex.quiz.draw_rules = [{"count": 500, "module": None, "difficulty": None, "tags": []}]
    db_session.flush()
    opening = open_quiz(db_session, ex.trainer, quiz=ex.quiz, training_class=ex.training_class,
                        opens_at=clock.now, closes_at=clock.now + timedelta(hours=1))
    assert opening.id and attempt_count(db_session, ex) == 0
    with pytest.raises(RuleViolation, match="Ngân hàng câu hỏi không đủ"):
        start(db_session, ex, clock)


# --------------------------------------------------------------------------- nobody sees it before starting


def test_a_ready_attempt_is_not_an_attempt_yet(db_session, prepared, clock):
    ready = ready_of(db_session, prepared, prepared.trainee)
    assert attempts_of(db_session, prepared.quiz.id, prepared.trainee.id) == []
    with pytest.raises(NotFound):
        get_attempt(db_session, ready.id)
    summary = catalogue.tests_for_trainee(db_session, prepared.trainee, now=clock.now, grace_seconds=GRACE)[0]
    assert summary.attempts_used == 0 and summary.open_attempt_id is None and summary.can_start
    assert list_attempts(db_session, prepared.trainer, prepared.quiz) == []
    [test] = [t for t in class_tests(db_session, prepared.trainer, prepared.training_class, now=clock.now) if t.quiz.id == prepared.quiz.id]
    assert (test.started, test.in_progress, test.submitted) == (0, 0, 0)


def test_the_api_answers_404_for_a_ready_attempt(client, db_session, exam):
    prepare_first_attempts(db_session, exam.opening)
    db_session.commit()
    ready = ready_of(db_session, exam, exam.trainee)
    login(client, exam.trainee.username)
    assert client.get(f"/api/v1/attempts/{ready.id}").status_code == 404
    assert client.get(f"/attempts/{ready.id}").status_code == 404
    save = api(client, "POST", f"/api/v1/attempts/{ready.id}/answers",
               {"saves": [{"position": 1, "answer": {}, "seq": 1}]})
    assert save.status_code == 404
    assert client.post(f"/api/v1/attempts/{ready.id}/submit",
                       headers={"X-CSRF-Token": fetch_csrf(client)}).status_code == 404
    db_session.expire_all()
    assert ready_of(db_session, exam, exam.trainee).state == AttemptState.READY


# --------------------------------------------------------------------------- starting takes it


def test_starting_takes_the_ready_attempt_with_start_time_rules(db_session, prepared, clock):
    set_override(db_session, prepared.quiz, prepared.trainee, extra_minutes=5, extra_attempts=0, reason="",
                 now=clock.now)
    ready = ready_of(db_session, prepared, prepared.trainee)
    keys = drawn_keys(db_session, ready.id)
    clock.advance(minutes=7)
    attempt = start(db_session, prepared, clock)
    assert attempt.id == ready.id and attempt.state == AttemptState.OPEN
    assert attempt.started_at == clock.now
    assert attempt.deadline_at == clock.now + timedelta(minutes=10 + 5)
    assert attempt.draw_fingerprint is None
    assert drawn_keys(db_session, attempt.id) == keys
    assert len(events(db_session, attempt, "start")) == 1
    db_session.expire_all()
    stored = get_attempt(db_session, attempt.id)
    assert stored.state == AttemptState.OPEN and stored.deadline_at == clock.now + timedelta(minutes=15)
    assert attempt_count(db_session, prepared) == 2  # taken, not copied


def test_a_start_near_the_close_gets_the_window_close_as_deadline(db_session, prepared, clock):
    place_window(db_session, prepared.opening, clock.now, after=timedelta(minutes=4))
    attempt = start(db_session, prepared, clock)
    assert attempt.deadline_at == prepared.opening.closes_at


def test_a_start_through_another_window_moves_the_attempt_there(db_session, prepared, clock):
    later = open_quiz(db_session, prepared.trainer, quiz=prepared.quiz, training_class=prepared.training_class,
                      opens_at=clock.now - timedelta(minutes=1), closes_at=clock.now + timedelta(hours=5))
    attempt = start(db_session, prepared, clock)
    assert attempt.opening_id == later.id


def test_two_tabs_taking_the_same_ready_attempt_share_it(db_session, prepared, clock):
    """Both tabs read the READY attempt before either wrote: the second UPDATE finds nothing to take and
    the full rules resume the attempt the first tab started."""
    tabs = [prepared_start(db_session, prepared.trainee.id, prepared.quiz, now=clock.now) for _tab in range(2)]
    assert all(tab is not None for tab in tabs) and tabs[0].attempt_id == tabs[1].attempt_id
    assert take_prepared(db_session, tabs[0], address="10.0.0.7", user_agent="pytest")
    assert not take_prepared(db_session, tabs[1], address="10.0.0.8", user_agent="pytest")
    resumed = start(db_session, prepared, clock)
    assert resumed.id == tabs[0].attempt_id and resumed.state == AttemptState.OPEN
    assert len(events(db_session, resumed, "start")) == 1 and len(events(db_session, resumed, "resume")) == 1


def test_the_start_response_holds_the_ready_questions_and_no_key(client, db_session, exam):
    prepare_first_attempts(db_session, exam.opening)
    db_session.commit()
    ready = ready_of(db_session, exam, exam.trainee)
    login(client, exam.trainee.username)
    response = api(client, "POST", f"/api/v1/tests/{exam.quiz.id}/attempts")
    assert response.status_code == 201 and response.json["id"] == ready.id
    body = response.get_data(as_text=True)
    for word in FORBIDDEN_IN_OPEN_ATTEMPT:
        assert word not in body
    again = client.get(f"/api/v1/attempts/{ready.id}").json
    assert response.json["questions"] == again["questions"] and len(again["questions"]) == 8
    assert 9 * 60 < response.json["remaining_seconds"] <= 10 * 60


# --------------------------------------------------------------------------- outdated draws


def _touch_a_question(session, exam, clock: Clock) -> None:
    question = session.scalar(select(Question).join(QuestionBank).where(QuestionBank.course_id == exam.quiz.course_id)
                              .order_by(Question.id))
    question.data = {**question.data, "stem": question.data["stem"] + " (đã sửa)"}
    question.version += 1
    question.updated_at = clock.now
    session.flush()


@pytest.mark.parametrize("change", ["question", "added", "test"])
def test_a_changed_bank_or_test_makes_the_start_draw_again(db_session, prepared, clock, change):
    ready = ready_of(db_session, prepared, prepared.trainee)
    ready_id = ready.id
    clock.advance(minutes=1)
    if change == "question":
        _touch_a_question(db_session, prepared, clock)
    elif change == "added":
        model = db_session.scalar(select(Question).join(QuestionBank).where(
            QuestionBank.course_id == prepared.quiz.course_id))
        db_session.add(Question(bank_id=model.bank_id, key="cau-moi", type=model.type, module=model.module,
                                difficulty=model.difficulty, tags=[], stem=model.stem,
                                data={**model.data, "key": "cau-moi"}, updated_at=clock.now))
    else:
        prepared.quiz.time_limit_minutes = 12
        prepared.quiz.updated_at = clock.now
    db_session.flush()
    attempt = start(db_session, prepared, clock)
    assert attempt.id != ready_id and attempt.number == 1 and attempt.state == AttemptState.OPEN
    assert db_session.get(Attempt, ready_id) is None
    assert not db_session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == ready_id)).all()
    if change == "question":
        # The fixture test draws all eight questions of its bank, so the edited one is in the new draw.
        assert any(item.snapshot["stem"].endswith("(đã sửa)") for item in attempt.questions)
    if change == "test":
        assert attempt.deadline_at == clock.now + timedelta(minutes=12)


def test_the_other_trainee_keeps_the_ready_attempt_until_starting(db_session, prepared, clock):
    start(db_session, prepared, clock)
    assert ready_of(db_session, prepared, prepared.other_trainee) is not None


def test_a_trainee_enrolled_after_opening_draws_at_start(db_session, prepared, clock):
    late = make_user(db_session, Role.TRAINEE, body=prepared.training_class.organising_body, username="den.muon")
    db_session.add(Enrolment(class_id=prepared.training_class.id, user_id=late.id))
    db_session.flush()
    attempt = start(db_session, prepared, clock, user=late)
    assert attempt.state == AttemptState.OPEN and len(attempt.questions) == 8


def test_a_second_attempt_is_drawn_at_start_avoiding_the_first(db_session, prepared, clock):
    assert prepared.quiz.max_attempts == 2
    first = start(db_session, prepared, clock)
    submit(db_session, first, clock)
    second = start(db_session, prepared, clock)
    assert second.number == 2 and second.id != first.id and len(second.questions) == 8
    assert second.seed != first.seed


def test_a_prepared_start_writes_one_update_and_one_log_line(client, db_session, exam):
    """What makes the test-day peak cheap: no draw, no question rows written, nothing read after the writes
    (a read there would begin another transaction and queue for SQLite's write lock again)."""
    from sqlalchemy import event

    prepare_first_attempts(db_session, exam.opening)
    db_session.commit()
    login(client, exam.trainee.username)
    headers = {"X-CSRF-Token": fetch_csrf(client)}
    statements = []
    connection = db_session.bind  # the test connection every request of this test uses

    def record(_conn, _cursor, statement, _params, _context, _executemany):
        statements.append(" ".join(statement.split()[:3]))

    event.listen(connection, "before_cursor_execute", record)
    try:
        response = client.post(f"/api/v1/tests/{exam.quiz.id}/attempts", json={}, headers=headers)
    finally:
        event.remove(connection, "before_cursor_execute", record)
    assert response.status_code == 201
    writes = [s for s in statements if not s.startswith(("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK"))]
    assert writes == ["UPDATE attempts SET", "INSERT INTO attempt_events"]
    last_write = max(i for i, s in enumerate(statements) if s in writes)
    assert not [s for s in statements[last_write + 1:] if s.startswith("SELECT")]


def test_a_prepared_start_reads_before_taking_the_write_lock(client, db_session, exam, monkeypatch):
    from lms.db import write_intent
    from lms.quizzes.taking import api as quiz_api

    prepare_first_attempts(db_session, exam.opening)
    db_session.commit()
    seen = {}
    for name in ("prepared_start", "take_prepared"):
        original = getattr(quiz_api, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            seen[_name] = write_intent.get()
            return _original(*args, **kwargs)

        monkeypatch.setattr(quiz_api, name, spy)
    login(client, exam.trainee.username)
    assert api(client, "POST", f"/api/v1/tests/{exam.quiz.id}/attempts").status_code == 201
    assert seen == {"prepared_start": False, "take_prepared": True}
