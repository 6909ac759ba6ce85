"""The 指标测评 pages on a real app and database: three regions' observations entered
through the form, the ranking and gaps shown, JSON in the CLI's contract, charts, and
the tasks page. Skipped when the web package is not there."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("duban.web.app", reason="duban.web not present: indicator pages not tested")


PASSWORD = "正确的密码-123"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(migrated_url):
    from duban import db
    from duban.indicators import views
    from duban.ledger import service
    from duban.web.app import create_app
    from duban.web.config import WebConfig

    sf = db.session_factory(migrated_url)
    with db.session_scope(sf) as s:
        for who in ("office", "viewer"):
            service.create_person(who, session=s, role=who, actor="test", source="test",
                                  password=PASSWORD)
    app = create_app(WebConfig(db_url=migrated_url, secret_key="k"))
    views.install(app)
    return app


def login(app, who):
    """A browser-like client with a session (pages, forms with their CSRF token)."""
    from fastapi.testclient import TestClient

    c = TestClient(app)
    token = CSRF_RE.search(c.get("/login").text).group(1)
    r = c.post("/login", data={"username": who, "password": PASSWORD, "csrf_token": token},
               follow_redirects=False)
    assert r.status_code == 303
    return c


def csrf(c, path="/indicators"):
    return CSRF_RE.search(c.get(path).text).group(1)


def test_enter_three_regions_and_see_the_ranking(app):
    office, viewer = login(app, "office"), login(app, "viewer")
    token = csrf(office)
    for region, patents, days in (("荆门", "6.87", "3"), ("襄阳", "9.1", "1"), ("武汉", "40.2", "2")):
        for ind, value in (("每万人发明专利拥有量", patents), ("企业开办时间", days)):
            r = office.post("/indicators/observations", follow_redirects=False, data={
                "period": "2023", "region": region, "indicator": ind, "value": value,
                "csrf_token": token})
            assert r.status_code == 303
    page = office.get("/indicators?period=2023").text
    ranking = page[page.index('id="ranking"'):page.index("</table>", page.index('id="ranking"'))]
    assert ranking.index(">武汉<") < ranking.index(">襄阳<") < ranking.index(">荆门<")
    data = viewer.get("/indicators?period=2023&_format=json").json()
    # 武汉: patents 100, time 50 (frontier 1, worst 3) → 75 (different dimensions: 知识产权…, 企业开办)
    # 襄阳: (9.1 − 6.87) / 33.33 × 100 = 6.69, time 100 → 53.35; 荆门: 0 and 0
    assert [(r["region"], r["score"], r["rank"]) for r in data["overall"]] == [
        ("武汉", 75.0, 1), ("襄阳", 53.35, 2), ("荆门", 0.0, 3)]
    gaps = office.get("/indicators?period=2023&region=荆门").text
    assert 'id="gaps"' in gaps and "提高 33.33" in gaps and "降低 2" in gaps
    png = viewer.get("/indicators/chart/dimensions.png?period=2023")
    if png.status_code == 200:
        assert png.content[:4] == b"\x89PNG"


def test_bad_value_is_flashed_and_viewers_cannot_enter(app):
    office, viewer = login(app, "office"), login(app, "viewer")
    r = office.post("/indicators/observations", data={
        "region": "荆门", "indicator": "专利", "value": "很多", "csrf_token": csrf(office)})
    assert r.status_code == 200 and "不是数字" in r.text
    r = office.post("/indicators/observations", data={"region": "荆门", "indicator": "专利", "value": "1"})
    assert r.status_code == 403  # no CSRF token
    r = viewer.post("/indicators/observations", data={
        "region": "荆门", "indicator": "专利", "value": "1", "csrf_token": csrf(viewer)})
    assert r.status_code == 403
    assert 'id="add-observation"' not in viewer.get("/indicators").text


def test_tasks_page_for_an_indicator(app):
    viewer = login(app, "viewer")
    r = viewer.get("/indicators/tasks?name=万人发明专利拥有量&_format=json")
    assert r.status_code == 200 and r.json() == []
    page = viewer.get("/indicators/tasks?name=万人发明专利拥有量").text
    assert "每万人发明专利拥有量" in page and "没有提到该指标的任务" in page
