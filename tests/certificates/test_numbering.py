"""Number patterns: validation messages, rendering, {ORG}, and the counter per body and year."""

from __future__ import annotations

import pytest

from lms.certificates import numbering
from lms.certificates.models import BodyCertificateSettings
from lms.errors import RuleViolation
from tests.factories import make_body


@pytest.mark.parametrize(("pattern", "expected"), [
    ("{ORG}-{YYYY}-{SEQ:05}", "STG-2026-00042"), ("{SEQ}/{YYYY}", "42/2026"), ("{SEQ:03}/QĐ-{ORG}", "042/QĐ-STG"),
    ("CC{YY}.{SEQ}", "CC26.42"),
])
def test_render(pattern, expected):
    assert numbering.render(numbering.validate_pattern(pattern), org="STG", year=2026, sequence=42) == expected


@pytest.mark.parametrize(("pattern", "words"), [
    ("", "để trống"), ("{ORG}-{YYYY}", "đúng một lần"), ("{SEQ}-{SEQ}", "đúng một lần"), ("{ORG}-{NUM}", "{NUM}"),
    ("{SEQ:5}", "{SEQ:5}"), ("A{SEQ}}", "chỉ được chứa"), ("A<b>{SEQ}", "chỉ được chứa"),
    ("X" * 60 + "{SEQ}", "dài quá 64"),
])
def test_invalid_patterns_say_why(app_ctx, pattern, words):
    """In the default interface language, Vietnamese."""
    with pytest.raises(RuleViolation) as caught:
        numbering.validate_pattern(pattern)
    assert words in caught.value.message


def test_org_code_falls_back_to_short_name_then_initials(db_session, app_ctx):
    body = make_body(db_session, "Sở Khoa học và Công nghệ tỉnh Đồng Tháp")
    assert numbering.org_code(body, None) == "SKHVCNTDT"
    body.short_name = "Sở KH&CN ĐT"
    assert numbering.org_code(body, None) == "SOKHCNDT"
    assert numbering.org_code(body, BodyCertificateSettings(org_code="stdt")) == "STDT"


def test_counter_counts_per_body_and_year(db_session, app_ctx):
    one, two = make_body(db_session), make_body(db_session)
    settings = BodyCertificateSettings(organising_body_id=one.id, org_code="A")
    db_session.add(settings)
    db_session.flush()
    numbers = [numbering.allocate(db_session, one, settings, 2026).number for _ in range(3)]
    assert numbers == ["A-2026-00001", "A-2026-00002", "A-2026-00003"]
    assert numbering.allocate(db_session, one, settings, 2027).number == "A-2027-00001"
    assert numbering.allocate(db_session, two, None, 2026).sequence == 1
    settings.number_pattern = "{ORG}/{SEQ}"
    assert numbering.allocate(db_session, one, settings, 2027).number == "A/1"  # no year: its own sequence
    assert numbering.allocate(db_session, one, settings, 2028).register_no == "2/2028"
