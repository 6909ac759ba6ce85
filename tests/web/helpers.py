"""Small builders shared by the web tests."""

from __future__ import annotations

import io
import uuid


def tiny_plan(title: str | None = None) -> bytes:
    """A one-task plan with a unique title, so every upload is a new document."""
    title = title or f"青川市测试工作方案{uuid.uuid4().hex[:6]}"
    return (f"{title}\n\n一、重点任务\n\n1.建立测试台账制度。每月更新一次台账。"
            "（牵头单位：市发改委；责任单位：市财政局；完成时限：2025年6月底前）\n").encode("utf-8")


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def zip_bytes() -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "这不是 Word 文件")
    return buf.getvalue()


def edited_workbook(content: bytes, task_id: int, **cells) -> bytes:
    """An exported 台账 cut down to one task's row, some of its cells changed
    (what a liaison sends back: only the rows they worked on)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    ws = wb["台账"]
    headers = [c.value for c in ws[1]]
    id_col = headers.index("任务ID") + 1
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, id_col).value == task_id]
    assert rows, f"task {task_id} not in the workbook"
    for header, value in cells.items():
        ws.cell(rows[0], headers.index(header) + 1).value = value
    for r in range(ws.max_row, 1, -1):
        if r != rows[0]:
            ws.delete_rows(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_workbook(content: bytes) -> list[dict]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(wb["台账"].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]
