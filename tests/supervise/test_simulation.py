"""Three months of a real plan (s001, 荆门 营商环境 action plan) through the
whole loop: import, monthly reports by the 25th, `duban supervise run` the day
after each due date, approvals (销号), and the June dispatch report.

Four lead units are watched: 市司法局 and 市审批局 always report on time,
市市场监管局 misses June, 市税务局 (which leads its two tasks alone) misses
April and May. Every other lead unit
reports on time, so exactly three letters go out: 提示函 to 市税务局 (April),
督办函 to 市税务局 copied to its leader (May), 提示函 to 市市场监管局 (June)."""

import datetime as dt
import re

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from duban.ledger import flows as ledger_flows
from duban.ledger.models import Task, TaskUnit, Unit
from duban.supervise import service
from duban.supervise.letters import read_text

from .conftest import at, make_people

pytestmark = pytest.mark.corpus
D = dt.date
ON_TIME = ("市司法局", "市审批局")
MISSES = {"市市场监管局": {"2025-06"}, "市税务局": {"2025-04", "2025-05"}}
MONTHS = [("2025-04", D(2025, 4, 24), D(2025, 4, 26)), ("2025-05", D(2025, 5, 23), D(2025, 5, 27)),
          ("2025-06", D(2025, 6, 24), D(2025, 6, 26))]


def lead_map(sf):
    with sf() as s:
        rows = s.execute(select(TaskUnit.task_id, Unit.name).join(Unit)
                         .where(TaskUnit.role == "lead").order_by(TaskUnit.task_id, TaskUnit.pos))
        out = {}
        for task_id, name in rows:
            out.setdefault(task_id, []).append(name)
        return out


def cli(args, env):
    from duban.cli import app

    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line.strip()]


def test_three_months_of_s001(session_factory, migrated_url, corpus_dir, settings, tmp_path):
    res = ledger_flows.import_document(corpus_dir / "s001.txt", session_factory=session_factory,
                                       now=at(D(2025, 3, 31)))
    leads = lead_map(session_factory)
    units = sorted({u for names in leads.values() for u in names})
    for unit in (*ON_TIME, *MISSES):
        assert unit in units
        assert any(names == [unit] for names in leads.values()), f"{unit} leads no task alone"
    people = {f"联络员-{u}": ("liaison", u) for u in units}
    people.update({"督办室": ("office", None), "王副市长": ("leader", "市税务局")})
    make_people(session_factory, people)
    with session_factory() as s, s.begin():
        service.set_schedule(session=s, actor="test", start_period="2025-04")
    env = {"DUBAN_DATA_DIR": str(settings.data_dir)}
    out = tmp_path / "letters"
    printed = []
    for period, report_day, run_day in MONTHS:
        _report_month(session_factory, settings, leads, period, report_day)
        lines = cli(["supervise", "run", "--db", migrated_url, "--today", run_day.isoformat(),
                     "--out", str(out)], env)
        printed += lines
        assert cli(["supervise", "run", "--db", migrated_url, "--today", run_day.isoformat(),
                    "--out", str(out)], env) == []  # the same day again: nothing new
    kinds = [tuple(line.split("\t")[:2]) for line in printed]
    assert kinds == [("提示函", "市税务局"), ("督办函", "市税务局"), ("提示函", "市市场监管局")]
    files = [line.split("\t")[2] for line in printed]
    for f, unit in zip(files, ("市税务局", "市税务局", "市市场监管局")):
        text = read_text(f)
        for task_id, names in leads.items():
            if names == [unit]:
                with session_factory() as s:
                    assert s.get(Task, task_id).text in text
    assert "抄送：王副市长（市税务局分管领导）。" in read_text(files[1])
    assert "抄送" not in read_text(files[0])
    assert re.search(r"督办〔2025〕1号", read_text(files[1]))
    _check_dispatch(migrated_url, env, tmp_path)


def _report_month(sf, settings, leads, period, day):
    """Every task reported by its first lead unit that reports this month;
    in June the on-time units also get their June tasks approved (销号)."""
    office = None
    for task_id, names in sorted(leads.items()):
        unit = next((u for u in names if period not in MISSES.get(u, ())), None)
        if unit is None:
            continue
        with sf() as s, s.begin():
            from duban.ledger import service as ledger

            person = ledger.get_person(f"联络员-{unit}", session=s)
            task = s.get(Task, task_id)
            if task.status == "done":
                continue
            r = service.submit_report(task_id, session=s, actor=person, today=day, now=at(day),
                                      settings=settings, progress=f"{period} 推进中", percent=50)
            approve = period == "2025-06" and (
                unit == "市司法局" or (unit == "市审批局" and task.deadline == D(2025, 6, 30)))
            if approve:
                office = office or ledger.get_person("督办室", session=s)
                service.review_report(r.id, "approve", session=s, actor=office, now=at(day, 16))


def _check_dispatch(url, env, tmp_path):
    from docx import Document

    order = [*ON_TIME, "市市场监管局", "市税务局"]
    paths = {}
    for suffix in ("docx", "html", "pdf"):
        paths[suffix] = tmp_path / f"通报.{suffix}"
        assert cli(["report", "dispatch", "--db", url, "--cycle", "2025-06", "--today", "2025-06-30",
                    "-o", str(paths[suffix])], env) == [str(paths[suffix])]
    table = Document(str(paths["docx"])).tables[0]
    ranked = [row.cells[1].text for row in table.rows[1:]]
    positions = [ranked.index(u) for u in order]
    assert positions == sorted(positions), ranked
    first = {row.cells[1].text: row.cells for row in table.rows[1:]}
    keys = [(-float(first[u][9].text[:-1]), -float(first[u][4].text[:-1])) for u in ranked]
    assert keys == sorted(keys)  # by on-time rate, then completion rate
    done = {u: float(first[u][4].text[:-1]) for u in ON_TIME}
    assert done["市司法局"] > done["市审批局"] > 0  # both 100% on time: completion decides
    # On-time rate = tasks reported on time / reports owed, over the three cycles; a task
    # led jointly counts as reported when any of its lead units reported it.
    assert first["市税务局"][9].text == "33.3%"  # 2 tasks of its own, reported 1 month in 3
    assert first["市市场监管局"][9].text == "73.3%"  # 4 of its 5 tasks alone, missed June
    assert first["市审批局"][9].text == first["市司法局"][9].text == "100.0%"
    assert "督提〔2025〕2号（提示函）" in first["市市场监管局"][10].text
    html = paths["html"].read_text(encoding="utf-8")
    body = html.split('id="table-units"')[1].split("</table>")[0]
    assert [body.index(f"<td>{u}</td>") for u in order] == sorted(body.index(f"<td>{u}</td>") for u in order)
    assert "关于2025年6月重点任务推进情况的通报" in html and "data:image/png;base64," in html
    import pdfplumber

    with pdfplumber.open(paths["pdf"]) as pdf:
        assert len(pdf.pages) >= 1
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "重点任务推进情况的通报" in text and "市税务局" in text
