"""Class settings: create, edit, copy, archive; the class list in Vietnamese order, searchable without accents."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import Role
from lms.certificates.models import ClassCertificateSettings
from lms.classes.management import services
from lms.classes.services import enrol
from lms.errors import RuleViolation
from lms.quizzes.models import Quiz
from tests.factories import load_fixture_content, make_body, make_class, make_user

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


@pytest.fixture
def world(db_session, app_ctx):
    body, other_body = make_body(db_session), make_body(db_session)
    course = load_fixture_content(db_session)
    organiser = make_user(db_session, Role.ORGANISER, body=body, username="btc.quanly")
    trainer = make_user(db_session, Role.TRAINER, body=body, username="gv.quanly")
    far_trainer = make_user(db_session, Role.TRAINER, body=other_body, username="gv.xa")
    trainees = [make_user(db_session, Role.TRAINEE, body=body, username=f"hv.ql{i}") for i in range(3)]
    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    return {"body": body, "other_body": other_body, "course": course, "organiser": organiser, "trainer": trainer,
            "far_trainer": far_trainer, "trainees": trainees, "quiz": quiz,
            "other_organiser": make_user(db_session, Role.ORGANISER, body=other_body, username="btc.xa")}


def _settings(world, **changes) -> services.ClassSettings:
    values = {"name": "Lớp ISO xã An Phú", "course_id": world["course"].id, "quiz_id": world["quiz"].id,
              "starts_on": date(2026, 11, 2), "ends_on": date(2026, 11, 3), "trainer_ids": [world["trainer"].id],
              "capacity": 40, "notes": "Học qua Zoom"}
    return services.ClassSettings(**{**values, **changes})


def test_create_with_test_capacity_notes_and_an_audit_entry(db_session, world):
    created = services.create(db_session, world["organiser"], _settings(world), now=NOW)
    assert (created.quiz_id, created.capacity, created.notes) == (world["quiz"].id, 40, "Học qua Zoom")
    assert created.organising_body_id == world["body"].id and created.trainers == [world["trainer"]]
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "class.create"))
    assert entry.after["capacity"] == 40 and entry.organising_body_id == world["body"].id


@pytest.mark.parametrize(("change", "message"), [
    ({"capacity": 0}, "sức chứa"),
    ({"ends_on": date(2026, 11, 1)}, "ngày kết thúc"),
    ({"trainer_ids": [-1]}, "giảng viên"),
    ({"name": "  "}, "tên"),
])
def test_bad_settings_are_refused(db_session, world, change, message):
    with pytest.raises(RuleViolation) as error:
        services.create(db_session, world["organiser"], _settings(world, **change), now=NOW)
    assert message in error.value.message.lower()


def test_another_body_trainer_or_test_is_refused(db_session, world):
    with pytest.raises(RuleViolation):
        services.create(db_session, world["organiser"], _settings(world, trainer_ids=[world["far_trainer"].id]),
                        now=NOW)
    with pytest.raises(RuleViolation):
        services.create(db_session, world["organiser"], _settings(world, quiz_id=999_999), now=NOW)


def test_edit_keeps_before_and_after_and_capacity_not_below_enrolled(db_session, world):
    training_class = services.create(db_session, world["organiser"], _settings(world), now=NOW)
    enrol(db_session, world["organiser"], training_class, [t.id for t in world["trainees"]])
    services.update(db_session, world["organiser"], training_class, _settings(world, name="Lớp ISO phường 1",
                                                                              capacity=3), now=NOW)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "class.edit"))
    assert entry.before["name"] == "Lớp ISO xã An Phú" and entry.after == services.snapshot(training_class)
    with pytest.raises(RuleViolation):
        services.update(db_session, world["organiser"], training_class, _settings(world, capacity=2), now=NOW)


def test_copy_takes_the_settings_not_the_trainees_or_dates(db_session, world):
    source = services.create(db_session, world["organiser"], _settings(world), now=NOW)
    db_session.add(ClassCertificateSettings(class_id=source.id, auto_issue=True, hours=16))
    enrol(db_session, world["organiser"], source, [world["trainees"][0].id])
    copied = services.copy(db_session, world["organiser"], source, now=NOW)
    assert copied.id != source.id and copied.code != source.code and copied.name == "Lớp ISO xã An Phú (bản sao)"
    assert (copied.quiz_id, copied.capacity, copied.notes, copied.trainers) == (
        source.quiz_id, 40, "Học qua Zoom", [world["trainer"]])
    assert copied.enrolments == [] and copied.starts_on is None
    settings = db_session.get(ClassCertificateSettings, copied.id)
    assert settings.auto_issue and settings.hours == 16


def test_only_a_finished_class_is_archived_and_then_read_only(db_session, world):
    training_class = services.create(db_session, world["organiser"], _settings(world), now=NOW)
    with pytest.raises(RuleViolation):
        services.archive(db_session, world["organiser"], training_class, today=date(2026, 11, 3), now=NOW)
    services.archive(db_session, world["organiser"], training_class, today=date(2026, 11, 4), now=NOW)
    assert training_class.archived_at == NOW
    with pytest.raises(RuleViolation):
        services.update(db_session, world["organiser"], training_class, _settings(world), now=NOW)
    with pytest.raises(RuleViolation):
        enrol(db_session, world["organiser"], training_class, [world["trainees"][0].id])
    assert services.search_classes(db_session, world["organiser"]) == []
    assert services.search_classes(db_session, world["organiser"], archived=True) == [training_class]


def test_class_list_in_vietnamese_order_and_searchable_without_accents(db_session, world):
    names = ["Lớp Đồng Tháp", "Lớp Điện Biên", "Lớp Dak Lak", "Lớp Ấp Bắc", "Lớp An Giang", "Lớp Ăn Khang"]
    for name in names:
        services.create(db_session, world["organiser"], _settings(world, name=name), now=NOW)
    make_class(db_session, body=world["other_body"], course=world["course"])
    listed = [c.name for c in services.search_classes(db_session, world["organiser"])]
    assert listed == ["Lớp An Giang", "Lớp Ăn Khang", "Lớp Ấp Bắc", "Lớp Dak Lak", "Lớp Điện Biên", "Lớp Đồng Tháp"]
    assert [c.name for c in services.search_classes(db_session, world["organiser"], text="dong thap")] == [
        "Lớp Đồng Tháp"]
    assert [c.name for c in services.search_classes(db_session, world["organiser"], text="ĐIỆN")] == [
        "Lớp Điện Biên"]
    assert services.search_classes(db_session, world["other_organiser"], text="dong thap") == []


def test_enrolment_stops_at_the_capacity(db_session, world):
    training_class = services.create(db_session, world["organiser"], _settings(world, capacity=2), now=NOW)
    with pytest.raises(RuleViolation) as error:
        enrol(db_session, world["organiser"], training_class, [t.id for t in world["trainees"]])
    assert "tối đa 2" in error.value.message and training_class.enrolments == []
    assert enrol(db_session, world["organiser"], training_class, [t.id for t in world["trainees"][:2]]) == 2
