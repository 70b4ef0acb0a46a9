"""Demo data for a first `make run`: one organising body, its people and one class of the sample course."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.auth.services import AccountInput, create_user
from lms.classes.models import Enrolment, TrainingClass
from lms.classes.services import new_class_code
from lms.courses.models import Course
from lms.organisations.models import OrganisingBody, UnitKind, WorkUnit
from lms.organisations.services import create_body, create_unit

DEMO_BODY = "Sở Khoa học và Công nghệ (demo)"
DEMO_PASSWORD = "hoc-iso-2026"
DEMO_CLASS = "Lớp nhận thức ISO 9001:2015 – khóa 1 (demo)"  # the class whose test the trainees take
SAMPLE_COURSE = "khai-niem-iso-9000"

# (full name, date of birth, unit key, position)
TRAINEES = [
    ("Nguyễn Thị Hương", date(1988, 3, 14), "vp-ubnd", "Chuyên viên, thư ký ISO"),
    ("Trần Văn Nam", date(1985, 7, 2), "so-tu-phap", "Chuyên viên phòng Hành chính tư pháp"),
    ("Lê Thị Thu Hà", date(1990, 11, 25), "so-noi-vu", "Chuyên viên, thư ký ISO"),
    ("Phạm Minh Tuấn", date(1983, 1, 9), "so-tai-chinh", "Phó Chánh Văn phòng"),
    ("Hoàng Thị Lan", date(1992, 5, 30), "xa-an-phu", "Công chức Văn phòng - Thống kê"),
    ("Vũ Đức Anh", date(1995, 9, 18), "xa-an-phu", "Công chức Tư pháp - Hộ tịch"),
    ("Đặng Thị Ánh", date(1991, 12, 3), "phuong-tan-an", "Công chức Văn hóa - Xã hội"),
    ("Bùi Văn Đức", date(1980, 4, 21), "phuong-tan-an", "Công chức Địa chính - Xây dựng"),
    ("Đỗ Thị Mai", date(1993, 8, 8), "xa-hoa-binh", "Công chức Văn phòng - Thống kê"),
    ("Ngô Quang Huy", date(1987, 2, 17), "xa-hoa-binh", "Phó Chủ tịch UBND xã"),
    ("Dương Thị Ngọc Ân", date(1994, 6, 11), "so-khcn", "Chuyên viên Chi cục TCĐLCL"),
    ("Lý Văn Bình", date(1986, 10, 29), "so-tu-phap", "Chuyên viên, thư ký ISO"),
    ("Trịnh Thị Yến", date(1989, 7, 19), "vp-ubnd", "Chuyên viên bộ phận một cửa"),
    ("Phan Văn Dũng", date(1984, 3, 5), "so-noi-vu", "Trưởng phòng Cải cách hành chính"),
    ("Hồ Thị Kim Oanh", date(1996, 1, 27), "xa-an-phu", "Công chức một cửa"),
    ("Mai Xuân Trường", date(1982, 9, 13), "phuong-tan-an", "Chủ tịch UBND phường"),
    ("Tạ Thị Thanh Tâm", date(1990, 4, 2), "so-tai-chinh", "Chuyên viên, thư ký ISO"),
    ("Cao Văn Lợi", date(1988, 12, 22), "xa-hoa-binh", "Công chức Tài chính - Kế toán"),
    ("Lương Thị Phương", date(1997, 5, 16), "phuong-tan-an", "Công chức Văn phòng - Thống kê"),
    ("Đinh Công Thành", date(1985, 8, 30), "so-khcn", "Phó Chi cục trưởng Chi cục TCĐLCL"),
]

# (key, name, kind, parent key)
UNITS = [
    ("tinh", "Tỉnh Thái Nguyên", UnitKind.PROVINCE, None),
    ("vp-ubnd", "Văn phòng UBND tỉnh", UnitKind.DEPARTMENT, "tinh"),
    ("so-khcn", "Sở Khoa học và Công nghệ", UnitKind.DEPARTMENT, "tinh"),
    ("so-tu-phap", "Sở Tư pháp", UnitKind.DEPARTMENT, "tinh"),
    ("so-noi-vu", "Sở Nội vụ", UnitKind.DEPARTMENT, "tinh"),
    ("so-tai-chinh", "Sở Tài chính", UnitKind.DEPARTMENT, "tinh"),
    ("xa-an-phu", "UBND xã An Phú", UnitKind.COMMUNE, "tinh"),
    ("phuong-tan-an", "UBND phường Tân An", UnitKind.WARD, "tinh"),
    ("xa-hoa-binh", "UBND xã Hòa Bình", UnitKind.COMMUNE, "tinh"),
]
REFORM_DAY = date(2025, 7, 1)


@dataclass
class DemoLogin:
    role: str
    username: str
    password: str


def demo_exists(session: Session) -> bool:
    return session.scalar(select(OrganisingBody.id).where(OrganisingBody.name == DEMO_BODY)) is not None


def seed_demo(session: Session) -> list[DemoLogin]:
    """Create the demo organising body, people and class once; a second call changes nothing."""
    if demo_exists(session):
        return _seed_certificates(session)  # a database seeded before certificates existed gets them once
    units = _seed_units(session)
    body = create_body(session, name=DEMO_BODY, short_name="Sở KH&CN", province_id=units["tinh"].id)
    logins = [_staff(session, "admin", "Quản trị hệ thống", Role.ADMIN, None)]
    organiser = _staff(session, "bantochuc", "Nguyễn Văn Hải", Role.ORGANISER, body.id)
    trainer = _staff(session, "giangvien", "Trần Thị Minh Thu", Role.TRAINER, body.id)
    logins += [organiser, trainer]
    trainees = [_trainee(session, index, row, units, body.id) for index, row in enumerate(TRAINEES, start=1)]
    _seed_class(session, body.id, trainer.username, trainees)
    logins.append(DemoLogin(Role.TRAINEE, "hocvien01 … hocvien20", DEMO_PASSWORD))
    return logins + _seed_certificates(session)


def _seed_certificates(session: Session) -> list[DemoLogin]:
    """The finished class with its certificates (lms/certificates/demo.py), once."""
    from lms.certificates.demo import seed_finished_class

    body = session.scalar(select(OrganisingBody).where(OrganisingBody.name == DEMO_BODY))
    trainer = session.scalar(select(User).where(User.username == "giangvien"))
    organiser = session.scalar(select(User).where(User.username == "bantochuc"))
    course = session.scalar(select(Course).where(Course.slug == SAMPLE_COURSE)) or session.scalar(
        select(Course).where(Course.published).order_by(Course.position))
    if None in (body, trainer, organiser, course):
        return []
    finished = seed_finished_class(session, body_id=body.id, trainer=trainer, organiser=organiser,
                                   password=DEMO_PASSWORD, course=course, today=date.today())
    if finished is None:
        return []
    return [DemoLogin(Role.TRAINEE, f"{finished.usernames[0]} … {finished.usernames[-1]}", DEMO_PASSWORD)]


def _seed_units(session: Session) -> dict[str, WorkUnit]:
    units: dict[str, WorkUnit] = {}
    for key, name, kind, parent in UNITS:
        units[key] = create_unit(session, name=name, kind=kind, parent_id=units[parent].id if parent else None)
    # Historical units: the former province and a former district, ended by the 2025 reform.
    create_unit(session, name="Tỉnh Bắc Kạn", kind=UnitKind.PROVINCE, valid_to=REFORM_DAY,
                successor_id=units["tinh"].id)
    create_unit(session, name="Huyện Phú Bình", kind=UnitKind.DISTRICT, parent_id=units["tinh"].id,
                valid_to=REFORM_DAY, successor_id=units["tinh"].id)
    return units


def _staff(session: Session, username: str, full_name: str, role: str, body_id: int | None) -> DemoLogin:
    create_user(session, AccountInput(username=username, full_name=full_name, role=role, password=DEMO_PASSWORD,
                                      organising_body_id=body_id))
    return DemoLogin(role, username, DEMO_PASSWORD)


def _trainee(session: Session, index: int, row: tuple, units: dict[str, WorkUnit], body_id: int) -> User:
    full_name, born, unit_key, position = row
    return create_user(session, AccountInput(
        username=f"hocvien{index:02d}", full_name=full_name, role=Role.TRAINEE, password=DEMO_PASSWORD,
        date_of_birth=born, position=position, work_unit_id=units[unit_key].id, organising_body_id=body_id,
        phone=f"09{index:02d}{index * 7919 % 1000000:06d}",
    ))


def _seed_class(session: Session, body_id: int, trainer_username: str, trainees: list[User]) -> None:
    course = session.scalar(select(Course).where(Course.slug == SAMPLE_COURSE)) or session.scalar(
        select(Course).where(Course.published).order_by(Course.position)
    )
    if course is None:
        return
    trainer = session.scalar(select(User).where(User.username == trainer_username))
    training_class = TrainingClass(name=DEMO_CLASS, code=new_class_code(),
                                   organising_body_id=body_id, course_id=course.id, starts_on=date.today(),
                                   ends_on=date.today(), trainers=[trainer])
    session.add(training_class)
    session.flush()
    for trainee in trainees:
        session.add(Enrolment(class_id=training_class.id, user_id=trainee.id))
    session.flush()
