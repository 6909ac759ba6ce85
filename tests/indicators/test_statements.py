"""Indicator statements: the real s000 lines (read from the corpus at test time), the
other gold documents' tricky forms, and the joiner on synthetic PDF breaks."""

from __future__ import annotations

import pytest

from duban.indicators import extract_indicators
from duban.indicators.names import split_rates
from duban.indicators.statements import run
from duban.ingest.source import Source


def one(s000, line, name_part=None):
    found = [s for s in s000.get(line, []) if name_part is None or name_part in s.name]
    assert len(found) == 1, (line, s000.get(line))
    return found[0]


@pytest.mark.corpus
def test_invention_patents_against_the_provincial_average(s000):
    s = one(s000, 350)  # ①每万人发明专利拥有量低，我市为 6.87 件，低于全省平均水平（8.55 件）
    assert s.name == "每万人发明专利拥有量"
    assert (s.value, s.unit, s.average) == (6.87, "件", 8.55)
    assert s.higher_is_better is True and s.best is None


@pytest.mark.corpus
def test_trademarks_with_a_value_split_across_lines(s000):
    s = one(s000, 352)  # …拥有量低，⏎ 我市为 663.20 件，低于全省平均水平（1026.06 件）
    assert (s.value, s.average) == (663.20, 1026.06)


@pytest.mark.corpus
def test_geographical_indications_with_average_and_best_city(s000):
    s = one(s000, 360)  # 地理标志商标数量 18 件低于全省平均（30.4 件）全省最优（襄阳 82 件）
    assert (s.value, s.average, s.best, s.best_region) == (18, 30.4, 82, "襄阳")
    assert s.rank is None
    p = one(s000, 362)  # 地理标志保护产品数量 3 件…最优（黄冈 47 件），全省排位靠后（11 位）
    assert (p.value, p.average, p.best, p.best_region, p.rank) == (3, 9.7, 47, "黄冈", 11)


@pytest.mark.corpus
def test_negative_growth_against_the_best_city(s000):
    s = one(s000, 49)  # ③外资新设企业同比增长率低，我市为 ⏎ -33.3%，低于全省最优武汉（11.97%）
    assert (s.value, s.unit, s.best, s.best_region) == (-33.3, "%", 11.97, "武汉")
    t = one(s000, 95)  # table cell: …为-33.3%，低于全省最优市（州）武汉市（11.97%）
    assert (t.value, t.best, t.best_region) == (-33.3, 11.97, "武汉市")


@pytest.mark.corpus
def test_late_reporting_rate_is_better_low(s000):
    s = one(s000, 613)  # 行政处罚信息公示迟报率高，我市为 20.12%，高于全省平均水平（17.85% ⏎ ）
    assert (s.value, s.average, s.higher_is_better) == (20.12, 17.85, False)
    c = one(s000, 617)
    assert (c.value, c.average, c.higher_is_better) == (81.33, 84.26, True)


@pytest.mark.corpus
def test_value_in_brackets_with_an_unmet_standard(s000):
    s = one(s000, 619)  # ④清理拖欠中小企业无分歧欠款清偿率（ ⏎ 58.93%）未达到 100%
    assert (s.value, s.target_value, s.target_comparator) == (58.93, 100, "≥")
    b = one(s000, 1029)  # 信用承诺数量占市场主体比重（39.62%）低于全省最优水平（89.5%）
    assert (b.value, b.best, b.best_region) == (39.62, 89.5, None)


@pytest.mark.corpus
def test_targets_of_the_ip_measures(s000):
    t = one(s000, 439)  # 万人发明专利拥有量突 ⏎ 破 8.55 件
    assert (t.target_value, t.target_comparator, t.unit) == (8.55, "≥", "件")
    assert t.indicator == "每万人发明专利拥有量"  # through the registry alias
    assert one(s000, 441).target_value == 2.4
    assert one(s000, 437).target_value == 4500
    assert one(s000, 477).unit == "亿元"


@pytest.mark.corpus
def test_targets_with_year_and_suffix(s000):
    t = one(s000, 138)  # 2023 年 ⏎ 将改革行业拓展至 28 个以上
    assert (t.target_value, t.target_comparator, t.target_year) == (28, "≥", 2023)
    assert t.indicator == "一业一证行业数量"
    f = one(s000, 109)  # 2023 年外资企业新发展 90 户以上
    assert (f.target_value, f.unit, f.target_year) == (90, "户", 2023)


