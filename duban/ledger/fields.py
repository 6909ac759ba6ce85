"""The editable fields of a task and how a value typed by a person (web form,
API JSON, xlsx cell) is checked and turned into what the database stores.
Messages reach end users, so they are in Simplified Chinese."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from duban.errors import DubanError
from duban.extract.text import split_top
from duban.ledger.models import STATUS_LABELS


class InvalidValue(DubanError):
    """A field value that cannot be stored (unknown field, bad date, bad status)."""

    http_status = 422


UNIT_FIELDS = {"lead_units": "lead", "co_units": "co", "internal_units": "internal"}
TEXT_FIELDS = ("text", "heading_path", "deadline_text", "progress")
EDITABLE = ("text", "heading_path", "deadline", "deadline_text", "ongoing", "status",
            "progress", "leaders", *UNIT_FIELDS, "withdrawn")
FIELD_LABELS = {
    "text": "任务内容", "heading_path": "所属章节", "deadline": "完成时限",
    "deadline_text": "时限原文", "ongoing": "长期推进", "status": "状态", "progress": "进展情况",
    "leaders": "责任领导", "lead_units": "牵头单位", "co_units": "责任单位",
    "internal_units": "责任科室", "withdrawn": "已撤销",
}

_STATUS_BY_LABEL = {label: code for code, label in STATUS_LABELS.items()}
_SEPARATORS = "、，,;；\n"
_DATE_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:前)?$")
_DATE_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*(?:底|末)?\s*(?:前)?$")


def coerce(field: str, value):
    """The stored form of `value` for `field`, or InvalidValue."""
    if field not in EDITABLE:
        raise InvalidValue(f"不能修改字段「{field}」")
    if field == "deadline":
        return parse_date(value)
    if field in ("ongoing", "withdrawn"):
        return parse_bool(field, value)
    if field == "status":
        return parse_status(value)
    if field in UNIT_FIELDS or field == "leaders":
        return split_names(value)
    text = "" if value is None else str(value).strip()
    if field == "text" and not text:
        raise InvalidValue("任务内容不能为空")
    if field == "deadline_text":
        return text or None
    return text


def parse_date(value) -> dt.date | None:
    """A deadline: a date, an ISO string, 2025/6/30, 2025年6月30日, 2025年6月底 (month end)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if m := _DATE_FULL.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DATE_MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            return dt.date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        pass
    raise InvalidValue(f"完成时限「{text}」不是有效日期（应为 YYYY-MM-DD）")


def parse_bool(field: str, value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "是", "y"):
        return True
    if text in ("false", "0", "no", "否", "n", ""):
        return False
    raise InvalidValue(f"{FIELD_LABELS.get(field, field)}「{value}」应为 是/否")


def parse_status(value) -> str:
    text = "" if value is None else str(value).strip()
    if text in STATUS_LABELS:
        return text
    if text in _STATUS_BY_LABEL:
        return _STATUS_BY_LABEL[text]
    allowed = "、".join(STATUS_LABELS.values())
    raise InvalidValue(f"状态「{text}」无效（应为 {allowed}）")


def split_names(value) -> list[str]:
    """Unit or leader names from a list, or from text separated by 、，, ; or new
    lines outside brackets (各县（市、区）人民政府 is one name). A 、 outside
    brackets can still be inside a collective name (各市、州、县市场监管局):
    service.split_unit_text() rejoins pieces that name a known unit."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else split_top(str(value), _SEPARATORS)
    out: list[str] = []
    for item in items:
        name = normalize_name(str(item))
        if name and name not in out:
            out.append(name)
    return out


def normalize_name(name: str) -> str:
    """Unit names as TASKS.md writes them: no spaces inside (PDF text has `市 市场 监管局`)."""
    return re.sub(r"\s+", "", name.replace("\u3000", ""))
