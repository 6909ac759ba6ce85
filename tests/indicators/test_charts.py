"""Charts and the xlsx report on a three-dimension table (the radar path)."""

from __future__ import annotations

import pytest

from duban.indicators.dtf import Row, score

pytest.importorskip("matplotlib", reason="matplotlib not installed: charts not tested")

PNG = b"\x89PNG\r\n\x1a\n"


def result():
    rows = []
    for region, vals in {"荆门": (1, 5, 9), "襄阳": (3, 2, 4), "宜昌": (2, 8, 1)}.items():
        for (ind, dim, hib), v in zip((("专利", "知识产权", True), ("开办时间", "企业开办", False),
                                       ("合规率", "市场监管", True)), vals):
            rows.append(Row(region, ind, v, hib, dim))
    return score(rows)


def test_three_charts_as_png(tmp_path):
    from duban.indicators import charts

    paths = charts.write_all(result(), tmp_path, region="荆门")
    assert [p.name for p in paths] == ["overall.png", "dimensions.png", "gaps.png"]
    assert all(p.read_bytes()[:8] == PNG and p.stat().st_size > 5000 for p in paths)


def test_cjk_font_found_when_noto_is_installed():
    from pathlib import Path

    from duban import charts

    if not any(Path(f).exists() for f in charts.KNOWN_FILES):
        pytest.skip("fonts-noto-cjk not installed")
    assert charts.cjk_font() is not None and charts.font_warning() is None


def test_report_sheets_and_pictures(tmp_path):
    from openpyxl import load_workbook

    from duban.indicators.report import write_xlsx

    p = write_xlsx(result(), tmp_path / "r.xlsx", region="荆门")
    wb = load_workbook(p)
    assert wb.sheetnames[:2] == ["总分排名", "图表"] and len(wb["图表"]._images) == 3
    head = [c.value for c in wb["总分排名"][1]]
    assert head[:3] == ["排名", "地区", "总分"] and set(head[3:6]) == {"知识产权", "企业开办", "市场监管"}
    gaps = {(r[0], r[1]) for r in wb["差距"].iter_rows(min_row=2, values_only=True)}
    assert ("荆门", "专利") in gaps and ("荆门", "合规率") not in gaps  # at the frontier
