"""The distance-to-frontier formula and aggregation on hand-computed cases."""

from __future__ import annotations

import pytest

from duban.indicators.dtf import Row, dtf, rank, score


def rows(ind, values, hib=True, **kw):
    return [Row(r, ind, v, hib, **kw) for r, v in values.items()]


def test_higher_is_better_from_the_compared_regions():
    res = score(rows("专利", {"A": 10, "B": 20, "C": 30}))
    got = {s.region: s.score for s in res.scores}
    assert got == {"A": 0.0, "B": 50.0, "C": 100.0}
    b = res.bounds["专利"]
    assert (b.frontier, b.worst) == (30, 10)


def test_lower_is_better_from_the_compared_regions():
    res = score(rows("开办时间", {"A": 2, "B": 5, "C": 8}, hib=False))
    got = {s.region: s.score for s in res.scores}
    # frontier 2 (best, lowest), worst 8: B = (8 - 5) / (8 - 2) * 100 = 50
    assert got == {"A": 100.0, "B": 50.0, "C": 0.0}


def test_the_two_doing_business_formulas_agree():
    # lower is better, frontier 1, worst 11: (11 - 3.5) / (11 - 1) * 100 = 75
    assert dtf(3.5, 1, 11) == pytest.approx(75.0)
    # higher is better, frontier 11, worst 1: (3.5 - 1) / (11 - 1) * 100 = 25
    assert dtf(3.5, 11, 1) == pytest.approx(25.0)


def test_fixed_frontier_and_worst_clip_to_0_and_100():
    res = score(rows("专利", {"A": 10, "B": 20, "C": 30}, frontier=25, worst=15))
    got = {s.region: s.score for s in res.scores}
    # A: (10 - 15) / 10 → −50 → 0; B: 50; C: 150 → 100
    assert got == {"A": 0.0, "B": 50.0, "C": 100.0}
    c = res.score_of("C", "专利")
    assert c.gap == 0  # beyond the frontier: nothing left to cover


def test_one_fixed_bound_the_other_from_the_data():
    res = score(rows("迟报率", {"A": 20, "B": 10}, hib=False, worst=30))
    # frontier = 10 (best observed), worst fixed 30: A = (30 - 20) / 20 * 100 = 50
    assert res.score_of("A", "迟报率").score == 50.0
    assert res.score_of("B", "迟报率").score == 100.0


def test_missing_value_scores_the_region_on_what_it_has_and_names_the_gap():
    data = rows("i1", {"A": 0, "B": 10, "C": 5}) + rows("i2", {"A": 4, "B": 0})
    data.append(Row("C", "i2", None, True))  # an empty cell
    res = score(data)
    c = res.region("C")
    assert c.score == 50.0  # only i1: (5 - 0) / 10 * 100
    assert c.missing == ["i2"]
    assert any("C" in p and "i2" in p for p in res.problems)
    # A: i1 = 0, i2 = 100 → mean 50; B: 100 and 0 → 50
    assert res.region("A").score == 50.0 and res.region("B").score == 50.0


def test_a_region_with_no_row_at_all_for_an_indicator_is_named_too():
    res = score(rows("i1", {"A": 1, "B": 2}) + rows("i2", {"A": 1, "B": 3, "C": 2}))
    assert res.region("C").missing == ["i1"]
    assert res.region("C").score == 50.0


def test_frontier_equal_to_worst_excludes_the_indicator_with_a_reason():
    data = rows("same", {"A": 7, "B": 7}) + rows("diff", {"A": 1, "B": 3})
    res = score(data)
    assert {s.indicator for s in res.scores} == {"diff"}
    assert res.bounds["same"].excluded
    assert any("same" in p and "前沿值等于最差值" in p for p in res.problems)
    # the excluded indicator neither helps nor hurts: overall = the other indicator
    assert res.region("A").score == 0.0 and res.region("B").score == 100.0
    assert res.region("A").missing == []


def test_frontier_equal_to_worst_raises_in_the_bare_formula():
    with pytest.raises(ValueError):
        dtf(5, 5, 5)


