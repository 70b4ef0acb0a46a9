"""Demo data for certificates: a finished class whose trainees sat the test, with every certificate status.

Most trainees passed and got a certificate in the bulk issue, one failed and got none, one certificate was
revoked and one re-issued to correct a misspelt name, so a newcomer can open a valid, revoked and superseded
certificate (and scan its QR code). The body's other demo classes issue automatically when a trainee passes.
Created once; a second run finds the class and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.auth.services import AccountInput, create_user
from lms.certificates.models import BodyCertificateSettings, Certificate, ClassCertificateSettings, IssueMode
from lms.certificates.records import issue_certificate, reissue_certificate, revoke_certificate
from lms.classes.models import Enrolment, TrainingClass
from lms.classes.services import new_class_code
from lms.courses.models import Course
from lms.quizzes.models import Attempt, Quiz, QuizOpening
from lms.quizzes.taking.attempts import AnswerSave, ClientInfo, save_answers, start_attempt, submit_attempt
from lms.quizzes.taking.grading import correct_answer_public

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FINISHED_CLASS = "Lớp nhận thức ISO 9001:2015 – khóa 0, đã kết thúc (demo)"
DEMO_CLIENT = ClientInfo(address="127.0.0.1", user_agent="demo data")
# (full name as first registered, date of birth, passes the test)
FINISHED_TRAINEES = [
    ("Nguyễn Thị Thanh Xuân", date(1987, 2, 11), True),
    ("Đặng Kim Lợi", date(1984, 6, 23), True),
    ("Trần Văn Út Tám", date(1979, 10, 8), True),
    ("Lê Hoàng Phúc", date(1992, 3, 30), True),
    ("Phạm Thị Diệu Linh", date(1990, 12, 1), True),
    ("Võ Minh Khoa", date(1986, 8, 19), True),
    ("Huỳnh Thị Ngọc Trâm", date(1995, 1, 14), False),
    ("Nguyễn Van Sơn", date(1983, 5, 5), True),  # misspelt at registration: "Văn"; the certificate is re-issued
]
REVOKED = "Lê Hoàng Phúc"
MISSPELT, CORRECTED = "Nguyễn Van Sơn", "Nguyễn Văn Sơn"


@dataclass
class FinishedDemo:
    training_class: TrainingClass
    usernames: list[str]


def finished_class_exists(session: Session) -> bool:
    return session.scalar(select(TrainingClass.id).where(TrainingClass.name == FINISHED_CLASS)) is not None


def seed_finished_class(session: Session, *, body_id: int, trainer: User, organiser: User, password: str,
                        course: Course, today: date) -> FinishedDemo | None:
    """The finished class, its test sat two weeks ago, certificates issued, one revoked, one re-issued (once)."""
    quiz = session.scalar(select(Quiz).where(Quiz.course_id == course.id).order_by(Quiz.id))
    if quiz is None or finished_class_exists(session):
        return None
    day = today - timedelta(days=14)
    training_class = TrainingClass(name=FINISHED_CLASS, code=new_class_code(), organising_body_id=body_id,
                                   course_id=course.id, starts_on=day - timedelta(days=1), ends_on=day,
                                   trainers=[trainer])
    session.add(training_class)
    session.flush()
    _settings(session, body_id, training_class.id)
    test_start = datetime.combine(day, time(9, 0), VN)
    session.add(QuizOpening(quiz_id=quiz.id, class_id=training_class.id, opens_at=test_start,
                            closes_at=test_start + timedelta(minutes=quiz.time_limit_minutes + 10),
                            opened_by_id=trainer.id))
    session.flush()
    usernames, people = [], []
    for index, (full_name, born, passes) in enumerate(FINISHED_TRAINEES, start=1):
        username = f"hoanthanh{index:02d}"
        user = create_user(session, AccountInput(username=username, full_name=full_name, role=Role.TRAINEE,
                                                 password=password, date_of_birth=born, organising_body_id=body_id))
        session.add(Enrolment(class_id=training_class.id, user_id=user.id))
        usernames.append(username)
        people.append((user, passes))
    session.flush()
    for offset, (user, passes) in enumerate(people):
        _sit(session, quiz, user, passes=passes, now=test_start + timedelta(minutes=1 + offset))
    _issue(session, training_class, organiser, issued_at=datetime.combine(day + timedelta(days=1), time(10), VN))
    return FinishedDemo(training_class, usernames)


def _settings(session: Session, body_id: int, class_id: int) -> None:
    if session.get(BodyCertificateSettings, body_id) is None:
        session.add(BodyCertificateSettings(organising_body_id=body_id, org_code="KHCN", issue_place="Thái Nguyên",
                                            signer_title="GIÁM ĐỐC", signer_name="Nguyễn Văn Hải"))
    # This class was issued in bulk by the organiser; the other demo classes issue automatically on a pass.
    session.add(ClassCertificateSettings(class_id=class_id, auto_issue=False, print_result=True, hours=16))
    for other in session.scalars(select(TrainingClass.id).where(TrainingClass.organising_body_id == body_id,
                                                                 TrainingClass.id != class_id)):
        if session.get(ClassCertificateSettings, other) is None:
            session.add(ClassCertificateSettings(class_id=other, auto_issue=True, hours=8))
    session.flush()


def _sit(session: Session, quiz: Quiz, user: User, *, passes: bool, now: datetime) -> Attempt:
    """A real attempt through the quiz services: every answer right, or none given (a fail)."""
    attempt = start_attempt(session, user, quiz, now=now, client=DEMO_CLIENT, grace_seconds=10)
    if passes:
        saves = [AnswerSave(item.position, _right_answer(item), seq=number)
                 for number, item in enumerate(attempt.questions, start=1)]
        save_answers(session, attempt, saves, now=now + timedelta(minutes=5), grace_seconds=10, client=DEMO_CLIENT,
                     contact_seconds=60)
    submit_attempt(session, attempt, now=now + timedelta(minutes=6), client=DEMO_CLIENT, grace_seconds=10)
    return attempt


def _right_answer(item) -> dict:
    from lms.quizzes.authoring.serialize import question_from_dict
    from lms.quizzes.presentation import PresentedQuestion

    key = correct_answer_public(question_from_dict(item.snapshot), PresentedQuestion.from_storage_dict(item.presentation))
    if "texts" in key:
        return {"text": key["texts"][0]}
    if "ranges" in key:
        return {"text": f"{key['ranges'][0]['min']:g}"}
    return key


def _issue(session: Session, training_class: TrainingClass, organiser: User, *, issued_at: datetime) -> None:
    """The organiser's bulk issue the day after the test, then one certificate revoked and one re-issued with
    the name corrected."""
    secret, base_url = current_app.config["SECRET_KEY"], current_app.config["PUBLIC_BASE_URL"]
    for enrolment in training_class.enrolments:
        passed = session.scalar(select(Attempt.passed).where(Attempt.user_id == enrolment.user_id))
        if passed:
            issue_certificate(session, training_class=training_class, trainee=enrolment.user, actor_id=organiser.id,
                              mode=IssueMode.BULK, now=issued_at, secret=secret, base_url=base_url)
    by_name = {c.holder_name: c for c in session.scalars(select(Certificate).where(
        Certificate.class_id == training_class.id))}
    later = issued_at + timedelta(days=3)
    revoke_certificate(session, by_name[REVOKED], actor_id=organiser.id, revoked_on=later.date(), now=later,
                       reason="Cấp nhầm: học viên không tham dự đủ các buổi học (demo)")
    reissue_certificate(session, by_name[MISSPELT], actor_id=organiser.id, reason="Sửa lỗi chính tả họ tên (demo)",
                        corrections={"holder_name": CORRECTED}, now=later, secret=secret, base_url=base_url)
    session.flush()
