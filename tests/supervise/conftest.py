"""A small ledger for the supervision tests: one plan, four lead units (甲乙丙丁
局), a liaison per unit, an office person and a leader of 丁局; real database
(SQLite, and PostgreSQL when DUBAN_TEST_PG_URL is set), real files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from duban.extract.model import DocumentInfo, Extraction, Task
from duban.ingest.source import Source
from duban.supervise.settings import Settings

CST = dt.timezone(dt.timedelta(hours=8))
UNITS = ("市甲局", "市乙局", "市丙局", "市丁局")
# (text, lead units, co units, deadline)
TASKS = [
    ("推进政务服务一网通办，实现高频事项全程网办。", ["市甲局"], ["市乙局"], "2025-12-31"),
    ("完善市场准入负面清单动态调整机制。", ["市甲局"], [], "2025-06-30"),
    ("建立涉企收费目录清单制度。", ["市乙局"], [], "2025-12-31"),
    ("健全信用监管体系，推行信用分级分类监管。", ["市乙局"], [], "2025-10-31"),
    ("优化项目审批流程，压缩审批时限。", ["市丙局"], [], "2025-12-31"),
    ("深化融资服务对接，扩大首贷续贷规模。", ["市丙局"], ["市丁局"], "2025-12-31"),
    ("强化知识产权保护，建设快速维权中心。", ["市丁局"], [], "2025-12-31"),
    ("落实惠企政策直达快享，推行免申即享。", ["市丁局"], [], "2025-09-30"),
]


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=CST)


def plan_source(name: str = "督办测试方案.txt") -> Source:
    lines = ["关于优化营商环境的测试方案"] + [t[0] for t in TASKS]
    return Source(name=name, lines=lines, sha256="f" * 64)


def plan_extractor(src: Source) -> Extraction:
    tasks = [Task(doc=src.name, line=i + 2, end_line=i + 2, text=text, lead_units=lead,
                  co_units=co, deadline=due, deadline_text=f"{due[:4]}年{int(due[5:7])}月底前",
                  heading_path="一", rule="test")
             for i, (text, lead, co, due) in enumerate(TASKS)]
    return Extraction(src.name, DocumentInfo(title="关于优化营商环境的测试方案", year=2025), tasks)


@dataclass
class Ledger:
    sf: object
    url: str
    settings: Settings
    doc_id: int
    tasks: dict[str, int] = field(default_factory=dict)  # text prefix -> id
    people: dict[str, object] = field(default_factory=dict)

    def task(self, prefix: str) -> int:
        return next(i for text, i in self.tasks.items() if text.startswith(prefix))

    def tasks_of(self, unit: str) -> list[int]:
        return [self.tasks[t[0]] for t in TASKS if unit in t[1]]

    def person(self, name: str):
        from duban.ledger.models import Person

        with self.sf() as s:
            p = s.get(Person, self.people[name])
            p.unit  # noqa: B018
            return p


def make_people(sf, people: dict) -> dict:
    from duban.ledger import service

    out = {}
    with sf() as s, s.begin():
        for name, (role, unit) in people.items():
            p = service.create_person(name, session=s, role=role, unit=unit, actor="test",
                                      source="test", display_name=name)
            out[name] = p.id
    return out


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", evidence_max_bytes=200_000)


@pytest.fixture
def ledger(session_factory, migrated_url, settings) -> Ledger:
    """The plan imported on 2025-03-31, a monthly schedule from 2025-04."""
    from sqlalchemy import select

    from duban.ledger import flows
    from duban.ledger.models import Task as TaskRow
    from duban.supervise import service

    res = flows.import_document(plan_source(), session_factory=session_factory,
                                extractor=plan_extractor, now=at(dt.date(2025, 3, 31)))
    people = {"office": ("office", None), "leader丁": ("leader", "市丁局")}
    people.update({f"联络员{u[1]}": ("liaison", u) for u in UNITS})
    ids = make_people(session_factory, people)
    with session_factory() as s, s.begin():
        service.set_schedule(session=s, actor="test", start_period="2025-04")
        tasks = {t.text: t.id for t in s.scalars(select(TaskRow))}
    return Ledger(session_factory, migrated_url, settings, res.document_id, tasks, ids)


# Smallest valid files of each allowed kind.
PNG = (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
       + b"\x00\x00\x00\x00IEND\xaeB`\x82")
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32 + b"\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes(text: str = "证明材料") -> bytes:
    import io

    from docx import Document

    d = Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["指标", "数值"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
