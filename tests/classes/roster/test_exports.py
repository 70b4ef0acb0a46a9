"""A trainee named like a formula (=HYPERLINK(...)) is imported as text and neutralised in every export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from lms.classes.roster.importing import import_roster
from lms.classes.roster.preview import build_preview
from lms.classes.roster.printing import SlipLabels, render_slips
from lms.classes.roster.reading import read_roster
from lms.classes.roster.slips import issue_first_passwords
from lms.quizzes.models import Attempt, Quiz, QuizOpening
from lms.quizzes.results.exports import results_csv, results_xlsx
from lms.quizzes.results.reports import ResultRow
from tests.classes.roster.helpers import TODAY, csv_bytes, person, roster_world, xlsx

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
FORMULA = '=HYPERLINK("http://evil.example/?x=1","Bấm vào đây")'
LABELS = SlipLabels("Lớp", "Địa chỉ", "Tên đăng nhập", "Mật khẩu lần đầu", "Đổi mật khẩu")


@pytest.fixture
def world(app_ctx, db_session):
    return roster_world(db_session)


@pytest.mark.parametrize("make_file, filename", [(xlsx, "ds.xlsx"), (csv_bytes, "ds.csv")])
def test_a_formula_name_is_text_in_every_export(world, db_session, make_file, filename):
    data = make_file([person(FORMULA, born="02/11/1985", phone="0912000111"),
                      person("+84 Lê <b>Văn</b> An", born="03/11/1985", phone="0912000112")])
    preview = build_preview(db_session, world["class"], read_roster(data, filename), today=TODAY)
    assert preview.ok and preview.rows[0].full_name.startswith("=")
    created = import_roster(db_session, world["class"], preview, actor_id=None, filename=filename, now=NOW).created
    trainee = created[0]

    quiz = db_session.scalar(select(Quiz).where(Quiz.course_id == world["course"].id))
    opening = QuizOpening(quiz_id=quiz.id, class_id=world["class"].id, opens_at=NOW, closes_at=NOW + timedelta(hours=1))
    db_session.add(opening)
    db_session.flush()
    attempt = Attempt(quiz_id=quiz.id, opening_id=opening.id, user_id=trainee.id, number=1, state="closed",
                      started_at=NOW, deadline_at=NOW + timedelta(minutes=30), closed_at=NOW + timedelta(minutes=20),
                      close_reason="submitted", seed=1, score=20, max_score=30, percent=66.7, passed=True)
    db_session.add(attempt)
    db_session.flush()
    rows = [ResultRow(attempt, world["class"].name, True)]

    text = results_csv(rows, "Asia/Ho_Chi_Minh").decode("utf-8-sig")
    name_cell = list(csv.reader(io.StringIO(text)))[1][1]
    assert name_cell == "'" + trainee.full_name
    cell = load_workbook(io.BytesIO(results_xlsx(rows, "Asia/Ho_Chi_Minh"))).active["B2"]
    assert cell.value == trainee.full_name and cell.data_type == "s" and cell.quotePrefix

    slips = issue_first_passwords(db_session, world["class"], actor_id=world["organiser"].id, now=NOW)
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(
        render_slips(slips, site_url="https://daotao.example.vn", labels=LABELS))).pages)
    assert "=Hyperlink(" in pdf_text or "=hyperlink(" in pdf_text