@pytest.mark.corpus
def test_business_start_up_standard(s000):
    found = {s.name: s for s in s000[187]}  # 推行企业登记“1 个环节、0.5 天、零费用”标准
    assert found["企业开办环节"].target_value == 1
    assert (found["企业开办时间"].target_value, found["企业开办时间"].unit) == (0.5, "天")
    assert found["企业开办时间"].higher_is_better is False


@pytest.mark.corpus
def test_evidence_counts_and_dates_are_not_indicators(s000):
    # 提供“四新经济”包容审慎监管案例 1条以上 (line 683); deadlines like 6月30日
    assert not any(675 <= n <= 690 for n in s000)
    assert not any(n in s000 for n in (17, 465, 717))


@pytest.mark.corpus
def test_s001_lists_of_rates_and_growth_targets(corpus_dir):
    from duban.ingest import read

    found = extract_indicators(read(corpus_dir / "s001.txt"))
    l16 = {s.name: s for s in found if s.line == 16}
    assert {"行政许可、行政处罚信息上报率", "行政许可、行政处罚信息合规率",
            "行政许可、行政处罚信息及时率"} <= set(l16)
    assert l16["初审时间"].target_comparator == "≤" and l16["初审时间"].unit == "工作日"
    growth = next(s for s in found if s.line == 9)
    assert (growth.target_value, growth.target_year, growth.unit) == (5, 2025, "%")


@pytest.mark.corpus
def test_s004_unitless_ceiling(corpus_dir):
    from duban.ingest import read

    found = extract_indicators(read(corpus_dir / "s004.txt"))
    s = next(s for s in found if s.line == 93)  # 万台特种设备死亡率控制在0.1以下
    assert (s.name, s.target_value, s.target_comparator, s.unit) == ("万台特种设备死亡率", 0.1, "≤", None)
    assert s.higher_is_better is False


def test_numbers_broken_across_lines_are_joined():
    lines = ["①每万人发明专利拥有量低，我市为 6.", "", "87 件，低于全省平", "", "均水平（8.55", "", "件）。"]
    (s,) = run("x.txt", lines)
    assert (s.line, s.value, s.average, s.unit) == (1, 6.87, 8.55, "件")


def test_half_width_punctuation_and_notes_are_handled():
    lines = ["(八)深化信用建设。初审时间压缩至1个工作日,力争入驻率达到70%。(市发改委负责,2025年12月底前完成)"]
    found = run("x.txt", lines)
    assert [(s.name, s.target_value, s.target_year) for s in found] == [
        ("初审时间", 1.0, None), ("入驻率", 70.0, None)]


def test_direction_from_wording_without_registry():
    (s,) = run("x.txt", ["②办理时间长，我市为 5 天，高于全省平均水平（3 天）。"])
    assert (s.value, s.average, s.higher_is_better, s.direction_from) == (5, 3, False, "wording")


def test_direction_from_comparator_and_name():
    found = run("x.txt", ["培训时间不少于10天。审批时间压缩至3天。新增就业岗位2000个。"])
    assert [(s.name, s.higher_is_better, s.direction_from) for s in found] == [
        ("培训时间", True, "comparator"), ("审批时间", False, "comparator"),
        ("新增就业岗位", True, "default")]


def test_split_rates():
    assert split_rates("行政许可、行政处罚信息上报率、合规率和及时率") == [
        "行政许可、行政处罚信息上报率", "行政许可、行政处罚信息合规率", "行政许可、行政处罚信息及时率"]
    assert split_rates("中心城区城市生活污水集中收集率") == ["中心城区城市生活污水集中收集率"]


def test_extract_indicators_takes_a_source():
    src = Source(name="p.txt", lines=["全省市场主体数量达到 850 万户。"])
    (s,) = extract_indicators(src)
    assert (s.doc, s.line, s.target_value, s.unit, s.indicator) == ("p.txt", 1, 850, "万户", "市场主体数量")
    assert s.to_record()["kind"] == "target"


def test_subsidies_conditions_and_caps_are_not_indicators():
    lines = ["按照生产性设备投资额的 8% 给予补助，单个项目补助最高不超过 400 万元。",
             "当居民消费价格指数（CPI）单月同比涨幅达到3%时，启动联动机制。",
             "对投资 300 万元以上且在建设期内的项目予以支持。",
             "完成补贴性职业技能培训50万人次。工程质量保证金预留比例不得高于3%。"]
    found = run("x.txt", lines)
    assert [(s.name, s.target_comparator, s.target_value, s.unit) for s in found] == [
        ("补贴性职业技能培训", "=", 50.0, "万人次"), ("工程质量保证金预留比例", "≤", 3.0, "%")]
