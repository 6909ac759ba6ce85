"""The exported scoring report: an xlsx workbook with the scores, the ranking, the gaps
to the frontier, the indicators that pay most per unit, the problems found, and the
charts embedded as pictures (总分 sheet)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from duban.indicators.dtf import Result


def write_xlsx(result: Result, path: str | Path, *, region: str | None = None,
               charts: bool = True) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "总分排名"
    dims = result.dimensions()
    ws.append(["排名", "地区", "总分", *dims, "缺少的指标"])
    for r in result.overall:
        ws.append([r.rank, r.region, round(r.score, 2),
                   *[round(r.dimensions[d], 2) if d in r.dimensions else None for d in dims],
                   "、".join(r.missing)])
    sc = wb.create_sheet("指标得分")
    sc.append(["地区", "维度", "指标", "数值", "单位", "得分", "前沿值", "最差值", "距前沿", "每单位得分"])
    for s in result.scores:
        sc.append([s.region, s.dimension, s.indicator, s.value, s.unit, round(s.score, 2),
                   s.frontier, s.worst, round(s.move, 4), round(s.gain_per_unit, 4)])
    gp = wb.create_sheet("差距")
    gp.append(["地区", "指标", "得分", "需提高/降低", "差距", "可得分"])
    for r in result.overall:
        for s in result.gaps(r.region):
            gp.append([s.region, s.indicator, round(s.score, 2),
                       "提高" if s.higher_is_better else "降低", s.gap, round(100 - s.score, 2)])
    lv = wb.create_sheet("提分效率")
    lv.append(["指标", "维度", "方向", "前沿值", "最差值", "每单位改进得分"])
    for b in result.leverage():
        lv.append([b.indicator, b.dimension, "越高越好" if b.higher_is_better else "越低越好",
                   b.frontier, b.worst, round(b.gain_per_unit, 4)])
    pr = wb.create_sheet("问题")
    pr.append(["说明"])
    for p in result.problems:
        pr.append([p])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 14
        sheet.column_dimensions["B"].width = 18
        sheet.column_dimensions["C"].width = 24
    tmp = _embed_charts(wb, result, region) if charts and result.overall else None
    p = Path(path)
    try:
        wb.save(p)  # the embedded pictures are read from their files here
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return p


def _embed_charts(wb, result: Result, region: str | None) -> Path:
    from openpyxl.drawing.image import Image

    from duban.indicators import charts

    ch = wb.create_sheet("图表", 1)
    tmp = Path(tempfile.mkdtemp(prefix="duban-charts-"))
    row = 1
    for png in (charts.write_all(result, tmp, region) if charts.available() else []):
        img = Image(str(png))
        img.width, img.height = img.width * 0.8, img.height * 0.8
        ch.add_image(img, f"A{row}")
        row += int(img.height / 20) + 2
    if (w := charts.font_warning()):
        ch.cell(row=row, column=1, value=w)
    return tmp
