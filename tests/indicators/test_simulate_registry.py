"""Simulated evaluation (模拟测评) on hand-computed tables, and the registry."""

from __future__ import annotations

import pytest

from duban.errors import InputError
from duban.indicators.dtf import Row
from duban.indicators.registry import Indicator, Registry, add_to_file
from duban.indicators.simulate import Target, met_value, simulate, targets_from_statements
from duban.indicators.statements import run

REG = Registry.default()


def table():
    return [Row("荆门", "专利", 6, True), Row("襄阳", "专利", 8, True), Row("武汉", "专利", 10, True),
            Row("荆门", "开办时间", 3, False), Row("襄阳", "开办时间", 1, False),
            Row("武汉", "开办时间", 2, False)]


def test_met_value_respects_the_comparator():
    assert met_value(6, Target("x", 8, "≥")) == 8
    assert met_value(9, Target("x", 8, "≥")) == 9  # already better: kept
    assert met_value(3, Target("x", 1, "≤")) == 1
    assert met_value(0.5, Target("x", 1, "≤")) == 0.5
    assert met_value(3, Target("x", 5, "=")) == 5
    assert met_value(None, Target("x", 5, "≥")) == 5


def test_targets_met_change_score_and_rank():
    sim = simulate(table(), "荆门", [Target("专利", 9, "≥"), Target("开办时间", 1.5, "≤")])
    # before: 荆门 patents 0, time 0 → 0, rank 3
    assert (sim.score_before, sim.rank_before) == (0.0, 3)
    # after: patents worst is now 8 (襄阳): (9 − 8) / 2 = 50; time (3 → 1.5) frontier 1,
    # worst 2 (武汉): (2 − 1.5) / 1 = 50 → 50; 襄阳 0 + 100 → 50; 武汉 100 + 0 → 50
    assert sim.score_after == pytest.approx(50.0)
    assert sim.rank_after == 1
    assert [r.rank for r in sim.after.overall] == [1, 1, 1]


def test_a_target_beyond_the_frontier_moves_it():
    sim = simulate(table(), "荆门", [Target("专利", 12, "≥")])
    assert sim.after.bounds["专利"].frontier == 12
    assert sim.after.score_of("武汉", "专利").score == 50.0  # (10 − 8) / (12 − 8)


def test_targets_found_through_the_registry_and_unknown_ones_reported():
    rows = [Row("荆门", "每万人发明专利拥有量", 6.87, True), Row("襄阳", "每万人发明专利拥有量", 9, True)]
    sim = simulate(rows, "荆门", [Target("万人发明专利拥有量", 8.55, "≥"), Target("不存在", 1)],
                   registry=REG)
    assert [(a.indicator, a.after) for a in sim.applied] == [("每万人发明专利拥有量", 8.55)]
    assert sim.not_applied == ["目标「不存在」在测评表中没有对应指标，未计入"]


def test_a_region_without_a_row_gets_one():
    sim = simulate(table()[:3], "宜昌", [Target("专利", 7, "≥")])
    assert sim.rank_before is None
    assert sim.after.score_of("宜昌", "专利").score == 25.0  # (7 − 6) / (10 − 6)


def test_targets_from_statements_of_a_plan():
    stmts = run("p.txt", ["力争万人发明专利拥有量突破 8.55 件，企业开办时间压缩至0.5天。"], REG)
    ts = targets_from_statements(stmts)
    assert [(t.indicator, t.comparator, t.value) for t in ts] == [
        ("每万人发明专利拥有量", "≥", 8.55), ("企业开办时间", "≤", 0.5)]


def test_registry_seed_groups_indicators_into_dimensions():
    assert {"企业开办", "知识产权创造保护和运用", "市场监管", "获得信贷", "政务服务"} <= set(REG.dimensions)
    ind = REG.get("行政处罚信息公示迟报率")
    assert (ind.dimension, ind.unit, ind.higher_is_better) == ("市场监管", "%", False)


def test_registry_matching():
    assert REG.match("万人高价值发明专利拥有量").name == "每万人高价值专利拥有量"  # alias
    assert REG.match("荆门市外资新设同比增长率").name == "外资新设企业同比增长率"  # containing alias
    assert REG.match("“一业一证”行业数量").name == "一业一证行业数量"  # quotes ignored
    assert REG.match("新增返乡创业") is None
    assert [i.name for i in REG.mentions("力争全市专利授权总量达到4500件，万人发明专利拥有量突破8.55件")] == [
        "每万人发明专利拥有量", "专利授权总量"]


def test_user_file_overrides_and_extends(tmp_path):
    f = tmp_path / "r.yaml"
    add_to_file(f, Indicator("获得电力时间", "获得电力", "天", False, 2.0, ["用电报装时间"]))
    add_to_file(f, Indicator("地理标志商标数量", "知识产权创造保护和运用", "件", True, 3.0))
    reg = Registry.default(f)
    assert reg.match("用电报装时间").higher_is_better is False
    assert reg.get("地理标志商标数量").weight == 3.0
    assert len([i for i in reg.indicators() if i.name == "地理标志商标数量"]) == 1


def test_bad_registry_file(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("indicators: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="dimensions"):
        Registry.default(f)
    f.write_text("dimensions:\n  D:\n    indicators:\n      x: {higher_is_better: maybe}\n", encoding="utf-8")
    with pytest.raises(InputError, match="higher_is_better"):
        Registry.default(f)