def test_fixed_bounds_against_the_direction_are_excluded():
    res = score(rows("专利", {"A": 1, "B": 2}, frontier=0, worst=10))
    assert res.scores == [] and "不符" in res.bounds["专利"].excluded


def test_weights_inside_a_dimension():
    data = (rows("i1", {"A": 10, "B": 0}, dimension="D", weight=3)
            + rows("i2", {"A": 0, "B": 10}, dimension="D", weight=1))
    res = score(data)
    # A: (3 × 100 + 1 × 0) / 4 = 75; B: (3 × 0 + 1 × 100) / 4 = 25
    assert res.region("A").score == 75.0
    assert res.region("B").score == 25.0
    assert res.region("A").dimensions == {"D": 75.0}


def test_overall_is_the_mean_of_dimensions_not_of_indicators():
    data = (rows("i1", {"A": 10, "B": 0}, dimension="D1") + rows("i2", {"A": 0, "B": 10}, dimension="D1")
            + rows("i3", {"A": 2, "B": 0, "C": 10}, dimension="D2"))
    res = score(data)
    a = res.region("A")
    # D1 = (100 + 0) / 2 = 50; D2 = (2 - 0) / 10 * 100 = 20; overall (50 + 20) / 2 = 35
    # (the plain mean of indicators would be 40)
    assert a.dimensions == {"D1": 50.0, "D2": 20.0}
    assert a.score == pytest.approx(35.0)


def test_without_dimensions_each_indicator_is_its_own_dimension():
    data = rows("i1", {"A": 10, "B": 0}, weight=5) + rows("i2", {"A": 0, "B": 10})
    res = score(data)
    assert res.region("A").dimensions == {"i1": 100.0, "i2": 0.0}
    assert res.region("A").score == 50.0  # weights only act inside a dimension


def test_dimension_weights():
    data = rows("i1", {"A": 10, "B": 0}, dimension="D1") + rows("i2", {"A": 0, "B": 10}, dimension="D2")
    res = score(data, dimension_weights={"D1": 3, "D2": 1})
    assert res.region("A").score == 75.0


def test_ranks_share_ties_and_skip():
    assert rank({"a": 50, "b": 80, "c": 50, "d": 10}) == {"b": 1, "a": 2, "c": 2, "d": 4}
    assert rank({"x": 33.333, "y": 33.3349}) == {"x": 1, "y": 1}  # equal to two decimals


def test_ranks_in_the_overall_list():
    res = score(rows("i", {"A": 1, "B": 3, "C": 3, "D": 0}))
    assert [(r.region, r.rank) for r in res.overall] == [("B", 1), ("C", 1), ("A", 3), ("D", 4)]


def test_gap_to_frontier_and_gain_per_unit():
    res = score(rows("专利", {"A": 10, "B": 20, "C": 30})
                + rows("开办时间", {"A": 2, "B": 5, "C": 8}, hib=False))
    a = res.score_of("A", "专利")
    assert a.gap == 20 and a.move == 20 and a.gain_per_unit == 5.0  # 100 / (30 - 10)
    b = res.score_of("B", "开办时间")
    assert b.gap == 3 and b.move == -3  # must come down by 3
    assert b.gain_per_unit == pytest.approx(100 / 6)
    # 开办时间 pays 16.7 points per day, 专利 5 per unit
    assert [x.indicator for x in res.leverage()] == ["开办时间", "专利"]
    # C: 专利 at the frontier (no gap), 开办时间 100 points away
    assert [g.indicator for g in res.gaps("C")] == ["开办时间"]


def test_negative_values_score_like_any_other():
    res = score(rows("外资新设企业同比增长率", {"荆门": -33.3, "武汉": 11.97, "襄阳": 0}))
    assert res.score_of("襄阳", "外资新设企业同比增长率").score == pytest.approx(33.3 / 45.27 * 100)


def test_nothing_scorable():
    res = score([Row("A", "i", None, True)])
    assert res.scores == [] and res.overall == []
    assert any("没有可用的数值" in p for p in res.problems)
