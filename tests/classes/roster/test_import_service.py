"""Roster import: reading files, every kind of row problem, normalisation, and the all-or-nothing commit."""

from __future__ import annotations

import io
import time
import unicodedata
import zipfile
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth.models import Gender, User
from lms.classes.models import Enrolment
from lms.classes.roster.importing import import_roster
from lms.classes.roster.preview import CREATE_NEW, RowChoice, build_preview
from lms.classes.roster.reading import RosterFileError, read_roster
from lms.errors import RuleViolation
from tests.classes.roster.helpers import TODAY, csv_bytes, eighty_people, encode_cp1258, person, roster_world, xlsx

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.fixture
def world(app_ctx, db_session):
    return roster_world(db_session)


def preview_of(session, world, data, filename="ds.xlsx", choices=None):
    return build_preview(session, world["class"], read_roster(data, filename), today=TODAY, choices=choices)


def problems(preview) -> dict[int, list[str]]:
    return {row.number: row.problems for row in preview.rows if row.problems}


def test_a_good_file_imports_every_row_normalised(world, db_session):
    nfd_name = unicodedata.normalize("NFD", "NGUYỄN văn  an")
    data = xlsx([person(nfd_name, born="2/11/85", phone="912345678", email="An@Example.VN", zoom="z@example.vn"),
                 person("trần THỊ   bình", born=date(1979, 1, 31), gender="nữ", unit="ubnd xa an phu"),
                 person("Lê Hoà", born=32000, gender="", unit="")])
    preview = preview_of(db_session, world, data)
    assert preview.ok, problems(preview)
    first, second, third = preview.rows
    assert (first.number, first.full_name, first.date_of_birth) == (2, "Nguyễn Văn An", date(1985, 11, 2))
    assert unicodedata.is_normalized("NFC", first.full_name)
    assert (first.phone, first.email, first.gender) == ("0912345678", "an@example.vn", Gender.MALE)
    assert (second.full_name, second.gender, second.unit.id) == ("Trần Thị Bình", Gender.FEMALE, world["commune"].id)
    assert third.date_of_birth == date(1987, 8, 11) and third.unit is None
    result = import_roster(db_session, world["class"], preview, actor_id=world["organiser"].id, filename="ds.xlsx", now=NOW)
    assert [u.username for u in result.created] == ["annv", "binhtt", "hoal"]
    assert all(u.must_change_password for u in result.created)
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.user_id == result.created[0].id))
    assert enrolment.zoom_email == "z@example.vn" and enrolment.class_id == world["class"].id
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "roster.import"))
    assert entry.after["accounts_created"] == 3 and entry.actor_id == world["organiser"].id


def test_csv_with_and_without_bom_and_in_windows_1258(world, db_session):
    rows = [person("Đặng Thị Hương", unit="UBND xã An Phú")]
    for data in (csv_bytes(rows), csv_bytes(rows, encoding="utf-8"), csv_bytes(rows, delimiter=";"),
                 csv_bytes(rows, encoding="cp1258")):
        preview = preview_of(db_session, world, data, "ds.csv")
        assert preview.ok, problems(preview)
        assert preview.rows[0].full_name == "Đặng Thị Hương"


def test_english_headers_are_accepted(world, db_session):
    headers = ("Full name", "Date of birth", "Gender", "Work unit", "Position", "Phone", "Email", "Zoom email")
    preview = preview_of(db_session, world, xlsx([person()], headers=headers))
    assert preview.ok and preview.rows[0].unit.id == world["commune"].id


def test_every_kind_of_row_problem_is_listed_with_its_spreadsheet_row(world, db_session):
    data = xlsx([
        person(""),                                                   # row 2: missing name
        person("Võ Văn Bảy", born="31/02/1990"),                      # row 3: impossible date
        person("Võ Văn Tám", born="hôm qua"),                         # row 4: not a date
        person("Võ Văn Chín", unit="UBND xa An Phu Moi"),             # row 5: unknown unit
        person("Võ Văn Mười", email="muoi@example.vn"),               # row 6
        person("Võ  văn mười", email="MUOI@example.vn"),              # row 7: duplicate of row 6
        person("Võ Văn Một", gender="không rõ", phone="12ab"),        # row 8: gender, phone
        person("Võ Văn Hai", email="tuan@example.vn"),                # row 9: another body's account
        person("Võ Văn Ba", born="01/01/2030"),                       # row 10: future birth
    ])
    found = problems(preview_of(db_session, world, data))
    assert set(found) == {2, 3, 4, 5, 7, 8, 9, 10}
    assert "thiếu họ và tên" in found[2][0]
    assert "không tồn tại" in found[3][0] and "không phải là ngày" in found[4][0]
    assert "không tìm thấy đơn vị" in found[5][0] and "dòng 6" in found[7][0]
    assert len(found[8]) == 2 and "không thể ghi danh" in found[9][0] and "không thể đúng" in found[10][0]


def test_unknown_unit_offers_the_closest_current_units_and_a_choice_resolves_it(world, db_session):
    data = xlsx([person(unit="UBND xa An Phu Moi")])
    row = preview_of(db_session, world, data).rows[0]
    assert world["commune"] in row.unit_suggestions
    chosen = preview_of(db_session, world, data, choices={2: RowChoice(unit_id=world["commune"].id)})
    assert chosen.ok and chosen.rows[0].unit.id == world["commune"].id


