"""Hostile text at the bank pages: control characters refused or dropped, bombs refused, exports that never fail."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.db import utcnow
from lms.quizzes.authoring import banks
from lms.quizzes.authoring.formats.excel import COLUMNS, SHEET, write_excel
from lms.quizzes.models import Question, QuestionBank
from lms.quizzes.questions import Option, QuestionData, QuestionType
from tests.conftest import fetch_csrf
from tests.factories import replace_in_xlsx
from tests.quizzes.authoring.bank_helpers import upload_preview

HYPERLINK = '=HYPERLINK("http://x","y")'
STEM_COLUMN = list(COLUMNS).index("stem") + 1


def _post(client, url: str, data: dict, **kwargs):
    return client.post(url, data={"csrf_token": fetch_csrf(client), **data}, **kwargs)


def _english(client) -> None:
    _post(client, "/language/en", {"next": "/"})


def test_a_gift_line_with_a_control_character_is_refused_at_its_line(trainer_bank):
    client, bank_id = trainer_bank
    _english(client)
    content = "::a:: Câu một? {T}\n\n::b:: Câu\x00 hai? {F}\n\n::c:: Câu\x1b ba? {T}\n".encode()
    response = upload_preview(client, bank_id, content, "a.gift")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="confirm"' not in html
    assert "line 3: the line holds the control character U+0000" in html
    assert "line 5: the line holds the control character U+001B" in html
    assert "\x00" not in html and "\x1b" not in html


def test_the_preview_shows_the_first_20_problems_and_counts_the_rest(trainer_bank):
    client, bank_id = trainer_bank
    _english(client)
    content = "".join(f"::e{n}:: Tự luận số {n} {{}}\n\n" for n in range(30)).encode()
    html = upload_preview(client, bank_id, content, "many.gift").get_data(as_text=True)
    problems = html[html.index("bank-problems"):]
    problems = problems[:problems.index("</div>")]
    assert problems.count("<li>") == 20 and "line 39:" in problems and "line 41:" not in problems
    assert "…and 10 more problems, not shown." in problems


@pytest.mark.parametrize(("language", "message"), [
    ("en", "The .xlsx file unpacks to 39 MB, more than the 20 MB allowed"),
    ("vi", "Tệp .xlsx khi giải nén có dung lượng 39 MB, vượt mức 20 MB cho phép"),
])
def test_a_spreadsheet_bomb_is_refused_in_the_user_s_language(trainer_bank, language, message):
    client, bank_id = trainer_bank
    if language == "en":
        _english(client)
    question = QuestionData(key="k", type=QuestionType.TRUE_FALSE, stem="BIG", truth=True)
    bomb = replace_in_xlsx(write_excel([question]), b"BIG", b"x" * 40_000_000)
    response = upload_preview(client, bank_id, bomb, "bom.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and "xxxxxxxxxx" not in html


def _stored(db_session, bank_id: int, **changes) -> Question:
    """A question written straight into the database, past every import check (as an old row might be)."""
    bank = db_session.get(QuestionBank, bank_id)
    row = banks.add_question(db_session, bank, QuestionData(
        key="q-1", type=QuestionType.SINGLE, stem="Câu hỏi?", module="hoc-phan-mot", explanation="Vì thế.",
        options=[Option("Có", 100.0), Option("Không")]), now=utcnow())
    row.data = {**row.data, **changes}
    row.stem = row.data["stem"]
    db_session.commit()
    return row


def test_a_question_stored_with_control_characters_still_exports(trainer_bank, db_session):
    client, bank_id = trainer_bank
    _stored(db_session, bank_id, stem="Câu\x01 hỏi\x1b có\ufffe ký tự lạ?", explanation="\x02=1+1",
            options=[{"text": "Có\x07", "weight": 100.0, "feedback": ""}, {"text": "Không", "weight": 0.0,
                                                                          "feedback": "\x08"}])
    xlsx = client.get(f"/banks/{bank_id}/export.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data))[SHEET]
    stem = sheet.cell(row=2, column=STEM_COLUMN)
    assert stem.value == "Câu hỏi có ký tự lạ?"
    gift = client.get(f"/banks/{bank_id}/export.gift")
    assert gift.status_code == 200 and "Câu hỏi có ký tự lạ?" in gift.get_data(as_text=True)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", gift.get_data(as_text=True))


def test_the_bank_export_neutralises_a_formula_stem(trainer_bank, db_session):
    client, bank_id = trainer_bank
    _stored(db_session, bank_id, stem=HYPERLINK)
    sheet = load_workbook(io.BytesIO(client.get(f"/banks/{bank_id}/export.xlsx").data))[SHEET]
    stem = sheet.cell(row=2, column=STEM_COLUMN)
    assert stem.value == HYPERLINK and stem.data_type == "s" and stem.quotePrefix


def test_the_question_editor_drops_control_characters(trainer_bank, db_session):
    client, bank_id = trainer_bank
    text = ("key: q-2\ntype: true_false\nmodule: hoc-phan-mot\nstem: Câu\x01 hỏi\x0bmới\x1f?\nanswer: true\n"
            "explanation: \"Vì\\x00 thế.\"\n")
    response = _post(client, f"/banks/{bank_id}/questions/new", {"text": text, "action": "save"})
    assert response.status_code == 302
    row = db_session.scalar(select(Question).where(Question.key == "q-2"))
    assert (row.stem, row.data["explanation"]) == ("Câu hỏi mới?", "Vì thế.")


def test_every_text_field_of_a_form_drops_control_characters(trainer_bank, db_session):
    client, bank_id = trainer_bank
    response = _post(client, "/banks/new?course=khoa-mau", {"title": "Ngân\x00 hàng\x1b mới", "slug": "moi"})
    assert response.status_code == 302
    assert db_session.scalar(select(QuestionBank.title).where(QuestionBank.slug == "moi")) == "Ngân hàng mới"
