"""Observations and targets in a real database (SQLite; PostgreSQL too when configured):
import round trip, statements as observations, scoring a period, simulated evaluation,
tasks linked to indicators."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from duban.indicators import extract_indicators, service
from duban.indicators.models import Observation
from duban.indicators.registry import Registry
from duban.ingest.source import Source
from duban.ledger.models import Change

REG = Registry.default()

PLAN = """关于提升知识产权指标的工作方案
一、主要任务
1.加强政策引导，力争万人发明专利拥有量突破 8.55 件。（牵头单位：市市场监管局；完成时限：2025年6月30日）
2.全面推行企业开办“一网通办”，压缩开办时间。（牵头单位：市行政审批局；完成时限：2025年9月30日）
3.开展地理标志商标培育，地理标志商标数量达到 30 件。（牵头单位：市市场监管局；完成时限：2025年12月31日）
"""


def test_import_round_trip_and_upsert(session_factory, tmp_path):
    p = tmp_path / "obs.csv"
    p.write_text("region,indicator,value,higher_is_better,period\n"
                 "荆门,每万人发明专利拥有量,6.87件,true,2023\n襄阳,每万人发明专利拥有量,9.1,true,2023\n"
                 "武汉,每万人发明专利拥有量,abc,true,2023\n", encoding="utf-8")
    with session_factory() as s, s.begin():
        rep = service.import_table(p, session=s, actor="tester", registry=REG)
    assert rep.written == 2 and any("row 4" in m for m in rep.problems)
    with session_factory() as s:
        got = {(o.region, o.indicator, o.period): (o.value, o.unit, o.source)
               for o in service.list_observations(session=s)}
    assert got == {("荆门", "每万人发明专利拥有量", "2023"): (6.87, "件", "csv"),
                   ("襄阳", "每万人发明专利拥有量", "2023"): (9.1, "件", "csv")}
    p.write_text("region,indicator,value,higher_is_better\n荆门,每万人发明专利拥有量,7.5,true\n",
                 encoding="utf-8")
    with session_factory() as s, s.begin():
        service.import_table(p, session=s, actor="tester", period="2023")
    with session_factory() as s:
        obs = s.scalars(select(Observation).where(Observation.region == "荆门")).all()
        assert [(o.value, o.period) for o in obs] == [(7.5, "2023")]
        changes = s.scalars(select(Change).where(Change.entity == "observation",
                                                 Change.field == "value")).all()
        assert [(c.old, c.new, c.actor) for c in changes] == [("6.87", "7.5", "tester")]


def test_manual_entry_validates(session_factory):
    from duban.errors import InputError

    with session_factory() as s, s.begin():
        with pytest.raises(InputError):
            service.set_observation("荆门", "专利", "many", session=s)
        with pytest.raises(InputError):
            service.set_observation(" ", "专利", 1, session=s)
        # float() takes these, but they are no one's value: SQLite would refuse NaN as NULL
        # (a 500 from the web form) and PostgreSQL would keep it and break every score.
        for bad in ("nan", "inf", "-Infinity", float("nan"), float("inf")):
            with pytest.raises(InputError, match="不是数字"):
                service.set_observation("荆门", "专利", bad, session=s)
        assert service.list_observations(session=s) == []


@pytest.mark.corpus
def test_statements_become_observations_and_score(session_factory, corpus_dir):
    from duban.ingest import read

    stmts = extract_indicators(read(corpus_dir / "s000.txt"), registry=REG)
    with session_factory() as s, s.begin():
        rep = service.observations_from_statements(stmts, region="荆门", period="2022", session=s)
        assert rep.written > 20
    with session_factory() as s:
        def value(region, ind):
            return s.scalar(select(Observation.value).where(
                Observation.region == region, Observation.indicator == ind,
                Observation.period == "2022"))
        assert value("荆门", "每万人发明专利拥有量") == 6.87
        assert value("全省平均", "每万人发明专利拥有量") == 8.55
        assert value("襄阳", "地理标志商标数量") == 82
        assert value("黄冈", "地理标志保护产品数量") == 47
        assert value("武汉", "外资新设企业同比增长率") == 11.97
        result = service.score_period("2022", session=s, registry=REG)
    jm = result.score_of("荆门", "地理标志商标数量")
    # frontier 82 (襄阳), worst 18 (荆门): 0 points; the average 30.4 scores 12.4 / 64 × 100
    assert jm.score == 0.0 and jm.gap == 64
    assert result.score_of("全省平均", "地理标志商标数量").score == pytest.approx(19.375)
    rate = result.score_of("荆门", "行政处罚信息公示迟报率")
    assert rate.higher_is_better is False and rate.score == 0.0  # 20.12 vs average 17.85


def _ledger_with_plan(session_factory, registry=REG):
    from duban.ledger import flows

    src = Source(name="plan.txt", lines=PLAN.splitlines())
    res = flows.import_document(src, session_factory=session_factory)
    stmts = extract_indicators(src, registry=registry)
    with session_factory() as s, s.begin():
        service.save_targets(stmts, session=s, document_id=res.document_id, region="荆门")
    return res.document_id


def test_tasks_linked_to_an_indicator(session_factory):
    doc = _ledger_with_plan(session_factory)
    with session_factory() as s:
        kept = service.list_targets(session=s, document_id=doc)
        assert [(t.indicator, t.comparator, t.value) for t in kept] == [
            ("每万人发明专利拥有量", "≥", 8.55), ("地理标志商标数量", "≥", 30)]
        tasks = service.tasks_for_indicator("每万人发明专利拥有量", session=s, registry=REG)
        assert [t.text[:6] for t in tasks] == ["加强政策引导"]
        # an alias reaches the same tasks; the start-up time is named by its alias 开办时间
        assert tasks == service.tasks_for_indicator("万人发明专利拥有量", session=s, registry=REG)
        assert [t.text[:6] for t in service.tasks_for_indicator(
            "企业开办时间", session=s, registry=REG)] == ["全面推行企业"]
        assert service.tasks_for_indicator("质检中心数量", session=s, registry=REG) == []
        assert service.indicators_for_task(tasks[0], REG) == ["每万人发明专利拥有量"]


def test_simulated_evaluation_of_a_plan(session_factory):
    doc = _ledger_with_plan(session_factory)
    with session_factory() as s, s.begin():
        for region, patents, gi in (("荆门", 6.87, 18), ("襄阳", 9.0, 82), ("宜昌", 8.0, 25)):
            service.set_observation(region, "每万人发明专利拥有量", patents, period="2024", session=s)
            service.set_observation(region, "地理标志商标数量", gi, period="2024", session=s)
    with session_factory() as s:
        sim = service.simulate_plan(doc, "荆门", "2024", session=s, registry=REG)
    # before: 荆门 is worst on both → 0, rank 3
    assert (round(sim.score_before, 2), sim.rank_before) == (0.0, 3)
    # after: patents 8.55 → (8.55 − 8) / (9 − 8) = 55; GI 30 → (30 − 25) / (82 − 25) = 8.77
    # same dimension (知识产权创造保护和运用): mean 31.89; 宜昌 now worst on both → 0
    assert sim.score_after == pytest.approx((55 + 5 / 57 * 100) / 2)
    assert sim.rank_after == 2
    assert [(a.indicator, a.before, a.after) for a in sim.applied] == [
        ("每万人发明专利拥有量", 6.87, 8.55), ("地理标志商标数量", 18, 30)]


def test_import_stores_aliases_under_the_registry_name(session_factory, tmp_path):
    """开办时间 in one row and 企业开办时间 in another are one indicator: both regions score."""
    from duban.indicators.registry import Registry

    reg = Registry.default()
    assert reg.get("开办时间").name == "企业开办时间"
    p = tmp_path / "obs.csv"
    p.write_text("region,indicator,value,higher_is_better\n"
                 "荆门,企业开办时间,2,false\n襄阳,开办时间,1,false\n武汉,企业开办时间,0.5,false\n",
                 encoding="utf-8")
    with session_factory() as s, s.begin():
        assert service.import_table(p, session=s, actor="tester", period="2024").written == 3
    with session_factory() as s:
        obs = service.list_observations(session=s, period="2024")
        assert {(o.region, o.indicator, o.unit) for o in obs} == {
            ("荆门", "企业开办时间", reg.get("企业开办时间").unit), ("襄阳", "企业开办时间", reg.get("企业开办时间").unit),
            ("武汉", "企业开办时间", reg.get("企业开办时间").unit)}
        result = service.score_period("2024", session=s)
        assert [r.region for r in sorted(result.overall, key=lambda r: r.rank)] == ["武汉", "襄阳", "荆门"]
