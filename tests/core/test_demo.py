"""Demo data: one organising body, its people, current and former work units, one class; created only once."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date

from sqlalchemy import func, select

from lms.auth.models import Role, User
from lms.auth.passwords import verify_password
from lms.certificates.demo import FINISHED_CLASS
from lms.classes.models import Enrolment, TrainingClass
from lms.content_sync import sync_content
from lms.db import utcnow
from lms.demo import DEMO_BODY, DEMO_PASSWORD, SAMPLE_COURSE, demo_exists, seed_demo
from lms.organisations.models import OrganisingBody, WorkUnit
from lms.organisations.services import current_successor, unit_tree
from lms.text import fold
from tests.conftest import FIXTURES
from tests.factories import load_fixture_content

REFORM_DAY = date(2025, 7, 1)
MODELS = (User, OrganisingBody, WorkUnit, TrainingClass, Enrolment)


def counts(session) -> dict[str, int]:
    return {model.__name__: session.scalar(select(func.count()).select_from(model)) for model in MODELS}


def demo_body(session) -> OrganisingBody:
    return session.scalar(select(OrganisingBody).where(OrganisingBody.name == DEMO_BODY))


def unit_named(session, name: str) -> WorkUnit:
    return session.scalar(select(WorkUnit).where(WorkUnit.name == name))


def test_demo_creates_one_body_and_its_staff(app_ctx, db_session):
    assert not demo_exists(db_session)
    logins = seed_demo(db_session)
    assert demo_exists(db_session)
    assert [(login.role, login.username) for login in logins] == [
        (Role.ADMIN, "admin"), (Role.ORGANISER, "bantochuc"), (Role.TRAINER, "giangvien"),
        (Role.TRAINEE, "hocvien01 … hocvien20"),
    ]
    assert {login.password for login in logins} == {DEMO_PASSWORD}
    body = demo_body(db_session)
    assert body is not None
    assert db_session.scalar(select(func.count()).select_from(OrganisingBody)
                             .where(OrganisingBody.name == DEMO_BODY)) == 1
    assert body.province.name == "Tỉnh Thái Nguyên"

    staff = {u.username: u for u in db_session.scalars(select(User).where(
        User.username.in_(["admin", "bantochuc", "giangvien"])))}
    assert (staff["admin"].role, staff["admin"].organising_body_id) == (Role.ADMIN, None)
    assert (staff["bantochuc"].role, staff["bantochuc"].organising_body_id) == (Role.ORGANISER, body.id)
    assert (staff["giangvien"].role, staff["giangvien"].organising_body_id) == (Role.TRAINER, body.id)
    assert all(verify_password(user.password_hash, DEMO_PASSWORD) for user in staff.values())


def test_demo_creates_twenty_trainees_with_nfc_vietnamese_names(app_ctx, db_session):
    seed_demo(db_session)
    body = demo_body(db_session)
    trainees = list(db_session.scalars(select(User).where(User.role == Role.TRAINEE,
                                                          User.organising_body_id == body.id)
                                       .order_by(User.username)))
    assert [t.username for t in trainees] == [f"hocvien{n:02d}" for n in range(1, 21)]
    for trainee in trainees:
        assert unicodedata.is_normalized("NFC", trainee.full_name)
        assert trainee.full_name_folded == fold(trainee.full_name)
        assert trainee.full_name_folded.isascii()
        assert trainee.work_unit_id is not None
        assert trainee.date_of_birth is not None
        assert trainee.phone and trainee.phone.startswith("09") and len(trainee.phone) == 10
    names = {t.full_name for t in trainees}
    assert {"Nguyễn Thị Hương", "Đặng Thị Ánh", "Dương Thị Ngọc Ân", "Bùi Văn Đức"} <= names
    assert len({t.phone for t in trainees}) == 20
    assert verify_password(trainees[0].password_hash, DEMO_PASSWORD)


def test_demo_creates_current_and_former_work_units(app_ctx, db_session):
    seed_demo(db_session)
    province = unit_named(db_session, "Tỉnh Thái Nguyên")
    assert province.parent_id is None and province.valid_to is None
    children = {u.name for u in db_session.scalars(select(WorkUnit).where(WorkUnit.parent_id == province.id))}
    assert {"Văn phòng UBND tỉnh", "Sở Khoa học và Công nghệ", "UBND xã An Phú", "UBND phường Tân An",
            "Huyện Phú Bình"} <= children

    bac_kan = unit_named(db_session, "Tỉnh Bắc Kạn")
    phu_binh = unit_named(db_session, "Huyện Phú Bình")
    assert bac_kan.valid_to == REFORM_DAY and phu_binh.valid_to == REFORM_DAY
    assert phu_binh.parent_id == province.id
    assert current_successor(bac_kan).id == province.id
    assert current_successor(phu_binh).id == province.id

    today = {u.name for u, _depth in unit_tree(db_session, on=date(2026, 1, 1))}
    assert "Tỉnh Thái Nguyên" in today
    assert not {"Tỉnh Bắc Kạn", "Huyện Phú Bình"} & today
    everything = {u.name for u, _depth in unit_tree(db_session)}
    assert {"Tỉnh Bắc Kạn", "Huyện Phú Bình"} <= everything


def test_demo_class_enrols_all_trainees_in_the_first_published_course(app_ctx, db_session):
    course = load_fixture_content(db_session)
    seed_demo(db_session)
    body = demo_body(db_session)
    classes = list(db_session.scalars(select(TrainingClass).where(TrainingClass.organising_body_id == body.id,
                                                                  TrainingClass.name != FINISHED_CLASS)))
    assert len(classes) == 1  # besides the finished class with certificates (tests/certificates/staff/test_demo.py)
    demo_class = classes[0]
    assert demo_class.course_id == course.id  # no khai-niem-iso-9000 in the fixtures: the first published course
    assert [t.username for t in demo_class.trainers] == ["giangvien"]
    enrolled = {e.user.username for e in demo_class.enrolments}
    assert enrolled == {f"hocvien{n:02d}" for n in range(1, 21)}


def test_demo_class_prefers_the_sample_course_when_it_exists(app_ctx, db_session, tmp_path):
    content = tmp_path / "content" / "courses"
    for slug, order in (("khoa-mau", 1), (SAMPLE_COURSE, 5)):
        shutil.copytree(FIXTURES / "content" / "courses" / "khoa-mau", content / slug)
        course_yaml = content / slug / "course.yaml"
        course_yaml.write_text(course_yaml.read_text(encoding="utf-8").replace("slug: khoa-mau", f"slug: {slug}")
                               .replace("order: 1", f"order: {order}"), encoding="utf-8")
    sync_content(db_session, str(tmp_path / "content"), now=utcnow())
    seed_demo(db_session)
    demo_class = db_session.scalar(select(TrainingClass).where(TrainingClass.organising_body_id == demo_body(db_session).id,
                                                               TrainingClass.name != FINISHED_CLASS))
    assert demo_class.course.slug == SAMPLE_COURSE
    assert len(demo_class.enrolments) == 20


def test_demo_without_any_course_creates_no_class(app_ctx, db_session):
    seed_demo(db_session)
    assert counts(db_session)["TrainingClass"] == 0
    assert counts(db_session)["Enrolment"] == 0
    assert counts(db_session)["User"] == 23


def test_second_call_returns_nothing_and_adds_nothing(app_ctx, db_session):
    load_fixture_content(db_session)
    first = seed_demo(db_session)
    assert first
    before = counts(db_session)
    assert before["User"] == 31  # with the 8 trainees of the finished class with certificates
    assert before["OrganisingBody"] == 1
    assert before["WorkUnit"] == 11
    assert (before["TrainingClass"], before["Enrolment"]) == (2, 28)
    assert seed_demo(db_session) == []
    assert counts(db_session) == before
