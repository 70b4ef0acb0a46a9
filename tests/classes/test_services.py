"""Classes: who sees which class, creating classes, enrolling trainees and the class roster."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from lms.auth.models import Role
from lms.classes import services
from lms.classes.models import Enrolment
from lms.courses import services as course_services
from lms.errors import Forbidden, NotFound, RuleViolation
from tests.factories import load_fixture_content, make_body, make_class, make_user

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def world(app_ctx, db_session):
    """Two organising bodies, each with an organiser, trainers and trainees; classes of the sample course."""
    course = load_fixture_content(db_session)
    body, other = make_body(db_session), make_body(db_session)
    w = {
        "course": course,
        "body": body,
        "other": other,
        "admin": make_user(db_session, Role.ADMIN, full_name="Quản Trị Viên"),
        "organiser": make_user(db_session, Role.ORGANISER, body=body, full_name="Nguyễn Văn Hải"),
        "other_organiser": make_user(db_session, Role.ORGANISER, body=other, full_name="Lê Văn Khoa"),
        "trainer": make_user(db_session, Role.TRAINER, body=body, full_name="Trần Thị Minh Thu"),
        "second_trainer": make_user(db_session, Role.TRAINER, body=body, full_name="Vũ Văn Long"),
        "other_trainer": make_user(db_session, Role.TRAINER, body=other, full_name="Hồ Văn Sơn"),
        "trainee": make_user(db_session, body=body, full_name="Nguyễn Thị Hương"),
        "other_trainee": make_user(db_session, body=other, full_name="Phạm Minh Tuấn"),
    }
    w["taught"] = make_class(db_session, body=body, course=course, trainers=[w["trainer"]])
    w["untaught"] = make_class(db_session, body=body, course=course, trainers=[w["second_trainer"]])
    w["elsewhere"] = make_class(db_session, body=other, course=course, trainers=[w["other_trainer"]])
    return w


def class_ids(classes) -> set[int]:
    return {c.id for c in classes}


def enrolment_count(session, training_class) -> int:
    return session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.class_id == training_class.id))


# --- visibility ------------------------------------------------------------------------------------------------

def test_admin_sees_every_class(db_session, world):
    seen = class_ids(services.list_classes(db_session, world["admin"]))
    assert {world["taught"].id, world["untaught"].id, world["elsewhere"].id} <= seen
    assert services.get_class(db_session, world["admin"], world["elsewhere"].id).id == world["elsewhere"].id


def test_organiser_sees_the_classes_of_their_body(db_session, world):
    assert class_ids(services.list_classes(db_session, world["organiser"])) == {world["taught"].id,
                                                                               world["untaught"].id}
    assert class_ids(services.list_classes(db_session, world["other_organiser"])) == {world["elsewhere"].id}
    with pytest.raises(NotFound):
        services.get_class(db_session, world["organiser"], world["elsewhere"].id)


def test_trainer_sees_only_the_classes_they_teach(db_session, world):
    assert class_ids(services.list_classes(db_session, world["trainer"])) == {world["taught"].id}
    assert services.get_class(db_session, world["trainer"], world["taught"].id).id == world["taught"].id
    for hidden in ("untaught", "elsewhere"):
        with pytest.raises(NotFound):
            services.get_class(db_session, world["trainer"], world[hidden].id)


def test_class_with_two_trainers_is_listed_once(db_session, world):
    both = make_class(db_session, body=world["body"], course=world["course"],
                      trainers=[world["trainer"], world["second_trainer"]])
    listed = [c.id for c in services.list_classes(db_session, world["trainer"])]
    assert sorted(listed) == sorted([world["taught"].id, both.id])
    assert [c.id for c in services.list_classes(db_session, world["organiser"])].count(both.id) == 1


def test_trainee_may_not_list_or_open_classes(db_session, world):
    with pytest.raises(Forbidden):
        services.list_classes(db_session, world["trainee"])
    with pytest.raises(Forbidden):
        services.get_class(db_session, world["trainee"], world["taught"].id)


def test_unknown_class_is_not_found(db_session, world):
    with pytest.raises(NotFound):
        services.get_class(db_session, world["admin"], 999_999)


def test_classes_are_listed_newest_start_first_then_by_name(db_session, world):
    organiser, course = world["organiser"], world["course"]
    create = services.create_class
    create(db_session, organiser, name="Lớp B", course_id=course.id, starts_on=date(2027, 3, 1))
    create(db_session, organiser, name="Lớp A", course_id=course.id, starts_on=date(2027, 3, 1))
    create(db_session, organiser, name="Lớp C", course_id=course.id, starts_on=date(2027, 5, 1))
    names = [c.name for c in services.list_classes(db_session, organiser)][:3]
    assert names == ["Lớp C", "Lớp A", "Lớp B"]


# --- creating classes ------------------------------------------------------------------------------------------

def test_organiser_creates_a_class_for_their_own_body(db_session, world):
    created = services.create_class(
        db_session, world["organiser"], name="  Lớp  nhận thức ISO ", course_id=world["course"].id,
        organising_body_id=world["other"].id, starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 3),
        trainer_ids=[world["trainer"].id],
    )
    assert created.id is not None
    assert created.name == "Lớp nhận thức ISO"
    assert created.organising_body_id == world["body"].id  # the body argument is only for admins
    assert [t.id for t in created.trainers] == [world["trainer"].id]
    assert len(created.code) == 8 and created.code.isalnum() and created.code.isupper()
    assert created.id in class_ids(services.list_classes(db_session, world["trainer"]))


def test_admin_chooses_the_body(db_session, world):
    created = services.create_class(db_session, world["admin"], name="Lớp của Sở khác", course_id=world["course"].id,
                                    organising_body_id=world["other"].id)
    assert created.organising_body_id == world["other"].id
    with pytest.raises(RuleViolation):
        services.create_class(db_session, world["admin"], name="Lớp không có đơn vị", course_id=world["course"].id)


@pytest.mark.parametrize("role", ["trainer", "trainee"])
def test_only_admins_and_organisers_create_classes(db_session, world, role):
    with pytest.raises(Forbidden):
        services.create_class(db_session, world[role], name="Lớp", course_id=world["course"].id)


def test_class_needs_a_name_an_existing_course_and_sensible_dates(db_session, world):
    organiser, course_id = world["organiser"], world["course"].id
    with pytest.raises(RuleViolation):
        services.create_class(db_session, organiser, name="   ", course_id=course_id)
    with pytest.raises(NotFound):
        services.create_class(db_session, organiser, name="Lớp", course_id=999_999)
    with pytest.raises(RuleViolation):
        services.create_class(db_session, organiser, name="Lớp", course_id=course_id, starts_on=date(2026, 11, 2),
                              ends_on=date(2026, 11, 1))
    one_day = services.create_class(db_session, organiser, name="Lớp một ngày", course_id=course_id,
                                    starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 2))
    assert one_day.ends_on == one_day.starts_on


@pytest.mark.parametrize("who", ["other_trainer", "trainee", "organiser"])
def test_only_trainers_of_the_body_may_teach(db_session, world, who):
    with pytest.raises(RuleViolation):
        services.create_class(db_session, world["organiser"], name="Lớp", course_id=world["course"].id,
                              trainer_ids=[world[who].id])


def test_class_codes_differ(db_session, world):
    codes = {services.create_class(db_session, world["organiser"], name=f"Lớp {n}", course_id=world["course"].id).code
             for n in range(10)}
    assert len(codes) == 10


# --- enrolment -------------------------------------------------------------------------------------------------

def test_enrol_adds_trainees_and_returns_how_many(db_session, world):
    second = make_user(db_session, body=world["body"], full_name="Trần Văn An")
    training_class = world["taught"]
    added = services.enrol(db_session, world["organiser"], training_class, [world["trainee"].id, second.id])
    assert added == 2
    assert enrolment_count(db_session, training_class) == 2
    assert {e.user_id for e in training_class.enrolments} == {world["trainee"].id, second.id}


def test_enrolling_again_is_skipped(db_session, world):
    second = make_user(db_session, body=world["body"], full_name="Trần Văn An")
    training_class = world["taught"]
    services.enrol(db_session, world["organiser"], training_class, [world["trainee"].id])
    added = services.enrol(db_session, world["admin"], training_class, [world["trainee"].id, second.id, second.id])
    assert added == 1
    assert services.enrol(db_session, world["organiser"], training_class, [world["trainee"].id, second.id]) == 0
    assert enrolment_count(db_session, training_class) == 2


@pytest.mark.parametrize("who", ["other_trainee", "trainer", "organiser"])
def test_only_trainees_of_the_same_body_can_be_enrolled(db_session, world, who):
    with pytest.raises(RuleViolation):
        services.enrol(db_session, world["organiser"], world["taught"], [world[who].id])
    assert enrolment_count(db_session, world["taught"]) == 0


def test_unknown_user_cannot_be_enrolled(db_session, world):
    with pytest.raises(RuleViolation):
        services.enrol(db_session, world["organiser"], world["taught"], [999_999])


@pytest.mark.parametrize("role", ["trainer", "trainee"])
def test_only_admins_and_organisers_enrol_and_unenrol(db_session, world, role):
    with pytest.raises(Forbidden):
        services.enrol(db_session, world[role], world["taught"], [world["trainee"].id])
    services.enrol(db_session, world["organiser"], world["taught"], [world["trainee"].id])
    with pytest.raises(Forbidden):
        services.unenrol(db_session, world[role], world["taught"], world["trainee"].id)
    assert enrolment_count(db_session, world["taught"]) == 1


def test_unenrol_removes_the_trainee(db_session, world):
    training_class = world["taught"]
    services.enrol(db_session, world["organiser"], training_class, [world["trainee"].id])
    services.unenrol(db_session, world["organiser"], training_class, world["trainee"].id)
    assert enrolment_count(db_session, training_class) == 0
    assert not course_services.can_study(db_session, world["trainee"], world["course"])
    with pytest.raises(NotFound):
        services.unenrol(db_session, world["organiser"], training_class, world["trainee"].id)


def test_enrolment_opens_the_course_to_the_trainee(db_session, world):
    assert not course_services.can_study(db_session, world["trainee"], world["course"])
    services.enrol(db_session, world["organiser"], world["taught"], [world["trainee"].id])
    assert course_services.can_study(db_session, world["trainee"], world["course"])


def test_enrollable_trainees_are_the_unenrolled_trainees_of_the_body_sorted(db_session, world):
    an = make_user(db_session, body=world["body"], full_name="Trần Văn An")
    duc = make_user(db_session, body=world["body"], full_name="Bùi Văn Đức")
    dung = make_user(db_session, body=world["body"], full_name="Phan Văn Dũng")
    services.enrol(db_session, world["organiser"], world["taught"], [dung.id])
    names = [u.full_name for u in services.enrollable_trainees(db_session, world["taught"])]
    assert names == [an.full_name, duc.full_name, world["trainee"].full_name]


# --- roster ----------------------------------------------------------------------------------------------------

def test_roster_is_sorted_vietnamese_style_with_progress(db_session, world):
    body = world["body"]
    names = ["Nguyễn Thị Hương", "Bùi Văn Đức", "Dương Thị Ngọc Ân", "Trần Văn An", "Phan Văn Dũng", "Đặng Thị Ánh",
             "Lê Thị Hương"]
    trainees = {name: make_user(db_session, body=body, full_name=name) for name in names}
    training_class = make_class(db_session, body=body, course=world["course"], trainees=list(trainees.values()))
    course = course_services.get_course(db_session, "khoa-mau")
    lessons = course_services.ordered_lessons(course)
    for lesson in lessons:
        course_services.set_done(db_session, trainees["Bùi Văn Đức"], lesson, done=True, now=NOW)
    course_services.set_done(db_session, trainees["Trần Văn An"], lessons[0], done=True, now=NOW)
    course_services.record_view(db_session, trainees["Lê Thị Hương"], lessons[1], now=NOW)

    rows = services.roster(db_session, training_class)
    assert [row.user.full_name for row in rows] == [
        "Trần Văn An", "Đặng Thị Ánh", "Dương Thị Ngọc Ân", "Phan Văn Dũng", "Bùi Văn Đức", "Lê Thị Hương",
        "Nguyễn Thị Hương",
    ]
    progress = {row.user.full_name: (row.done, row.total) for row in rows}
    assert progress["Bùi Văn Đức"] == (3, 3)
    assert progress["Trần Văn An"] == (1, 3)
    assert progress["Lê Thị Hương"] == (0, 3)
    assert progress["Nguyễn Thị Hương"] == (0, 3)


def test_roster_of_an_unpublished_course_shows_no_progress(db_session, world):
    training_class = make_class(db_session, body=world["body"], course=world["course"], trainees=[world["trainee"]])
    world["course"].published = False
    db_session.flush()
    rows = services.roster(db_session, training_class)
    assert [(row.user.id, row.done, row.total) for row in rows] == [(world["trainee"].id, 0, 0)]


def test_roster_of_an_empty_class(db_session, world):
    assert services.roster(db_session, world["taught"]) == []
