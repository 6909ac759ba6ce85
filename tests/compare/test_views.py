"""The compare router in the real web app: JSON API and pages, bad input as
clear 4xx answers (never a 500). Browser tests belong with the web app's."""

import json
import re

import pytest

from .conftest import task_at

PASSWORD = "对比-检索-123"


@pytest.fixture(scope="module")
def client(corpus):
    import uuid

    from fastapi.testclient import TestClient

    from duban import db
    from duban.compare import views
    from duban.ledger import service
    from duban.web.app import create_app
    from duban.web.config import WebConfig

    app = create_app(WebConfig(db_url=corpus.url, secret_key="test-secret"))
    if not any(getattr(r, "path", "") == "/api/search" for r in app.routes):
        views.install(app)  # until duban/web/app.py lists duban.compare.views
    name = f"viewer_{uuid.uuid4().hex[:6]}"
    with db.session_scope(corpus.sf) as s:
        service.create_person(name, session=s, role="viewer", actor="test", source="cli",
                              password=PASSWORD)
        token = service.create_token(name, session=s, actor="test", source="cli")
    with TestClient(app, follow_redirects=False,
                    headers={"Authorization": f"Bearer {token}"}) as c:
        c.username = name
        yield c


@pytest.fixture(scope="module")
def browser(client):
    """The same app as a logged-in browser (HTML pages, session cookie)."""
    import re

    from fastapi.testclient import TestClient

    with TestClient(client.app, follow_redirects=False) as b:
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', b.get("/login").text).group(1)
        r = b.post("/login", data={"username": client.username, "password": PASSWORD,
                                   "csrf_token": csrf})
        assert r.status_code == 303, r.text
        yield b


def test_api_search(client):
    r = client.get("/api/search", params={"q": "一业一证", "region": "湖北", "limit": 50})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["tasks"] and all(h["region_code"].startswith("42") for h in data["tasks"])
    assert all("<mark>一业一证</mark>" in h["snippet"] for h in data["tasks"])
    assert {d["doc"] for d in data["documents"]} >= {"s003-hubei-03.txt", "s004.txt"}
    assert data["elapsed_ms"] >= 0 and data["total"] == len(data["tasks"])


@pytest.mark.parametrize("params, status, message", [
    ({"q": ""}, 400, "请输入检索词"),
    ({"q": '"*('}, 400, "没有可检索的文字"),
    ({"q": "'"}, 400, "没有可检索的文字"),
    ({"q": "-"}, 400, "没有可检索的文字"),
    ({"q": "   "}, 400, "请输入检索词"),
    ({"q": "很" * 501}, 400, "过长"),
    ({"q": "a" * 10_000}, 400, "过长"),  # 10,000 CJK characters: test_long_query_over_http
    ({"q": "企业", "region": "\x00"}, 400, "控制字符"),  # PostgreSQL refuses a NUL
    ({"q": "企业", "issuer": "郑州\x00"}, 400, "控制字符"),
    ({"q": "企业", "unit": "x\x00"}, 400, "控制字符"),
    ({"q": "企业", "year": "99999999999999999999"}, 400, "年份"),
    ({"q": "企业", "region": "火星"}, 400, "未知地区"),
    ({"q": "企业", "year": "abc"}, 400, "年份"),
    ({"q": "企业", "status": "坏"}, 422, "状态"),
    ({"q": "企业", "unit": "不存在的单位"}, 404, "未找到单位"),
    ({"q": "企业", "limit": "abc"}, 400, "limit"),
    ({"q": "企业", "limit": "100000"}, 400, "limit"),
])
def test_api_search_bad_input(client, params, status, message):
    r = client.get("/api/search", params=params)
    assert r.status_code == status and message in r.json()["error"], r.text


@pytest.mark.parametrize("q", ["NEAR", "NEAR(", "一业一证 OR 企业", 'NEAR("一业一证" 企业)',
                               "一业一证 AND 企业-"])
def test_fts_words_are_plain_words(client, q):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200 and r.json()["tasks"] == []


@pytest.mark.parametrize("q, terms", [('"一业一证"', ["一业一证"]), ("一业一证*", ["一业一证"]),
                                      ("'一业一证' -行业", ["一业一证", "行业"])])
def test_fts_characters_are_separators(client, q, terms):
    data = client.get("/api/search", params={"q": q}).json()
    assert data["terms"] == terms and data["tasks"]


@pytest.mark.parametrize("q, status, message", [
    ('"', 400, "没有可检索的文字"), ("'", 400, "没有可检索的文字"), ("-", 400, "没有可检索的文字"),
    ("NEAR(", 200, None), ("OR", 200, None), ("a" * 10_000, 400, "过长"),
])
def test_search_page_bad_input(browser, q, status, message):
    r = browser.get("/search", params={"q": q})
    assert r.status_code == status and "跨地区检索" in r.text
    assert message is None or message in r.text


