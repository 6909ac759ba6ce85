"""The adoption matrix as an Excel workbook (改革事项采用矩阵).

Sheet 1 「改革事项×地区」: a row per reform, a column per region; a cell says
the region adopted it (✓) and lists the targets it set. Sheet 2 「明细」: one
row per reform, region and document, with the targets and an excerpt.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from duban.compare.reforms import AdoptionMatrix

_HEAD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="E8F0E4")
_WRAP = Alignment(wrap_text=True, vertical="top")


def cell_label(cell) -> str:
    """✓ and the targets: "✓ 28个以上、25个以上"."""
    return "✓" + (" " + "、".join(cell.targets) if cell.targets else "")


def write_xlsx(m: AdoptionMatrix, path: str | Path) -> int:
    """Write the workbook; returns the number of reform rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "改革事项×地区"
    ws.append(["改革事项", "来源", "文件数", "地区数", *[name for _, name in m.regions]])
    for row in m.rows:
        values = [row.name, "清单" if row.source == "list" else "引号名称", row.documents,
                  len(row.cells)]
        values += [cell_label(row.cells[code]) if code in row.cells else "" for code, _ in m.regions]
        ws.append(values)
    for c in ws[1]:
        c.font = _HEAD
    for r in ws.iter_rows(min_row=2, min_col=5):
        for c in r:
            c.alignment = _WRAP
            if c.value:
                c.fill = _FILL
    ws.column_dimensions["A"].width = 22
    for i in range(5, 5 + len(m.regions)):
        ws.column_dimensions[get_column_letter(i)].width = 16
    ws.freeze_panes = "E2"
    detail = wb.create_sheet("明细")
    detail.append(["改革事项", "地区", "行政区划代码", "文件", "目标", "相关任务", "原文摘录"])
    for c in detail[1]:
        c.font = _HEAD
    for row in m.rows:
        for code, cell in row.cells.items():
            for doc in cell.documents:
                detail.append([row.name, cell.region, code, doc, "、".join(cell.targets),
                               "、".join(map(str, cell.task_ids)), " … ".join(cell.excerpts[:2])])
    detail.column_dimensions["G"].width = 80
    wb.save(path)
    return len(m.rows)
