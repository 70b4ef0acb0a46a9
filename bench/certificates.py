"""Certificates: issue and render a class of N certificates, next to a bare reportlab page with the same QR.

Run by hand from the project root (see bench/README.md):

    .venv/bin/python bench/certificates.py --trainees 1000

What it does, in one process, on a fresh SQLite database in a temporary directory:

1. set-up (not measured): Alembic migrations, `content/` synced, one organising body whose certificate settings
   have a logo, a signature and a seal (stored as the settings page stores them), one class of N trainees,
   the end-of-course test opened for it and one passed attempt per trainee;
2. **issue**: every trainee's certificate, as `flask lms certificates issue --class` does (eligibility, number,
   Ed25519 signature, event and audit entry), in one transaction, committed;
3. **render**: every certificate's PDF through `documents.certificate_pdf` (frozen facts and stored images read,
   QR drawn, first-rendering hash stored), committed: what a class's first downloads cost;
4. **bare**: a bare reportlab A4 landscape page with only the same QR code, for the same N QR texts (the QR
   shape cache is emptied first, as it is for certificates seen for the first time).

It prints the times, PDFs per second of 3 and 4 and their ratio, and the targets (N = 1,000 issued and rendered
in under 18 s; rendering at least half the bare rate).
"""

from __future__ import annotations

import argparse
import io
import json
import secrets
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COURSE_SLUG = "khai-niem-iso-9000"
TEST_SLUG = "kiem-tra-cuoi-khoa"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Thị", "Văn", "Minh", "Ngọc", "Thanh", "Kim", "Hữu", "Quốc"]
GIVEN = ["Hương", "Lợi", "Tám", "Hạnh", "Dũng", "Phượng", "Khoa", "Yến", "Tuấn", "Ánh", "Lộc"]


