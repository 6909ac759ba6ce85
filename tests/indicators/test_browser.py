"""指标测评 in Debian's Chromium, driven by Playwright (issue 5): an office user
logs in, opens 指标测评, types the observations of three regions for period 2024
into the entry form one by one (as a person does), and sees the distance-to-frontier
ranking — region order, overall and dimension scores equal to the ones computed
here from the formula — then a region's gaps to the frontier. One value is not a
number: the page says so in Chinese and nothing is stored. The values are read back
from the database through duban.indicators.service.

Indicators are chosen, not created: the registry is a YAML file (data/registry.yaml,
extended with `duban indicators registry --add`), and the page offers its names in the
indicator box's datalist. The three used here are in the seeded registry:
每万人发明专利拥有量 (件, higher is better), 企业开办时间 (天, lower) and 企业开办环节
(个, lower). 襄阳's time is typed with the alias 开办时间 and must be kept (and scored)
as 企业开办时间.

Runs on SQLite and PostgreSQL (`migrated_url`); the app is served by uvicorn on
loopback (`live_app`); the browser is /usr/bin/chromium (never `playwright install`)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "指标-测评-浏览器-123"
PERIOD = "2024"
PATENTS, DAYS, STEPS = "每万人发明专利拥有量", "企业开办时间", "企业开办环节"
IP_DIM, START_DIM = "知识产权创造保护和运用", "企业开办"
# indicator → (higher is better, dimension, unit), as the seeded registry has them
INDICATORS = {PATENTS: (True, IP_DIM, "件"), DAYS: (False, START_DIM, "天"),
              STEPS: (False, START_DIM, "个")}
# What the office types, in order: region, indicator as typed, value as typed.
ENTRIES = [
    ("荆门", PATENTS, "6.87"), ("荆门", DAYS, "2.5"), ("荆门", STEPS, "3"),
    ("襄阳", PATENTS, "9.1"), ("襄阳", "开办时间", "1"), ("襄阳", STEPS, "4"),
    ("武汉", PATENTS, "40.2"), ("武汉", DAYS, "3"), ("武汉", STEPS, "2"),
]
ALIASES = {"开办时间": DAYS}


def values() -> dict[str, dict[str, float]]:
    """indicator → region → value, from ENTRIES."""
    out: dict[str, dict[str, float]] = {}
    for region, typed, value in ENTRIES:
        out.setdefault(ALIASES.get(typed, typed), {})[region] = float(value)
    return out


def expected_scores():
    """The Doing Business formula by hand: per indicator
    lower is better:  (worst − y) / (worst − frontier) × 100
    higher is better: (y − worst) / (frontier − worst) × 100, clipped to [0, 100];
    frontier and worst are the best and worst values of the three regions.
    Dimension = mean of its indicators; overall = mean of the dimensions."""
    per_dim: dict[str, dict[str, list[float]]] = {}
    for ind, by_region in values().items():
        higher, dim, _unit = INDICATORS[ind]
        vals = list(by_region.values())
        frontier, worst = (max(vals), min(vals)) if higher else (min(vals), max(vals))
        for region, y in by_region.items():
            if higher:
                s = (y - worst) / (frontier - worst) * 100
            else:
                s = (worst - y) / (worst - frontier) * 100
            per_dim.setdefault(region, {}).setdefault(dim, []).append(max(0.0, min(100.0, s)))
    dims = {r: {d: sum(v) / len(v) for d, v in ds.items()} for r, ds in per_dim.items()}
    overall = {r: sum(ds.values()) / len(ds) for r, ds in dims.items()}
    return overall, dims


@pytest.fixture
def server(migrated_url, live_app, monkeypatch):
    from argon2 import PasswordHasher

    from duban import db
    from duban.ledger import people, service

    monkeypatch.setattr(people, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                          parallelism=1))
    monkeypatch.setattr(people, "_dummy", [])
    sf = db.session_factory(migrated_url)
    with db.session_scope(sf) as s:
        service.create_person("office", session=s, role="office", password=PASSWORD,
                              actor="test", source="cli", display_name="督办室小王")
    return {"base": live_app(migrated_url), "sf": sf}


def stored(sf, **where) -> dict[tuple[str, str], tuple[float, str | None, str]]:
    """(region, indicator) → (value, unit, source) of the observations in the database."""
    from duban import db
    from duban.indicators import service

    with db.session_scope(sf) as s:
        return {(o.region, o.indicator): (o.value, o.unit, o.source)
                for o in service.list_observations(session=s, **where)}


def submit(page, region: str, indicator: str, value: str) -> None:
    """Type one observation into the entry form and press 录入."""
    form = page.locator("#add-observation")
    form.locator("input[name=period]").fill(PERIOD)
    form.locator("input[name=region]").fill(region)
    form.locator("input[name=indicator]").fill(indicator)
    form.locator("input[name=value]").fill(value)
    with page.expect_navigation():
        form.locator("button:has-text('录入')").click()


def test_three_regions_entered_in_the_browser_are_ranked(browser_page, browser_login, server,
                                                          screenshot):
    from playwright.sync_api import expect

    page, base, sf = browser_page, server["base"], server["sf"]
    overall, dims = expected_scores()
    # The hand computation itself, spelled out: 荆门 (37.5 + 0) / 2; 襄阳 (50 + 6.69) / 2;
    # 武汉 (50 + 100) / 2 — 武汉 first, then 襄阳, then 荆门 (the reverse of entry order).
    assert {r: round(v, 2) for r, v in overall.items()} == {"荆门": 18.75, "襄阳": 28.35,
                                                             "武汉": 75.0}
    order = sorted(overall, key=lambda r: -overall[r])
    assert order == ["武汉", "襄阳", "荆门"]

    browser_login(page, base, "office", PASSWORD)
    page.click("nav a:has-text('指标测评')")
    page.wait_for_url(re.compile(r"/indicators$"))
    expect(page.locator("h1")).to_have_text("指标测评（前沿距离法）")
    expect(page.locator("#ranking tbody")).to_contain_text("该期间还没有可计分的观测值")

    # The indicator box offers the registry's names; the three used here are among them.
    offered = page.locator("#indicator-names option").evaluate_all(
        "opts => opts.map(o => o.value)")
    assert {PATENTS, DAYS, STEPS} <= set(offered)

    for region, typed, value in ENTRIES:
        submit(page, region, typed, value)
        name = ALIASES.get(typed, typed)
        expect(page.locator(".flash-ok")).to_contain_text(
            f"已录入：{region}「{name}」= {float(value):g}{INDICATORS[name][2]}（期间 {PERIOD}）")
        expect(page.locator(".flash-error")).to_have_count(0)
    assert re.search(r"/indicators\?period=2024$", page.url)
    expect(page.locator("#add-observation input[name=period]")).to_have_value(PERIOD)
    expect(page.locator("select[name=period] option:checked")).to_have_text(PERIOD)
    screenshot(page, "indicators-entered", full_page=True)

    # A value that is not a number: a clear message, and nothing stored.
    before = stored(sf)
    for bad in ("很多", "nan"):
        submit(page, "荆门", "企业开办费用", bad)
        expect(page.locator(".flash-error")).to_have_text(f"数值 '{bad}' 不是数字")
        expect(page.locator(".flash-ok")).to_have_count(0)
        form = page.locator("#add-observation")  # what was typed is still there, to correct
        expect(form.locator("input[name=region]")).to_have_value("荆门")
        expect(form.locator("input[name=indicator]")).to_have_value("企业开办费用")
        expect(form.locator("input[name=value]")).to_have_value(bad)
    screenshot(page, "indicators-bad-value")
    assert stored(sf) == before
    assert stored(sf, indicator="企业开办费用") == {}
    page.reload()  # the rejected entry is refilled once, not forever
    expect(page.locator("#add-observation input[name=value]")).to_have_value("")

    # The ranking as the page shows it: order, rank, overall and dimension scores.
    page.goto(f"{base}/indicators?period={PERIOD}")
    heads = page.locator("#ranking thead th").all_inner_texts()
    assert heads[:3] == ["排名", "地区", "总分"] and heads[-1] == "缺少的指标"
    assert sorted(heads[3:-1]) == sorted([IP_DIM, START_DIM])
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(3)
    shown = [dict(zip(heads, rows.nth(i).locator("td").all_inner_texts())) for i in range(3)]
    assert [r["地区"] for r in shown] == order
    for rank, (row, region) in enumerate(zip(shown, order), 1):
        assert row["排名"] == str(rank)
        assert row["总分"] == f"{overall[region]:.2f}", (region, row)
        for dim in (IP_DIM, START_DIM):
            assert row[dim] == f"{dims[region][dim]:.2f}", (region, dim, row)
        assert row["缺少的指标"] == ""
    expect(page.locator("#problems")).to_have_count(0)

    # Every value entered is listed, 襄阳's 开办时间 under 企业开办时间.
    obs_rows = page.locator("#observations tbody tr")
    expect(obs_rows).to_have_count(len(ENTRIES))
    xy = page.locator("#observations tbody tr", has_text="襄阳").filter(has_text=DAYS)
    expect(xy.locator("td")).to_have_text(["襄阳", DAYS, "1天", "网页录入", re.compile(r"\d")])
    names = page.locator("#observations tbody td:nth-child(2)").all_inner_texts()
    assert sorted(set(names)) == sorted(INDICATORS) and len(names) == len(ENTRIES)
    screenshot(page, "indicators-ranking", full_page=True)

    # 襄阳's gaps to the frontier: 31.1 件 of patents and 2 steps to go; time is at the frontier.
    page.locator("#ranking a", has_text="襄阳").click()
    page.wait_for_url(re.compile(r"region="))
    expect(page.locator("h2", has_text="距前沿差距")).to_have_text("襄阳：距前沿差距")
    gaps = page.locator("#gaps tbody tr")
    expect(gaps).to_have_count(2)
    expect(gaps.filter(has_text=PATENTS)).to_contain_text("提高 31.1件")
    expect(gaps.filter(has_text=STEPS)).to_contain_text("降低 2个")
    expect(page.locator("#gaps")).not_to_contain_text(DAYS)

    # In the database: the nine values as typed, kept under the registry names and units.
    want = {}
    for region, typed, value in ENTRIES:
        name = ALIASES.get(typed, typed)
        want[region, name] = (float(value), INDICATORS[name][2], "web")
    assert stored(sf) == want
    assert stored(sf, period=PERIOD) == want

    # The service's scoring of what is stored agrees with the page.
    from duban import db
    from duban.indicators import service
    from duban.indicators.registry import Registry

    reg = Registry.default()
    for name, (higher, dim, unit) in INDICATORS.items():
        ind = reg.get(name)
        assert (ind.higher_is_better, ind.dimension, ind.unit) == (higher, dim, unit)
    with db.session_scope(sf) as s:
        result = service.score_period(PERIOD, session=s, registry=reg)
    assert [(r.region, r.rank, round(r.score, 6)) for r in result.overall] == [
        (r, i, round(overall[r], 6)) for i, r in enumerate(order, 1)]
