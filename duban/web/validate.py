"""Input checks the database would otherwise turn into a 500: ids beyond the
integer range, NUL characters (PostgreSQL refuses them in text), names longer
than their columns. Each failure is a one-line InvalidValue (422) or NotFound."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from duban.errors import NotFound
from duban.ledger.fields import FIELD_LABELS, InvalidValue, split_names

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER; SQLite would take 2**63 but ids never get there
NAME_MAX = 255  # unit.name, task.leaders, task.deadline_text are VARCHAR(255)

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
OffsetQuery = Annotated[int, Query(ge=0, le=MAX_ID)]


def no_nul(value: str | None, what: str = "参数") -> str | None:
    if value is not None and "\x00" in value:
        raise InvalidValue(f"{what}包含非法字符")
    return value


def unit_ref(value: str | None) -> str | None:
    """A unit filter (id, name or alias) the database can be asked about."""
    no_nul(value, "单位")
    if value and value.isdigit() and int(value) > MAX_ID:
        raise NotFound(f"未找到单位「{value}」")
    return value


def document_ref(value: str | None) -> int | None:
    text = (no_nul(value, "文件编号") or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_ID:
        raise InvalidValue(f"文件编号「{text[:20]}」无效")
    return int(text)


def check_changes(changes: dict) -> dict:
    """Field values a person typed, refused when no column could hold them.
    Names typed as one text are split here only to measure them: the service
    does the real split (it knows collective names such as 各市、州、县市场监管局)."""
    for field, value in changes.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, str):
                no_nul(item, FIELD_LABELS.get(field, "修改内容"))
        if field in ("lead_units", "co_units", "internal_units", "leaders") and isinstance(value, str):
            value = split_names(value)
        if field in ("lead_units", "co_units", "internal_units") and isinstance(value, list):
            long = next((v for v in value if len(str(v)) > NAME_MAX), None)
            if long is not None:
                raise InvalidValue(f"单位名称过长（不超过 {NAME_MAX} 字）：{str(long)[:20]}…")
        if field == "leaders" and isinstance(value, list) and len("、".join(map(str, value))) > NAME_MAX:
            raise InvalidValue(f"责任领导过长（合计不超过 {NAME_MAX} 字）")
        if field == "deadline_text" and isinstance(value, str) and len(value) > NAME_MAX:
            raise InvalidValue(f"时限原文过长（不超过 {NAME_MAX} 字）")
    return changes