def _picture(kind: str) -> bytes:
    """A photo-like image (noise under the drawing), as scanned logos, signatures and seals are."""
    from PIL import Image, ImageDraw

    size = {"logo": (600, 600), "signature": (900, 360), "seal": (800, 800)}[kind]
    image = Image.effect_noise(size, 12).convert("RGB").point(lambda v: 235 + v % 20)
    draw = ImageDraw.Draw(image)
    w, h = size
    if kind == "seal":
        draw.ellipse((8, 8, w - 8, h - 8), outline=(200, 20, 20), width=w // 18)
    elif kind == "signature":
        draw.line([(20, h * 3 // 4), (w // 4, h // 5), (w // 2, h * 4 // 5), (w - 20, h // 3)], fill=(20, 20, 120),
                  width=10)
    else:
        draw.ellipse((8, 8, w - 8, h - 8), fill=(31, 78, 121))
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def prepare(database_url: str, trainees: int):
    """Migrate, sync content/, create the body with its certificate look, the class, its test and passes."""
    from sqlalchemy import insert, select

    from lms import create_app
    from lms.auth.models import Role, User
    from lms.certificates.models import BodyCertificateSettings
    from lms.certificates.settings.services import store_image
    from lms.classes.models import Enrolment, TrainingClass
    from lms.classes.services import new_class_code
    from lms.content_sync import sync_content
    from lms.courses.models import Course
    from lms.db import get_session, utcnow
    from lms.migrate import upgrade
    from lms.organisations.services import create_body
    from lms.quizzes.models import Attempt, AttemptState, Quiz, QuizOpening
    from lms.text import clean_line, fold

    upgrade(database_url)
    app = create_app({"DATABASE_URL": database_url, "LOG_LEVEL": "WARNING", "SECRET_KEY": secrets.token_hex(16),
                      "PUBLIC_BASE_URL": "https://lms.tiengiang.gov.vn"})
    with app.app_context():
        session = get_session()
        sync_content(session, app.config["CONTENT_DIR"], now=utcnow())
        course = session.scalar(select(Course).where(Course.slug == COURSE_SLUG))
        quiz = session.scalar(select(Quiz).where(Quiz.course_id == course.id, Quiz.slug == TEST_SLUG))
        body = create_body(session, name="Sở Khoa học và Công nghệ tỉnh Tiền Giang", short_name="STTG")
        session.add(BodyCertificateSettings(
            organising_body_id=body.id, issue_place="Tiền Giang", signer_title="KT. Giám đốc | Phó Giám đốc",
            signer_name="Đặng Kim Lợi", **{f"{kind}_sha256": store_image(session, _picture(kind), kind)
                                           for kind in ("logo", "signature", "seal")}))
        now = utcnow()
        rows = []
        for index in range(1, trainees + 1):
            name = clean_line(f"{FAMILY[index % 10]} {MIDDLE[index % 8]} {GIVEN[(index * 7) % 11]}")
            rows.append({"username": f"hocvien.{index:05d}", "email": None, "phone": None, "password_hash": "x",
                         "role": Role.TRAINEE.value, "full_name": name, "full_name_folded": fold(name),
                         "position": "Công chức", "organising_body_id": body.id, "active": True,
                         "must_change_password": False, "session_token": secrets.token_urlsafe(24), "created_at": now})
        session.execute(insert(User), rows)
        user_ids = list(session.scalars(select(User.id).where(User.username.like("hocvien.%"))))
        training_class = TrainingClass(name="ISO 9001:2015 – lớp đo tải", code=new_class_code(), course_id=course.id,
                                       organising_body_id=body.id, starts_on=now.date(), ends_on=now.date())
        session.add(training_class)
        session.flush()
        session.execute(insert(Enrolment), [{"class_id": training_class.id, "user_id": uid, "enrolled_at": now}
                                            for uid in user_ids])
        opening = QuizOpening(quiz_id=quiz.id, class_id=training_class.id, opens_at=now - timedelta(hours=3),
                              closes_at=now - timedelta(hours=1))
        session.add(opening)
        session.flush()
        session.execute(insert(Attempt), [
            {"quiz_id": quiz.id, "opening_id": opening.id, "user_id": uid, "number": 1, "state": AttemptState.CLOSED,
             "started_at": now - timedelta(hours=2), "deadline_at": now - timedelta(hours=1, minutes=30),
             "closed_at": now - timedelta(hours=1, minutes=40), "seed": uid, "score": 24, "max_score": 30,
             "percent": 80.0, "passed": True} for uid in user_ids])
        session.commit()
    return app, training_class.code


def issue_all(app, class_code: str) -> tuple[float, int]:
    from sqlalchemy import select

    from lms.certificates.eligibility import class_eligibility
    from lms.certificates.models import IssueMode
    from lms.certificates.records import issue_certificate
    from lms.classes.models import TrainingClass
    from lms.db import get_session, utcnow, write_intent

    with app.app_context():
        write_intent.set(True)
        session = get_session()
        began = time.perf_counter()
        training_class = session.scalar(select(TrainingClass).where(TrainingClass.code == class_code))
        now = utcnow()
        issued = 0
        for row in class_eligibility(session, training_class, now):
            if row.eligible:
                issue_certificate(session, training_class=training_class, trainee=row.user, actor_id=None,
                                  mode=IssueMode.BULK, now=now, secret=app.config["SECRET_KEY"],
                                  base_url=app.config["PUBLIC_BASE_URL"], eligibility=row)
                issued += 1
        session.commit()
        return time.perf_counter() - began, issued


def render_all(app, class_code: str) -> tuple[float, list[str], int]:
    from sqlalchemy import select

    from lms.certificates import documents
    from lms.certificates.models import Certificate
    from lms.certificates.qr import qr_shape
    from lms.classes.models import TrainingClass
    from lms.db import get_session

    with app.app_context():
        session = get_session()
        class_id = session.scalar(select(TrainingClass.id).where(TrainingClass.code == class_code))
        certificates = list(session.scalars(select(Certificate).where(Certificate.class_id == class_id)))
        qr_shape.cache_clear()
        began = time.perf_counter()
        size = 0
        for certificate in certificates:
            size += len(documents.certificate_pdf(session, certificate, base_url=app.config["PUBLIC_BASE_URL"]))
        session.commit()
        elapsed = time.perf_counter() - began
        from lms.certificates.payload import qr_text

        texts = [qr_text(c, documents.issued_base_url(session, c, app.config["PUBLIC_BASE_URL"])) for c in certificates]
        return elapsed, texts, size // max(1, len(certificates))


def render_bare(texts: list[str]) -> float:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from lms.certificates.qr import draw_qr, qr_shape

    qr_shape.cache_clear()
    began = time.perf_counter()
    for text in texts:
        output = io.BytesIO()
        canvas = Canvas(output, pagesize=landscape(A4), invariant=1, pageCompression=1)
        draw_qr(canvas, text, x=38, y=34, size=47 * mm)
        canvas.showPage()
        canvas.save()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lms-bench-certificates-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        began = time.perf_counter()
        app, class_code = prepare(database_url, args.trainees)
        setup = time.perf_counter() - began
        issue_seconds, issued = issue_all(app, class_code)
        render_seconds, texts, average_bytes = render_all(app, class_code)
        bare_seconds = render_bare(texts)
    rendered_rate, bare_rate = issued / render_seconds, issued / bare_seconds
    figures = {
        "trainees": args.trainees, "issued": issued, "setup_s": round(setup, 2), "issue_s": round(issue_seconds, 2),
        "render_s": round(render_seconds, 2), "issue_and_render_s": round(issue_seconds + render_seconds, 2),
        "pdf_per_s": round(rendered_rate, 1), "bare_per_s": round(bare_rate, 1),
        "ratio_to_bare": round(rendered_rate / bare_rate, 3), "average_pdf_bytes": average_bytes,
        "target_total_s": 18 * args.trainees / 1000, "target_ratio": 0.5,
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(f"set-up {setup:.1f} s (not measured)")
    print(f"issue  {issued} certificates in {issue_seconds:.2f} s")
    print(f"render {issued} PDFs in {render_seconds:.2f} s: {rendered_rate:.1f} PDFs/s, "
          f"{average_bytes // 1024} KB each")
    print(f"bare   {len(texts)} pages with the same QR in {bare_seconds:.2f} s: {bare_rate:.1f} pages/s")
    print(f"issue + render: {issue_seconds + render_seconds:.2f} s (target < {figures['target_total_s']:.0f} s); "
          f"rendering at {rendered_rate / bare_rate:.0%} of the bare rate (target ≥ 50 %)")


if __name__ == "__main__":
    main()
