"""Report numbers against values worked out by hand on the fixture programme (tests/reports/conftest.py).

Lớp Long Thành 2025: An 8/8 passed (certificate ISO-2025-0001), Bình 4/8 failed, Cường never sat.
Lớp Đồng Nai 2026: Dung 6/8 passed (certificate ISO-2026-0002), Em 7,5/8 passed.
"""

from __future__ import annotations

from lms.reports.classes import FAILED, NOT_SAT, PASSED, class_reports
from lms.reports.programme import programme_report
from tests.reports.conftest import NOW


def test_class_report_lines_and_totals(db_session, programme):
    report = class_reports(db_session, [programme.old_class], now=NOW)[0]
    assert [(line.user.full_name, line.unit, line.result, line.score, line.certificate) for line in report.lines] == [
        ("Nguyễn Văn An", "Xã An Phước", PASSED, 8, "ISO-2025-0001"),
        ("Lê Thị Bình", "Phường Bến Thành", FAILED, 4, None),
        ("Trần Văn Cường", "Sở Nội vụ", NOT_SAT, None, None),
    ]
    assert (report.enrolled, report.sat, report.passed, report.certified) == (3, 2, 1, 1)
    assert round(report.pass_rate, 4) == round(100 / 3, 4)


def test_programme_breakdowns(db_session, programme):
    report = programme_report(db_session, [programme.old_class, programme.new_class], date_from=None, date_to=None,
                              commune_label="(không thuộc xã)", district_label="(không thuộc huyện)", now=NOW)
    total = report.total
    assert (total.participants, total.sat, total.passed, total.certified) == (5, 4, 3, 2)
    assert total.pass_rate == 60.0 and total.certified_rate == 40.0
    assert [(g.label, g.participants, g.passed, g.certified) for g in report.by_class] == [
        ("Lớp Long Thành 2025", 3, 1, 1), ("Lớp Đồng Nai 2026", 2, 2, 1)]
    assert [(g.label, g.participants, g.passed) for g in report.by_unit] == [
        ("Phường Bến Thành", 1, 0), ("Sở Nội vụ", 1, 0), ("Xã An Phước", 2, 2), ("—", 1, 1)]
    assert [(g.label, g.participants, g.passed) for g in report.by_commune] == [
        ("Phường Bến Thành", 1, 0), ("Xã An Phước", 2, 2), ("(không thuộc xã)", 2, 1)]
    # Rows without a unit of that level come last. Only the class before 1 July 2025 is counted by former district.
    assert [(g.label, g.participants, g.passed) for g in report.by_district] == [
        ("Huyện Long Thành", 1, 1), ("(không thuộc huyện)", 2, 0)]
    # Percentages 100, 50, 75, 93.75: bands 90–100, 50–60, 70–80, 90–100.
    assert report.histogram == [0, 0, 0, 0, 0, 1, 0, 1, 0, 2]
