"""Writing extracted tasks: JSONL (default), CSV, XLSX; and the coverage report."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict

from duban.extract.model import TASK_FIELDS, Extraction

EXTRA_FIELDS = ("heading_path", "end_line", "rule", "lead_canonical", "co_canonical")
_REGION = re.compile(r"^([\u4e00-\u9fa5]{2,7}?(?:自治区|省|自治州|市|州|盟|县|区))")


def region_of(info) -> str | None:
    """The region a document speaks for, from its issuer or title (`荆门市…` → 荆门市)."""
    for s in (info.issuer, info.title):
        m = _REGION.match(s or "")
        if m:
            return m.group(1)
    return None


def records(ex: Extraction):
    doc = asdict(ex.info)
    for t in ex.tasks:
        r = t.to_record()
        rec = {k: r[k] for k in TASK_FIELDS}
        rec.update({k: r[k] for k in EXTRA_FIELDS})
        rec["document"] = doc
        yield rec


def to_jsonl(exs) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for ex in exs for r in records(ex))


def _flat(rec: dict) -> list:
    out = []
    for k in TASK_FIELDS + EXTRA_FIELDS:
        v = rec[k]
        out.append("；".join(v) if isinstance(v, list) else v)  # 、 occurs inside collective units
    return out


def to_csv(exs) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(TASK_FIELDS + EXTRA_FIELDS)
    for ex in exs:
        for rec in records(ex):
            w.writerow(_flat(rec))
    return buf.getvalue()


def write_xlsx(exs, path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    wb = Workbook()
    ws = wb.active
    ws.title = "tasks"
    ws.append(list(TASK_FIELDS + EXTRA_FIELDS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for ex in exs:
        for rec in records(ex):
            ws.append(_flat(rec))
    ws.freeze_panes = "A2"
    ws.column_dimensions["C"].width = 80
    wb.save(path)


def coverage_report(ex: Extraction, lines: list[str]) -> str:
    """Every non-blank line with what extraction made of it, then a summary."""
    out, counts = [], {}
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        kind = ex.coverage.get(n, "skipped")
        counts[kind] = counts.get(kind, 0) + 1
        out.append(f"{ex.doc}:{n}\t{kind}\t{raw.strip()[:80]}")
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    out.append(f"{ex.doc}: {len(ex.tasks)} tasks; lines: {summary}")
    return "\n".join(out) + "\n"


def indicators_text(sources, fmt: str) -> str:
    """Indicator statements of each source as JSONL (default) or CSV."""
    from duban.errors import DubanError
    from duban.indicators import extract_indicators
    recs = [st.to_record() for src in sources for st in extract_indicators(src)]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in recs)
    if fmt != "csv":
        raise DubanError("--indicators writes jsonl or csv")
    buf = io.StringIO()
    keys = list(recs[0]) if recs else ["doc", "line"]
    w = csv.DictWriter(buf, fieldnames=keys, extrasaction="ignore")
    w.writeheader()
    for r in recs:
        w.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
                    for k, v in r.items()})
    return buf.getvalue()
