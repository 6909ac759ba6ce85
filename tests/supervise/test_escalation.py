"""The escalation ladder: 提示函 on a unit's first miss, 督办函 (抄送 its leader)
on the next; never twice for one miss; one transaction per unit, so a crash
halfway leaves no half-issued letter and the next run completes the rest."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from duban.ledger import audit
from duban.supervise import flows, service
from duban.supervise.letters import read_text
from duban.supervise.models import Letter, LetterTask, Notification

from .conftest import TASKS, at

D = dt.date


def report_all(lg, today, units, period=None):
    """Every task led by `units` reported for the open (or given) cycle."""
    for text, leads, _, _ in TASKS:
        unit = next((u for u in leads if u in units), None)
        if unit is None:
            continue
        with lg.sf() as s, s.begin():
            service.submit_report(lg.tasks[text], session=s, actor=s.merge(lg.person(f"联络员{unit[1]}")),
                                  today=today, now=at(today), settings=lg.settings,
                                  progress="按计划推进", percent=30, period=period)


def run(lg, today, out, **kw):
    return flows.run(session_factory=lg.sf, today=today, settings=lg.settings, out_dir=out,
                     now=at(today, 9), **kw)


def letters(lg):
    with lg.sf() as s:
        return [(x.kind, x.unit.name, x.cycle.period, x.number) for x in
                s.scalars(select(Letter).order_by(Letter.id))]


def test_ladder_reminder_then_supervision_copied_to_leader(ledger, tmp_path):
    out = tmp_path / "out"
    report_all(ledger, D(2025, 4, 24), ["市甲局", "市乙局", "市丙局"])
    first = run(ledger, D(2025, 4, 28), out)
    assert [i.line() for i in first.issued] == [f"提示函\t市丁局\t{out / '2025-督提-001-市丁局.docx'}"]
    text = read_text(first.issued[0].path)
    assert "督提〔2025〕1号" in text and "市丁局：" in text and "工作提示函" in text
    assert "强化知识产权保护，建设快速维权中心。" in text and "落实惠企政策直达快享" in text
    assert "第8行" in text and "2025年5月8日前" in text  # 5 working days over May Day (5-1..5-5)
    assert "抄送" not in text
    assert run(ledger, D(2025, 4, 28), out).issued == []  # same day: nothing new
    assert run(ledger, D(2025, 5, 6), out).issued == []  # same miss later: nothing new

    report_all(ledger, D(2025, 5, 20), ["市甲局", "市乙局", "市丁局"])
    second = run(ledger, D(2025, 5, 27), out)
    assert [(i.kind, i.unit) for i in second.issued] == [("reminder", "市丙局")]
    report_all(ledger, D(2025, 6, 20), ["市甲局", "市乙局"])
    third = run(ledger, D(2025, 6, 26), out)  # 丁局 misses again in June, 丙局 too
    assert sorted((i.kind, i.unit) for i in third.issued) == [("supervision", "市丁局"),
                                                             ("supervision", "市丙局")]
    ding = next(i for i in third.issued if i.unit == "市丁局")
    text = read_text(ding.path)
    assert "督办〔2025〕" in text and "督办函" in text and "抄送：leader丁（市丁局分管领导）。" in text
    assert "督提〔2025〕1号" in text  # refers back to the reminder
    assert letters(ledger) == [("reminder", "市丁局", "2025-04", "督提〔2025〕1号"),
                               ("reminder", "市丙局", "2025-05", "督提〔2025〕2号"),
                               ("supervision", "市丁局", "2025-06", "督办〔2025〕1号"),
                               ("supervision", "市丙局", "2025-06", "督办〔2025〕2号")]
    with ledger.sf() as s:
        row = s.scalar(select(Letter).where(Letter.number == "督办〔2025〕1号"))
        stored = Path(ledger.settings.data_dir) / row.path
        assert stored.read_bytes() == ding.path.read_bytes()
        import hashlib
        assert row.sha256 == hashlib.sha256(stored.read_bytes()).hexdigest()
        named = flows.tasks_of_letter(row.id, session=s)
        assert set(named) == set(ledger.tasks_of("市丁局")) and set(named.values()) == {"missing"}
        notes = s.scalars(select(Notification).where(Notification.letter_id == row.id)).all()
        assert sorted(n.person.username for n in notes) == ["leader丁", "联络员丁"]
        assert audit.history("letter", row.id, session=s)[0].new == "督办〔2025〕1号"


def test_overdue_tasks_are_misses_even_when_reported(ledger, tmp_path):
    report_all(ledger, D(2025, 6, 20), ["市甲局", "市乙局", "市丙局", "市丁局"])
    result = run(ledger, D(2025, 7, 1), tmp_path)  # 完善市场准入 (甲局) was due 2025-06-30
    assert [(i.kind, i.unit) for i in result.issued] == [("reminder", "市甲局")]
    text = read_text(result.issued[0].path)
    assert "完善市场准入负面清单动态调整机制" in text and "已超过完成时限" in text


def test_crash_in_second_unit_leaves_first_committed_and_rerun_completes(ledger, tmp_path):
    out = tmp_path / "out"
    seen = []

    def crash_on_second(unit):
        seen.append(unit)
        if len(seen) == 2:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        run(ledger, D(2025, 4, 28), out, before_commit=crash_on_second)
    assert [u for _, u, _, _ in letters(ledger)] == [seen[0]]
    with ledger.sf() as s:
        assert s.scalar(select(func.count()).select_from(LetterTask)) == len(ledger.tasks_of(seen[0]))
        assert s.scalar(select(func.count()).select_from(Notification)) == 1
    assert sorted(p.name for p in out.iterdir()) == [f"2025-督提-001-{seen[0]}.docx"]
    stored = list((Path(ledger.settings.data_dir) / "letters" / "2025").iterdir())
    assert len(stored) == 1
    again = run(ledger, D(2025, 4, 28), out)
    assert seen[0] == "市丁局"  # units go in name order: 丁 丙 乙 甲
    assert [i.unit for i in again.issued] == ["市丙局", "市乙局", "市甲局"]
    got = letters(ledger)
    assert sorted(u for _, u, _, _ in got) == sorted(["市甲局", "市乙局", "市丙局", "市丁局"])
    assert [n for *_, n in got] == [f"督提〔2025〕{k}号" for k in range(1, 5)]
    assert len(list(out.iterdir())) == 4
    assert run(ledger, D(2025, 4, 28), out).issued == []
