"""Chart labels: a long class name is cut in the middle so classes that differ only at the end stay apart."""

from __future__ import annotations

from lms.reports.charts import Bar, row_chart_svg


def test_long_labels_sharing_their_start_stay_distinct():
    names = ["Lớp nhận thức ISO 9001:2015 – khóa 0, đã kết thúc (demo)", "Lớp nhận thức ISO 9001:2015 – khóa 1 (demo)"]
    svg = row_chart_svg([Bar(name, 50, "50 %") for name in names], scale_max=100, title="Tỷ lệ đạt theo lớp")
    assert "0, đã kết thúc (demo)</text>" in svg and "khóa 1 (demo)</text>" in svg
    short = row_chart_svg([Bar("Lớp A", 10, "10 %")], scale_max=100, title="t")
    assert ">Lớp A</text>" in short and "…" not in short
