"""Readable numbers on the results pages, trainees who never sat, capped extra time, trainers' own exports."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from openpyxl import load_workbook

from lms.auth.models import Role
from lms.quizzes.models import QuizOpening
from tests.conftest import login, post_form
from tests.factories import make_class, make_user
from tests.quizzes.results.test_views import take


def test_scores_and_durations_are_readable(app, client, db_session, exam):
    attempt = take(app, db_session, exam, exam.trainee)
    attempt.score, attempt.max_score, attempt.percent = 16 / 3, 30.0, 100 * 16 / 90
    attempt.closed_at = attempt.started_at + timedelta(minutes=12, seconds=40)
    db_session.commit()
    login(client, exam.organiser.username)
    html = client.get(f"/quizzes/{exam.quiz.id}/attempts").get_data(as_text=True)
    assert "5,33/30 (17,8 %)" in html and "12 phút 40 giây" in html and "5.3333" not in html
    assert "60 %" in html.split('class="muted"')[1]
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "5,33/30 (17,8 %)" in review


def test_those_who_never_started_are_listed_and_count_in_the_pass_rate(app, client, db_session, exam):
    take(app, db_session, exam, exam.trainee)  # every answer right: passes
    login(client, exam.trainer.username)
    html = client.get(f"/quizzes/{exam.quiz.id}/attempts").get_data(as_text=True)
    not_sat_row = html.split('class="row-not-sat"')[1].split("</tr>")[0]
    assert "Lê Thị Bình" in not_sat_row and "Chưa thi" in not_sat_row
    summary = html.split('id="pass-rate"')[1].split("</p>")[0]
    assert "Đạt: 1/2 học viên (50 %); đã làm bài: 1; chưa thi: 1." in summary


def test_capped_extra_time_is_said(app, client, db_session, exam):
    attempt = take(app, db_session, exam, exam.trainee, submit=False)
    opening = db_session.get(QuizOpening, exam.opening.id)
    opening.closes_at = attempt.started_at + timedelta(minutes=16)  # time limit 10: 6 extra minutes fit
    db_session.commit()
    login(client, exam.trainer.username)
    response = post_form(client, f"/quizzes/{exam.quiz.id}/overrides",
                         {"user_id": exam.trainee.id, "extra_minutes": "15", "extra_attempts": "0", "reason": ""},
                         follow_redirects=True)
    html = response.get_data(as_text=True)
    closes = (opening.closes_at + timedelta(hours=7)).strftime("%H:%M")
    assert f"15 phút, chỉ cho được 6 phút: khung giờ làm bài đóng lúc {closes}" in html


def test_extra_time_that_fits_says_nothing_more(app, client, db_session, exam):
    take(app, db_session, exam, exam.trainee, submit=False)
    login(client, exam.trainer.username)
    response = post_form(client, f"/quizzes/{exam.quiz.id}/overrides",
                         {"user_id": exam.trainee.id, "extra_minutes": "15", "extra_attempts": "0", "reason": ""},
                         follow_redirects=True)
    assert "chỉ cho được" not in response.get_data(as_text=True)


def test_trainers_export_their_own_classes_without_dates_of_birth(app, client, db_session, exam):
    exam.trainee.date_of_birth = date(1985, 11, 2)
    body = exam.training_class.organising_body
    other_trainer = make_user(db_session, Role.TRAINER, body=body, username="gv.lop.khac")
    stranger = make_user(db_session, Role.TRAINEE, body=body, username="hv.lop.khac", full_name="Hoàng Văn Dũng")
    other_class = make_class(db_session, body=body, course=exam.training_class.course, trainers=[other_trainer],
                             trainees=[stranger])
    db_session.add(QuizOpening(quiz_id=exam.quiz.id, class_id=other_class.id, opens_at=exam.opening.opens_at,
                               closes_at=exam.opening.closes_at))
    db_session.commit()
    take(app, db_session, exam, exam.trainee)
    take(app, db_session, exam, stranger)
    login(client, exam.trainer.username)
    page = client.get(f"/quizzes/{exam.quiz.id}/attempts").get_data(as_text=True)
    assert f"/quizzes/{exam.quiz.id}/export.xlsx" in page and "Hoàng Văn Dũng" not in page
    rows = list(csv.reader(io.StringIO(client.get(f"/quizzes/{exam.quiz.id}/export.csv").data.decode("utf-8-sig"))))
    assert "Ngày sinh" not in rows[0] and "02/11/1985" not in str(rows)
    assert [row[1] for row in rows[1:]] == ["Nguyễn Văn An", "Lê Thị Bình"]
    assert rows[2][rows[0].index("Kết quả")] == "Chưa thi"
    sheet = load_workbook(io.BytesIO(client.get(f"/quizzes/{exam.quiz.id}/export.xlsx").data)).active
    assert "Ngày sinh" not in [cell.value for cell in sheet[1]] and sheet.max_row == 3
    assert client.get(f"/quizzes/{exam.quiz.id}/export.csv?class_id={other_class.id}").status_code == 404
    post_form(client, "/logout")
    login(client, exam.organiser.username)
    rows = list(csv.reader(io.StringIO(client.get(f"/quizzes/{exam.quiz.id}/export.csv").data.decode("utf-8-sig"))))
    assert rows[0][2] == "Ngày sinh" and "02/11/1985" in str(rows) and "Hoàng Văn Dũng" in str(rows)
