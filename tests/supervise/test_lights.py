"""Status lights at their boundaries, per task and counted per unit."""

import datetime as dt

from duban.supervise import lights, service

from .conftest import at

D = dt.date


def _light(lg, prefix, today):
    with lg.sf() as s:
        return lights.task_lights([lg.task(prefix)], today, session=s)[lg.task(prefix)]


def _report(lg, liaison, prefix, today, **kw):
    with lg.sf() as s, s.begin():
        person = s.merge(lg.person(liaison))
        return service.submit_report(lg.task(prefix), session=s, actor=person, today=today,
                                     now=at(today), settings=lg.settings,
                                     progress=kw.pop("progress", "按计划推进"),
                                     percent=kw.pop("percent", 50), **kw)


def test_report_missing_starts_the_day_after_the_due_date(ledger):
    # 2025-04 cycle falls due on Friday 2025-04-25.
    assert _light(ledger, "建立涉企收费", D(2025, 4, 25)) == "on_track"
    assert _light(ledger, "建立涉企收费", D(2025, 4, 26)) == "report_missing"
    _report(ledger, "联络员乙", "建立涉企收费", D(2025, 4, 26), period="2025-04")
    assert _light(ledger, "建立涉企收费", D(2025, 4, 26)) == "on_track"


def test_deadline_boundaries_and_window(ledger):
    # 完善市场准入 is due 2025-06-30; report it for May so "missing" stays out of the way.
    _report(ledger, "联络员甲", "完善市场准入", D(2025, 5, 20))
    assert _light(ledger, "完善市场准入", D(2025, 6, 14)) == "on_track"  # 16 days left
    assert _light(ledger, "完善市场准入", D(2025, 6, 15)) == "due_soon"  # 15 days: in the window
    _report(ledger, "联络员甲", "完善市场准入", D(2025, 6, 20))
    assert _light(ledger, "完善市场准入", D(2025, 6, 30)) == "due_soon"  # due today: not late
    assert _light(ledger, "完善市场准入", D(2025, 7, 1)) == "overdue"


def test_done_wins_and_returned_report_is_missing(ledger):
    r = _report(ledger, "联络员丁", "落实惠企政策", D(2025, 4, 20))
    office = ledger.person("office")
    with ledger.sf() as s, s.begin():
        service.review_report(r.id, "return", session=s, actor=s.merge(office), now=at(D(2025, 4, 28)),
                              reason="缺少佐证材料")
    assert _light(ledger, "落实惠企政策", D(2025, 4, 28)) == "report_missing"
    r = _report(ledger, "联络员丁", "落实惠企政策", D(2025, 4, 29), period="2025-04")
    with ledger.sf() as s, s.begin():
        service.review_report(r.id, "approve", session=s, actor=s.merge(office), now=at(D(2025, 4, 30)))
    assert _light(ledger, "落实惠企政策", D(2025, 12, 1)) == "done"


def test_tasks_imported_after_a_due_date_owe_nothing_for_it(ledger):
    from duban.ledger import flows

    from .conftest import plan_extractor, plan_source

    flows.import_document(plan_source("后来的方案.txt").__class__(
        name="后来的方案.txt", lines=["后来的方案", "新增一项任务。"], sha256="e" * 64),
        session_factory=ledger.sf, extractor=lambda src: _one_task(src), now=at(D(2025, 5, 10)))
    with ledger.sf() as s:
        rows = lights.unit_counts(D(2025, 5, 12), session=s)
    late = {r.unit: r.counts for r in rows}["市戊局"]
    assert late["report_missing"] == 0 and late["on_track"] == 1
    assert plan_extractor  # the fixture's extractor is unrelated here


def _one_task(src):
    from duban.extract.model import DocumentInfo, Extraction, Task

    return Extraction(src.name, DocumentInfo(title="后来的方案"), [
        Task(doc=src.name, line=2, end_line=2, text="新增一项任务。", lead_units=["市戊局"],
             deadline="2025-12-31")])


def test_unit_counts_for_the_leader_dashboard(ledger):
    _report(ledger, "联络员甲", "推进政务服务", D(2025, 4, 20))
    with ledger.sf() as s:
        rows = {r.unit: r for r in lights.unit_counts(D(2025, 4, 28), session=s)}
    assert set(rows) == {"市甲局", "市乙局", "市丙局", "市丁局"}  # co-units carry no duty
    assert rows["市甲局"].counts == {"done": 0, "on_track": 1, "due_soon": 0, "overdue": 0,
                                    "report_missing": 1}
    assert rows["市乙局"].counts["report_missing"] == 2
    d = rows["市甲局"].as_dict()
    assert d["labels"]["未报送"] == 1 and d["labels"]["正常推进"] == 1 and d["total"] == 2