def test_long_query_over_http(client, live_app, corpus):
    """10,000 Chinese characters are 90 KB of URL: the real server must still answer
    with the message (TestClient's URL limit is lower, so this goes over a socket)."""
    import http.client
    import urllib.parse

    base = urllib.parse.urlsplit(live_app(corpus.url))
    for path in ("/api/search", "/search"):
        conn = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
        conn.request("GET", path + "?" + urllib.parse.urlencode({"q": "很" * 10_000}),
                     headers={"Authorization": client.headers["Authorization"],
                              "Accept": "application/json"})
        r = conn.getresponse()
        assert r.status == 400 and "过长" in json.loads(r.read())["error"]
        conn.close()


def test_search_page_marks_matches(browser):
    r = browser.get("/search", params={"q": "首席服务员"})
    assert r.status_code == 200 and "<mark>首席服务员</mark>" in r.text
    assert 'id="task-hits"' in r.text and "跨地区检索" in r.text
    bad = browser.get("/search", params={"q": "企业", "region": "火星"})
    assert bad.status_code == 400 and "未知地区" in bad.text
    empty = browser.get("/search")
    assert empty.status_code == 200 and 'id="task-hits"' not in empty.text


def test_similar_api_and_page(corpus, client, browser):
    with corpus.sf() as s:
        query, expected = task_at(s, "s000.txt", 187), task_at(s, "s003-hubei-03.txt", 25)
    data = client.get(f"/api/similar/{query}", params={"k": 5}).json()
    assert expected in [h["id"] for h in data["similar"]]
    page = browser.get(f"/similar/{query}")
    assert page.status_code == 200 and 'id="similar"' in page.text
    assert client.get("/api/similar/999999999").status_code == 404
    assert client.get("/api/similar/99999999999999999999").status_code == 404  # no db integer
    assert browser.get("/similar/99999999999999999999").status_code == 404


def test_compare_page_sections_are_disjoint(client, browser):
    """The page lists every task of A once: in 两者都有 or in 仅 A 有, never both."""
    data = client.get("/api/compare", params={"a": "s002.txt", "b": "s003-jiangxi-02.txt"}).json()
    page = browser.get("/compare", params={"a": "s002.txt", "b": "s003-jiangxi-02.txt"}).text
    sections = dict(re.findall(r'<table class="grid" id="([\w-]+)">(.*?)</table>', page, re.S))
    linked = {k: [int(i) for i in re.findall(r'href="/tasks/(\d+)"', v)] for k, v in sections.items()}
    both_a, both_b = set(linked["both"][0::2]), set(linked["both"][1::2])
    assert both_a == {m["a"]["id"] for m in data["both"]} and both_b == {m["b"]["id"] for m in data["both"]}
    assert not both_a & set(linked["only-a"]) and not both_b & set(linked["only-b"])
    assert len(both_a | set(linked["only-a"])) == data["a"]["tasks"]
    assert len(both_b | set(linked["only-b"])) == data["b"]["tasks"]
    assert "多对一" in page  # jiangxi-02 states a measure twice: both copies are matched


def test_compare_api_and_page(client, browser):
    data = client.get("/api/compare", params={"a": "s000.txt", "b": "s003-hubei-03.txt"}).json()
    assert data["both"] and data["targets_differ"]
    page = browser.get("/compare", params={"a": "s003-henan-02.txt", "b": "s003-henan-07.txt"})
    assert page.status_code == 200 and 'id="both"' in page.text and "新乡市" in page.text
    bad = client.get("/api/compare", params={"a": "nope.txt", "b": "s000.txt"})
    assert bad.status_code == 404 and "未找到文件" in bad.json()["error"]
    for params, status, message in [({"a": "s000.txt\x00", "b": "s002.txt"}, 400, "控制字符"),
                                    ({"a": "很" * 5000, "b": "s002.txt"}, 400, "过长"),
                                    ({"a": "s000.txt", "b": "s002.txt", "threshold": 2}, 400, "0 到 1")]:
        for r in (client.get("/api/compare", params=params),
                  browser.get("/compare", params=params)):
            assert r.status_code == status and message in r.text


def test_matrix_api_page_and_xlsx(client, browser):
    data = client.get("/api/reforms/matrix").json()
    row = next(r for r in data["reforms"] if r["name"] == "一业一证")
    assert row["regions"] >= 5
    page = browser.get("/reforms")
    assert page.status_code == 200 and 'data-reform="一业一证"' in page.text
    x = browser.get("/reforms/matrix.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    assert "spreadsheetml" in x.headers["content-type"]


def test_anonymous_is_refused(client):
    from fastapi.testclient import TestClient

    with TestClient(client.app, follow_redirects=False) as anon:
        assert anon.get("/api/search", params={"q": "企业"}).status_code == 401
        assert anon.get("/search").status_code == 303  # to the login page
