"""Building roster files (xlsx, csv) and a small world (two bodies, units, a class) for the roster tests."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date

from openpyxl import Workbook

from lms.auth.models import Role
from lms.classes.roster.reading import TEMPLATE_HEADERS
from lms.text import set_xlsx_text
from tests.factories import load_fixture_content, make_body, make_class, make_unit, make_user

TODAY = date(2026, 12, 7)


def xlsx(rows, headers=TEMPLATE_HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row_number, row in enumerate([headers, *rows], start=1):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):  # as typed in Excel: text, "=..." included (a real formula has no value here)
                set_xlsx_text(sheet.cell(row=row_number, column=column), value)
            elif value is not None:
                sheet.cell(row=row_number, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=TEMPLATE_HEADERS, encoding="utf-8-sig", delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([headers, *rows])
    text = buffer.getvalue()
    return encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with their own code (ơ, ư, ă, â, ê, ô, đ) plus a
    combining tone mark."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            letter_marks = "".join(m for m in decomposed[1:] if m in "\u0306\u0302\u031b")
            tones = "".join(m for m in decomposed[1:] if m not in letter_marks)
            out += unicodedata.normalize("NFC", decomposed[0] + letter_marks).encode("cp1258") + tones.encode("cp1258")
    return out


def person(name="Nguyễn Văn An", born="02/11/1985", gender="Nam", unit="UBND xã An Phú", position="Chuyên viên",
           phone="", email="", zoom=""):
    return (name, born, gender, unit, position, phone, email, zoom)


def eighty_people() -> list[tuple]:
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    given = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hương", "Khánh", "Lan", "Minh"]
    return [person(f"{family[i % 8]} Thị {given[i // 8]}", f"{1 + i % 28:02d}/0{1 + i % 9}/19{70 + i % 25}",
                   "Nữ", "UBND xã An Phú", phone=f"09{i:08d}") for i in range(80)]


def roster_world(session):
    """Units (a current commune, a current ward, a former district merged into the ward), two bodies, a class."""
    course = load_fixture_content(session)
    body, other = make_body(session), make_body(session)
    commune = make_unit(session, "UBND xã An Phú", "commune")
    ward = make_unit(session, "UBND phường Bình Minh", "ward")
    make_unit(session, "UBND huyện Cũ", "district", valid_to=date(2025, 7, 1), successor_id=ward.id)
    organiser = make_user(session, Role.ORGANISER, body=body, full_name="Nguyễn Văn Hải", username="btc1")
    world = {
        "course": course, "body": body, "other": other, "commune": commune, "ward": ward, "organiser": organiser,
        "admin": make_user(session, Role.ADMIN, username="quantri"),
        "other_organiser": make_user(session, Role.ORGANISER, body=other, username="btc2"),
        "trainer": make_user(session, Role.TRAINER, body=body, username="gv1"),
        "trainee": make_user(session, body=body, full_name="Lê Thị Thu", username="thult",
                             email="thu@example.vn", phone="0987654321", date_of_birth=date(1990, 5, 4)),
        "far_trainee": make_user(session, body=other, full_name="Phạm Minh Tuấn", username="tuanpm",
                                 email="tuan@example.vn"),
    }
    world["class"] = make_class(session, body=body, course=course, trainers=[world["trainer"]])
    world["other_class"] = make_class(session, body=body, course=course)
    world["far_class"] = make_class(session, body=other, course=course)
    return world
