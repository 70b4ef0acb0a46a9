"""GIFT $CATEGORY fidelity: categories become the module and tags, the preview shows how, export writes them back."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from lms.db import utcnow
from lms.quizzes.authoring import banks, transfer
from lms.quizzes.authoring.formats.gift.categories import (
    CourseModule,
    category_path,
    category_segments,
    map_category,
)
from lms.quizzes.authoring.formats.gift.reading import read_gift
from lms.quizzes.models import Question
from lms.quizzes.questions import QuestionType
from tests.factories import load_fixture_content
from tests.quizzes.authoring.bank_helpers import upload_preview

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "gift" / "vietnamese-nfd-categories.gift.txt"
FIRST = "$course$/top/Mặc định cho ISO 9001/Học phần một/Khái niệm cơ bản"
SECOND = "$course$/top/Mặc định cho ISO 9001/Học phần hai/Thực hành PDCA"
GIFT_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE, QuestionType.SHORT,
              QuestionType.NUMERIC, QuestionType.MATCHING}
NOW = utcnow()
MODULES = [CourseModule("hoc-phan-mot", ("Học phần một", "Module one")),
           CourseModule("hoc-phan-hai", ("Học phần hai", "Module two"))]


@pytest.fixture
def course(db_session, app_ctx):
    with force_locale("en"):
        yield load_fixture_content(db_session)


def test_the_fixture_is_typed_in_nfd_and_holds_every_gift_type():
    raw = FIXTURE.read_text(encoding="utf-8")
    assert raw != unicodedata.normalize("NFC", raw) and "Mặc định" not in raw  # decomposed marks
    items, problems = read_gift(raw)
    assert problems == [] and {item.question.type for item in items} == GIFT_TYPES
    assert [item.category for item in items] == [FIRST] * 3 + [SECOND] * 3  # read back in NFC


def test_a_category_maps_onto_module_and_tags():
    mapping = map_category(FIRST, MODULES, roots=["Câu hỏi bổ sung"])
    assert (mapping.module, mapping.tags) == ("hoc-phan-mot", ("khai-niem-co-ban",))
    assert mapping.ignored == ("$course$", "top", "Mặc định cho ISO 9001")
    # a short name or a title without marks names the module too; the deepest module wins, the bank is a root
    assert map_category("Câu hỏi bổ sung/hoc-phan-mot/Hoc phan hai/PDCA", MODULES, ["Câu hỏi bổ sung"]).module \
        == "hoc-phan-hai"
    assert map_category("Câu hỏi bổ sung/hoc-phan-mot/Hoc phan hai", MODULES, ["Câu hỏi bổ sung"]).tags \
        == ("hoc-phan-mot",)
    nothing = map_category("$system$/top/Default for System/Lịch sử", MODULES)
    assert (nothing.module, nothing.tags) == (None, ("lich-su",))
    assert category_segments("A//B/C") == ["A/B", "C"] and category_path(["A/B", "C"]) == "A//B/C"


def test_import_keeps_categories_as_module_and_tags(db_session, course):
    bank = banks.create_bank(db_session, course, slug="iso", title="Câu hỏi bổ sung", body_id=None)
    preview = transfer.check_import(db_session, bank, transfer.preview_import(FIXTURE.read_bytes(), "iso.gift",
                                                                              module="hoc-phan-hai"))
    assert preview.blocking == []
    assert [(m.category, m.module, m.tags, count) for m, count in preview.mappings] == [
        (FIRST, "hoc-phan-mot", ("khai-niem-co-ban",), 3), (SECOND, "hoc-phan-hai", ("thuc-hanh-pdca",), 3)]
    assert preview.new_tags == {"khai-niem-co-ban", "thuc-hanh-pdca", "iso-9001"}
    assert transfer.commit_import(db_session, bank, preview, now=NOW) == 6
    rows = {row.key: row for row in banks.bank_questions(db_session, bank)}
    assert rows["nfd-mot-lua-chon"].module == "hoc-phan-mot" and rows["nfd-ghep-cap"].module == "hoc-phan-hai"
    assert rows["nfd-nhieu-lua-chon"].tags == ["iso-9001", "khai-niem-co-ban"]  # its own tag first
    assert rows["nfd-so"].tags == ["thuc-hanh-pdca"] and rows["nfd-so"].data["category"] == SECOND
    stem = rows["nfd-mot-lua-chon"].stem
    assert stem == unicodedata.normalize("NFC", stem) and "bối cảnh" in stem
    # the stored tags are new tags of the course now: a second file with them does not call them new
    again = transfer.check_import(db_session, bank, transfer.preview_import(FIXTURE.read_bytes(), "iso.gift"))
    assert again.new_tags == frozenset()


def test_a_question_s_own_module_comment_wins_over_its_category(db_session, course):
    bank = banks.create_bank(db_session, course, slug="iso", title="Bổ sung", body_id=None)
    text = f"$CATEGORY: {FIRST}\n\n// [module:hoc-phan-hai]\n::k1:: Câu có chú thích học phần riêng? {{T}}\n"
    preview = transfer.check_import(db_session, bank, transfer.preview_import(text.encode(), "a.gift"))
    assert [(q.module, q.tags) for q in preview.questions] == [("hoc-phan-hai", ["khai-niem-co-ban"])]


def test_export_writes_the_categories_back_and_a_round_trip_keeps_them(db_session, course):
    bank = banks.create_bank(db_session, course, slug="iso", title="Câu hỏi bổ sung", body_id=None)
    transfer.commit_import(db_session, bank, transfer.preview_import(FIXTURE.read_bytes(), "iso.gift"), now=NOW)
    exported = transfer.export_gift(db_session, bank).text
    assert exported.count("$CATEGORY:") == 2
    assert f"$CATEGORY: {FIRST}\n" in exported and f"$CATEGORY: {SECOND}\n" in exported
    first = {item.question.key: item for item in read_gift(FIXTURE.read_text(encoding="utf-8"))[0]}
    again = {item.question.key: item for item in read_gift(exported)[0]}
    assert {k: i.category for k, i in again.items()} == {k: i.category for k, i in first.items()}
    # the questions taken out and the export imported again: the same modules, tags and categories
    originals = {row.key: (row.module, row.tags, row.data["category"]) for row in banks.bank_questions(db_session, bank)}
    for row in banks.bank_questions(db_session, bank):
        db_session.delete(row)
    db_session.flush()
    transfer.commit_import(db_session, bank, transfer.preview_import(exported.encode(), "b.gift"), now=NOW)
    assert {row.key: (row.module, row.tags, row.data["category"])
            for row in banks.bank_questions(db_session, bank)} == originals


def test_a_web_question_is_exported_under_its_bank_and_module_and_maps_back(db_session, course):
    bank = banks.create_bank(db_session, course, slug="iso", title="Câu hỏi bổ sung", body_id=None)
    transfer.commit_import(db_session, bank, transfer.preview_import(
        b"// [module:hoc-phan-hai]\n::web-1:: Cau hoi tren web? {T}\n", "a.gift"), now=NOW)
    db_session.scalar(select(Question).where(Question.key == "web-1")).data.pop("category", None)
    exported = transfer.export_gift(db_session, bank).text
    assert exported.startswith("$CATEGORY: Câu hỏi bổ sung/Học phần hai\n")
    mapping = transfer.check_import(db_session, bank, transfer.preview_import(exported.encode(), "b.gift")).mappings
    assert [(m.module, m.tags) for m, _ in mapping] == [("hoc-phan-hai", ())]


# --------------------------------------------------------------------------- the preview page


def test_preview_page_shows_which_category_becomes_which_module_and_tags(trainer_bank):
    client, bank_id = trainer_bank
    html = upload_preview(client, bank_id, FIXTURE.read_bytes(), "iso.gift").get_data(as_text=True)
    assert "Các nhóm câu hỏi (category) trong tệp" in html
    for category, module, tag in ((FIRST, "hoc-phan-mot", "khai-niem-co-ban"),
                                  (SECOND, "hoc-phan-hai", "thuc-hanh-pdca")):
        row = html[html.index(f"<code>{category}</code>"):]
        row = row[:row.index("</tr>")]
        assert f"<code>{module}</code>" in row and f"<code>{tag}</code> (thẻ mới)" in row
        assert "Mặc định cho ISO 9001" in row
    assert 'value="confirm"' in html