def test_a_former_unit_maps_to_its_successor_with_a_note(world, db_session):
    row = preview_of(db_session, world, xlsx([person(unit="UBND huyện Cũ")])).rows[0]
    assert not row.problems and row.unit.id == world["ward"].id
    assert "Bình Minh" in row.notes[0]


def test_an_existing_account_is_found_by_email_phone_or_name_and_birth_date(world, db_session):
    data = xlsx([person("Lê Thị Thu", email="THU@example.vn", born=""), person("Lê Thị Thu", phone="+84987654321",
                 born="", email="x@example.vn")])
    preview = preview_of(db_session, world, data)
    assert problems(preview) == {3: [problems(preview)[3][0]]}  # row 3 repeats row 2's person (same account)
    by_name = preview_of(db_session, world, xlsx([person("LÊ THỊ THU", born="04/05/1990")]))
    row = by_name.rows[0]
    assert by_name.ok and row.existing.id == world["trainee"].id and row.use_existing and row.existing_by_name_only
    result = import_roster(db_session, world["class"], by_name, actor_id=world["organiser"].id, filename="x", now=NOW)
    assert result.created == [] and result.reused == 1
    again = preview_of(db_session, world, xlsx([person("LÊ THỊ THU", born="04/05/1990")]),
                       choices={2: RowChoice(account=CREATE_NEW)})
    assert not again.rows[0].use_existing


def test_commit_is_refused_while_any_row_has_a_problem_and_writes_nothing(world, db_session):
    preview = preview_of(db_session, world, xlsx([person("Võ Văn Bảy"), person("")]))
    before = db_session.scalar(select(func.count()).select_from(User))
    with pytest.raises(RuleViolation):
        import_roster(db_session, world["class"], preview, actor_id=world["organiser"].id, filename="x", now=NOW)
    assert db_session.scalar(select(func.count()).select_from(User)) == before


def test_user_names_stay_unique_and_readable(world, db_session):
    preview = preview_of(db_session, world, xlsx([person("Nguyễn Văn An", born="01/01/1980"),
                                                  person("Ngô Văn An", born="01/01/1981"), person("Ý", born="")]))
    created = import_roster(db_session, world["class"], preview, actor_id=world["organiser"].id, filename="x", now=NOW).created
    assert [u.username for u in created] == ["annv", "annv2", "yhv"]


@pytest.mark.parametrize("data, filename, message", [
    (b"", "ds.xlsx", "trống"),
    (b"%PDF-1.4 not a sheet", "ds.xlsx", "Excel"),
    (b"PK\x03\x04broken", "ds.xlsx", "Excel"),
    (b"\xd0\xcf\x11\xe0old", "ds.xls", ".xls"),
    (b"just,some,words\n1,2,3\n", "ds.csv", "tiêu đề"),
    (b"\x00\x01binary", "ds.csv", "CSV"),
    (b"anything", "ds.pdf", ".xlsx"),
])
def test_unusable_files_are_refused_with_a_clear_message(app_ctx, data, filename, message):
    with pytest.raises(RosterFileError, match=message):
        read_roster(data, filename)


def test_a_header_only_file_is_refused(app_ctx):
    with pytest.raises(RosterFileError, match="không có dòng học viên"):
        read_roster(xlsx([]), "ds.xlsx")


def test_more_rows_than_the_limit_are_refused(app_ctx):
    with pytest.raises(RosterFileError, match="2000"):
        read_roster(csv_bytes([person(f"Người {i}") for i in range(2001)]), "ds.csv")


def test_two_thousand_rows_preview(world, db_session):
    rows = [person(f"Nguyễn Văn {i}", born=f"01/01/{1960 + i % 40}", phone=f"09{i:08d}") for i in range(2000)]
    started = time.monotonic()
    preview = preview_of(db_session, world, xlsx(rows))
    assert len(preview.rows) == 2000 and preview.ok
    print(f"2,000-row preview: {time.monotonic() - started:.2f} s")


def test_eighty_trainees_import(world, db_session):
    preview = preview_of(db_session, world, xlsx(eighty_people()))
    assert preview.ok, problems(preview)
    result = import_roster(db_session, world["class"], preview, actor_id=world["organiser"].id, filename="x", now=NOW)
    assert len(result.created) == 80 and len({u.username for u in result.created}) == 80


def test_a_spreadsheet_bomb_is_refused_before_it_is_unpacked(app_ctx):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (25 * 1024 * 1024))
    assert len(out.getvalue()) < 100_000
    with pytest.raises(RosterFileError, match="MB"):
        read_roster(out.getvalue(), "ds.xlsx")


def test_an_xlsx_with_too_many_rows_is_refused(app_ctx):
    with pytest.raises(RosterFileError, match="2000"):
        read_roster(xlsx([person(f"Người {i}") for i in range(2001)]), "ds.xlsx")


def test_a_title_row_above_the_header_keeps_the_spreadsheet_row_numbers(world, db_session):
    data = csv_bytes([("Họ và tên", "Ngày sinh"), ("", "31/02/1990")], headers=("DANH SÁCH HỌC VIÊN", ""))
    preview = preview_of(db_session, world, data, "ds.csv")
    assert problems(preview).keys() == {3}


def test_windows_1252_is_recognised_when_no_vietnamese_letter_appears(app_ctx):
    from lms.classes.roster.reading import decode_csv

    assert decode_csv("José Müller".encode("cp1252")) == "José Müller"
    assert unicodedata.normalize("NFC", decode_csv(encode_cp1258("Đặng Thị Hương"))) == "Đặng Thị Hương"
