"""Observation tables (CSV or xlsx) → dtf.Row, with one message per bad cell.

Columns (English or Chinese header): region/地区, indicator/指标, value/数值,
higher_is_better/越高越好 (true/false, 是/否), and optional dimension/维度,
weight/权重, frontier/前沿值, worst/最差值, unit/单位, period/期间.

Rows are numbered as a spreadsheet shows them (the header is row 1). A bad row is
reported (`row N: …`) and left out; everything valid is still scored. A value may
carry its unit (`12.5%`, `82件`); it must then agree with the indicator's unit (the
unit column, else the registry's, else the unit most of its other values carry).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from duban.errors import InputError
from duban.indicators.dtf import Row
from duban.indicators.numbers import UNITS

HEADERS = {
    "region": ("region", "地区", "城市", "市州"),
    "indicator": ("indicator", "指标", "指标名称"),
    "value": ("value", "数值", "值", "指标值"),
    "higher_is_better": ("higher_is_better", "越高越好", "方向"),
    "dimension": ("dimension", "维度", "一级指标"),
    "weight": ("weight", "权重"),
    "frontier": ("frontier", "前沿值", "最优值"),
    "worst": ("worst", "最差值"),
    "unit": ("unit", "单位"),
    "period": ("period", "期间", "年度"),
}
REQUIRED = ("region", "indicator", "value", "higher_is_better")
_TRUE = {"true", "yes", "1", "是", "高", "越高越好", "y", "t"}
_FALSE = {"false", "no", "0", "否", "低", "越低越好", "n", "f"}
_UNIT_RX = "|".join(re.escape(u) for u in UNITS)
_NUMBER = re.compile(rf"^([-+]?\d+(?:\.\d+)?|[-+]?\.\d+)\s*({_UNIT_RX})?$")


@dataclass
class Table:
    path: str
    rows: list[Row] = field(default_factory=list)
    periods: dict[int, str] = field(default_factory=dict)  # index in rows -> period
    problems: list[str] = field(default_factory=list)  # "row N: …" messages


def read_table(path: str | Path, *, registry=None) -> Table:
    """Read an observation table; raises InputError when the file itself is unusable."""
    p = Path(path)
    if not p.exists():
        raise InputError(p, "no such file")
    raw = _xlsx_rows(p) if p.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(p)
    if not raw:
        raise InputError(p, "empty table")
    cols = _columns(raw[0], p)
    t = Table(str(p))
    parsed = []
    for n, cells in enumerate(raw[1:], start=2):
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        get = {k: _cell(cells, i) for k, i in cols.items()}
        row = _row(n, get, t.problems)
        if row is not None:
            parsed.append((n, row, str(get.get("period", "")).strip(), str(get.get("unit", "")).strip()))
    _check_units(parsed, t.problems, registry)
    t.problems.sort(key=lambda m: int(re.match(r"row (\d+)", m).group(1)))
    for n, row, period, _ in parsed:
        if row is None:
            continue
        t.periods[len(t.rows)] = period
        t.rows.append(row)
    return t


def _csv_rows(p: Path) -> list[list[str]]:
    data = p.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(p, "cannot decode CSV (not UTF-8 or GB18030)")
    try:
        return [r for r in csv.reader(io.StringIO(text))]
    except csv.Error as e:
        raise InputError(p, f"bad CSV: {e}") from None


def _xlsx_rows(p: Path) -> list[list]:
    from openpyxl import load_workbook
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - any unreadable workbook is a user error
        raise InputError(p, f"cannot read xlsx ({type(e).__name__})") from None
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def _columns(header: list, p: Path) -> dict[str, int]:
    names = [str(h or "").strip().lower() for h in header]
    cols = {}
    for k, aliases in HEADERS.items():
        for i, h in enumerate(names):
            if h in aliases:
                cols[k] = i
                break
    missing = [k for k in REQUIRED if k not in cols]
    if missing:
        raise InputError(p, f"missing column(s): {', '.join(missing)} "
                            f"(need region, indicator, value, higher_is_better)")
    return cols


def _cell(cells: list, i: int):
    v = cells[i] if i < len(cells) else None
    return "" if v is None else v


def _row(n: int, get: dict, problems: list[str]) -> Row | None:
    region, ind = str(get["region"]).strip(), str(get["indicator"]).strip()
    if not region or not ind:
        problems.append(f"row {n}: 地区和指标不能为空")
        return None
    hib = str(get["higher_is_better"]).strip().lower()
    if isinstance(get["higher_is_better"], bool):
        hib = "true" if get["higher_is_better"] else "false"
    if hib not in _TRUE | _FALSE:
        problems.append(f"row {n}: higher_is_better 应为 true 或 false，而不是 {get['higher_is_better']!r}")
        return None
    row = Row(region, ind, None, hib in _TRUE, str(get.get("dimension", "")).strip() or None)
    raw = get["value"]
    if raw != "" and raw is not None:  # an empty value is a gap, named by the scorer
        num = _number(raw)
        if num is None:
            problems.append(f"row {n}: {region}「{ind}」的数值 {raw!r} 不是数字")
            return None
        row.value, row.unit = num
    for k in ("weight", "frontier", "worst"):
        raw = get.get(k, "")
        if raw == "" or raw is None:
            continue
        num = _number(raw)
        if num is None:
            problems.append(f"row {n}: {k} {raw!r} 不是数字")
            return None
        setattr(row, k, num[0])
    if row.weight <= 0:
        problems.append(f"row {n}: 权重必须为正数，而不是 {row.weight:g}")
        return None
    return row


def _number(raw) -> tuple[float, str | None] | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw), None
    m = _NUMBER.match(str(raw).strip().replace(",", "").replace("％", "%"))
    if not m:
        return None
    return float(m.group(1)), m.group(2)


def _check_units(parsed: list, problems: list[str], registry) -> None:
    """A value written with a unit other than its indicator's is reported and dropped.
    The expected unit: the unit column, else the registry's, else `%` for a rate
    (…率, …比重, …比例), else the unit most of the indicator's values carry."""
    by_ind: dict[str, list[int]] = {}
    for k, item in enumerate(parsed):
        by_ind.setdefault(item[1].indicator, []).append(k)
    for ind, ks in by_ind.items():
        column = [parsed[k][3] for k in ks if parsed[k][3]]
        written = [parsed[k][1].unit for k in ks if parsed[k][1].unit]
        expected = column[0] if column else None
        if expected is None and registry is not None:
            reg = registry.match(ind)
            expected = reg.unit if reg is not None else None
        if expected is None and re.search(r"(?:率|比重|比例)$", ind):
            expected = "%"
        if expected is None and written:
            common, count = Counter(written).most_common(1)[0]
            expected = common if count > len(written) / 2 else None
        for k in ks:
            n, row, period, col = parsed[k]
            if expected and row.unit and row.unit != expected:
                problems.append(f"row {n}: {row.region}「{ind}」的数值单位是 {row.unit}，"
                                f"但该指标的单位是 {expected}")
                parsed[k] = (n, None, period, col)
            else:
                row.unit = col or expected or row.unit
