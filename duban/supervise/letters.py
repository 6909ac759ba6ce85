"""工作提示函 and 督办函 as .docx, filled from an editable template.

"对第一次未完成任务的科室或县市区局，点对点发送工作提示函，对第二次仍未能完成任务的，
发送督办函，抄报分管或包联局领导。" (s000, 四（一）). The wording below is the
letter body; the layout (fonts, red header, rules, margins) is the template's
(see letter_template.py for the fields).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from duban.errors import DubanError
from duban.supervise.models import LETTER_TITLES

FIELD = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
LIST_FIELD = "任务清单"
CC_FIELD = "抄送"
REASONS = {"missing": "未报送进展", "returned": "退回后未重报", "overdue": "已超过完成时限"}
TITLES = {"reminder": "关于按时报送重点任务进展情况的工作提示函",
          "supervision": "关于督促加快推进重点任务落实的督办函"}


@dataclass
class Item:
    """One task named in a letter, with where the plan says it."""

    task_id: int
    text: str
    source: str  # 《plan title》第N行
    deadline: str
    reason: str  # missing | returned | overdue


@dataclass
class LetterContent:
    kind: str  # reminder | supervision
    issuer: str
    number: str
    unit: str
    office: str
    issued_on: dt.date
    reply_due: dt.date
    reply_days: int
    period: str
    report_day: str  # "每月25日前"
    plans: list[str]
    items: list[Item]
    total: int
    cc: list[str] = field(default_factory=list)
    previous: str | None = None  # "2025年4月28日发出工作提示函（督提〔2025〕1号）"

    @property
    def title(self) -> str:
        return TITLES[self.kind]


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def cn_period(period: str) -> str:
    if "Q" in period:
        y, q = period.split("-Q")
        return f"{y}年第{q}季度"
    y, m = period.split("-")
    return f"{y}年{int(m)}月"


def item_line(n: int, item: Item) -> str:
    due = f"；完成时限：{item.deadline}" if item.deadline else ""
    return f"{n}．{item.text}（来源：{item.source}{due}；情况：{REASONS[item.reason]}）"


def fields_of(c: LetterContent) -> dict[str, str]:
    """Template field -> text."""
    plans = "、".join(f"《{p}》" for p in c.plans[:3]) + ("等" if len(c.plans) > 3 else "")
    reasons = {i.reason for i in c.items}
    what = []
    if reasons & {"missing", "returned"}:
        what.append(f"未按期报送{cn_period(c.period)}推进情况")
    if "overdue" in reasons:
        what.append("已超过完成时限尚未完成")
    what_text = "或".join(what) if what else "未按要求推进"
    basis = f"根据{plans}工作安排，" if plans else ""
    if c.kind == "reminder":
        body = (f"{basis}各牵头单位应于{c.report_day}报送重点任务推进情况及佐证材料。"
                f"截至{cn_date(c.issued_on)}，你单位牵头的以下{c.total}项任务{what_text}，现予以提示：")
        ask = (f"请你单位高度重视，抓紧推进落实，并于{cn_date(c.reply_due)}前（{c.reply_days}个工作日内）"
               f"将有关任务进展情况及佐证材料报送{c.office}。")
    else:
        prev = f"我办已于{c.previous}。" if c.previous else ""
        body = (f"{basis}各牵头单位应于{c.report_day}报送重点任务推进情况及佐证材料。{prev}"
                f"经再次调度，截至{cn_date(c.issued_on)}，你单位牵头的以下{c.total}项任务仍{what_text}，"
                f"现予以督办：")
        ask = (f"请你单位主要负责同志亲自研究部署，于{cn_date(c.reply_due)}前（{c.reply_days}个工作日内）"
               f"将整改落实情况书面报送{c.office}。逾期未报送或整改不到位的，将在调度会上予以通报。")
    return {"发文机关": c.issuer, "文号": c.number, "标题": c.title, "主送": c.unit, "正文": body,
            "要求": ask, "回复期限": cn_date(c.reply_due), "落款": c.office,
            "日期": cn_date(c.issued_on), CC_FIELD: "、".join(c.cc), "函种": LETTER_TITLES[c.kind]}


def list_lines(c: LetterContent) -> list[str]:
    lines = [item_line(n, item) for n, item in enumerate(c.items, 1)]
    if c.total > len(c.items):
        lines.append(f"（另有 {c.total - len(c.items)} 项任务，详见督办系统台账。）")
    return lines


def render(c: LetterContent, template: Path) -> bytes:
    """The letter as .docx bytes. DubanError if the template cannot be used."""
    from docx import Document

    try:
        doc = Document(str(template))
    except Exception as e:  # missing, not a .docx, damaged
        raise DubanError(f"公文模板无法打开：{template}（{type(e).__name__}）") from None
    values = fields_of(c)
    for paragraph in list(_paragraphs(doc)):
        text = paragraph.text
        if "{{" not in text:
            continue
        names = set(FIELD.findall(text))
        if LIST_FIELD in names:
            _expand(paragraph, list_lines(c))
        elif CC_FIELD in names and not c.cc:
            _remove(paragraph)
        else:
            _set_text(paragraph, FIELD.sub(lambda m: values.get(m[1], m[0]), text))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in doc.sections:
        for part in (section.header, section.footer):
            yield from part.paragraphs


def _set_text(paragraph, text: str) -> None:
    """Replace the paragraph's text, keeping the first run's formatting (Word
    often splits a field like {{文号}} over several runs)."""
    runs = paragraph.runs
    if not runs:
        paragraph.add_run(text)
        return
    runs[0].text = text
    for run in runs[1:]:
        run._element.getparent().remove(run._element)


def _expand(paragraph, lines: list[str]) -> None:
    """Repeat the list paragraph once per line, in its own formatting."""
    anchor = paragraph._p
    for line in lines:
        clone = copy.deepcopy(anchor)
        anchor.addprevious(clone)
        from docx.text.paragraph import Paragraph

        _set_text(Paragraph(clone, paragraph._parent), line)
    _remove(paragraph)


def _remove(paragraph) -> None:
    el = paragraph._p
    el.getparent().remove(el)


def read_text(data_or_path) -> str:
    """All paragraph text of a .docx (for checks and tests)."""
    from docx import Document

    src = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else str(data_or_path)
    doc = Document(src)
    return "\n".join(p.text for p in _paragraphs(doc))
