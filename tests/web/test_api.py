"""The REST API's behaviour beyond permissions: filters, paging, corrections
with history, validation, errors, Excel out and back in, OpenAPI."""

from __future__ import annotations

import pytest

from duban.ledger import service as ledger_service

from .conftest import bearer, snapshot
from .helpers import edited_workbook, read_workbook


@pytest.fixture
def api(web, client):
    """GET/PATCH/POST as the office, by token."""
    class Api:
        def get(self, path, who="office", **kw):
            return client.get(path, headers=bearer(web, who), **kw)

        def patch(self, path, body, who="office"):
            return client.patch(path, json=body, headers=bearer(web, who))

        def post(self, path, who="office", **kw):
            return client.post(path, headers=bearer(web, who), **kw)
    return Api()


def test_task_filters(web, api):
    everything = api.get("/api/tasks?limit=1000").json()
    assert everything["total"] == 20 and len(everything["tasks"]) == 20
    mine = api.get("/api/tasks", params={"unit": "市市场监管局"}).json()
    assert mine["total"] == 3
    assert all("市市场监管局" in t["lead_units"] + t["co_units"] for t in mine["tasks"])
    due = api.get("/api/tasks", params={"due_before": "2025-07-31"}).json()["tasks"]
    assert due and all(t["deadline"] <= "2025-07-31" for t in due)
    assert [t["deadline"] for t in due] == sorted(t["deadline"] for t in due)
    found = api.get("/api/tasks", params={"q": "综合查一次"}).json()["tasks"]
    assert [t["id"] for t in found] == [web.own_task]
    assert api.get("/api/tasks", params={"document": 1}).json()["total"] == 20
    assert api.get("/api/tasks", params={"document": 99}).json()["total"] == 0
    assert api.get("/api/tasks", params={"status": "已完成"}).json()["total"] == 0
    assert api.get("/api/tasks", params={"status": "open"}).json()["total"] == 20


def test_pagination(api):
    first = api.get("/api/tasks?limit=7").json()
    second = api.get("/api/tasks?limit=7&offset=7").json()
    last = api.get("/api/tasks?limit=7&offset=14").json()
    ids = [t["id"] for page in (first, second, last) for t in page["tasks"]]
    assert len(ids) == 20 == len(set(ids)) and first["total"] == 20
    assert (second["limit"], second["offset"]) == (7, 7)


@pytest.mark.parametrize("query,status,word", [
    ("unit=不存在的单位", 404, "不存在的单位"),
    ("due_before=明年", 422, "有效日期"),
    ("status=paused", 422, "状态"),
    ("limit=0", 422, "limit"),
    ("limit=5000", 422, "limit"),
    ("offset=-1", 422, "offset"),
    ("document=abc", 422, "abc"),
])
def test_bad_filters_are_clear_errors(api, query, status, word):
    r = api.get(f"/api/tasks?{query}")
    assert r.status_code == status
    assert word in r.json()["error"]


def test_patch_records_history(web, api):
    before = api.get(f"/api/tasks/{web.own_task}").json()
    r = api.patch(f"/api/tasks/{web.own_task}", {
        "lead_units": ["市市场监管局", "市商务局"], "deadline": "2025年9月底", "status": "进行中",
        "co_units": "市生态环境局、各县（市、区）人民政府", "reason": "按会议纪要调整"})
    assert r.status_code == 200, r.text
    task = r.json()
    assert task["lead_units"] == ["市市场监管局", "市商务局"]
    assert task["co_units"] == ["市生态环境局", "各县（市、区）人民政府"]  # not cut at its 、
    assert task["deadline"] == "2025-09-30" and task["status"] == "in_progress"
    changes = {c["field"]: c for c in task["history"] if c["source"] == "api"}
    assert set(changes) == {"lead_units", "co_units", "deadline", "status"}
    assert changes["deadline"]["old"] == before["deadline"] == "2025-11-30"
    assert changes["deadline"]["new"] == "2025-09-30"
    assert changes["status"]["old"] == "not_started" and changes["status"]["actor"] == "office"
    assert changes["lead_units"]["reason"] == "按会议纪要调整"
    # Nothing to change: no history rows.
    again = api.patch(f"/api/tasks/{web.own_task}", {"status": "in_progress"}).json()
    assert len(again["history"]) == len(task["history"])


@pytest.mark.parametrize("body,word", [
    ({"deadline": "2025-13-45"}, "有效日期"),
    ({"status": "暂停"}, "状态"),
    ({"text": ""}, "任务内容"),
    ({"text": None}, "任务内容"),
    ({"colour": "red"}, "colour"),
    ({"ongoing": "maybe"}, "ongoing"),
])
def test_patch_invalid_is_422_and_changes_nothing(web, api, body, word):
    before = snapshot(web)
    r = api.patch(f"/api/tasks/{web.own_task}", body)
    assert r.status_code == 422, r.text
    assert word in r.json()["error"]
    assert snapshot(web) == before


BIG = "99999999999999999999"


@pytest.mark.parametrize("path,status", [
    (f"/api/tasks/{BIG}", 422), (f"/api/documents/{BIG}", 422), (f"/api/units/{BIG}", 404),
    (f"/api/tasks?unit={BIG}", 404), (f"/api/tasks?document={BIG}", 422), (f"/api/tasks?offset={BIG}", 422),
    ("/api/tasks?q=%00", 422), ("/api/tasks?unit=%00", 422), ("/api/units/%00", 422),
    (f"/tasks/{BIG}", 422), (f"/units/{BIG}", 422), (f"/documents/{BIG}", 422),
])
def test_out_of_range_and_nul_input_is_not_a_500(api, path, status):
    """Values the database cannot take (PostgreSQL refuses NUL bytes and ints
    over 2**31) are the user's mistake: a clear 4xx."""
    r = api.get(path)
    assert r.status_code == status, r.text
    assert r.json()["error"]


@pytest.mark.parametrize("body,word", [
    ({"lead_units": ["市" * 300]}, "单位名称过长"),
    ({"leaders": ["张三" * 100, "李四" * 100]}, "责任领导过长"),
    ({"deadline_text": "年底" * 200}, "时限原文过长"),
    ({"progress": "nul\x00byte"}, "进展情况包含非法字符"),
    ({"co_units": "市财政局、\x00"}, "责任单位包含非法字符"),
])
def test_values_no_column_can_hold_are_422(web, api, body, word):
    before = snapshot(web)
    r = api.patch(f"/api/tasks/{web.own_task}", body)
    assert r.status_code == 422 and word in r.json()["error"], r.text
    assert snapshot(web) == before


def test_patch_body_must_be_an_object(web, client):
    r = client.patch(f"/api/tasks/{web.own_task}", content=b"[1, 2]",
                     headers={**bearer(web, "office"), "Content-Type": "application/json"})
    assert r.status_code == 422 and "error" in r.json()
    r = client.patch(f"/api/tasks/{web.own_task}", content=b"{not json",
                     headers={**bearer(web, "office"), "Content-Type": "application/json"})
    assert r.status_code == 422


def test_documents_and_units(web, api):
    docs = api.get("/api/documents").json()
    assert [d["name"] for d in docs] == ["sample_plan.txt"]
    assert docs[0]["tasks"] == 20 and docs[0]["doc_number"] == "青川政办发〔2025〕12号"
    doc = api.get(f"/api/documents/{docs[0]['id']}").json()
    assert doc["lines"][23].startswith("1.深化企业开办")
    assert api.get("/api/documents/42").status_code == 404
    units = {u["name"]: u for u in api.get("/api/units").json()}
    assert (units["市市场监管局"]["tasks"], units["市市场监管局"]["open"], units["市市场监管局"]["done"]) == (3, 3, 0)
    page = api.get("/api/units?limit=5&offset=5")
    assert len(page.json()) == 5 and int(page.headers["x-total-count"]) == len(units)
    assert api.get("/api/documents?limit=1").headers["x-total-count"] == "1"
    one = api.get("/api/units/市税务局").json()
    assert one["tasks"] == units["市税务局"]["tasks"]
    assert api.get(f"/api/units/{one['id']}").json()["name"] == "市税务局"
    assert api.get("/api/units/不存在").status_code == 404
    assert [u["name"] for u in api.get("/api/units?q=税务").json()] == ["市税务局"]


def test_overdue_follows_the_injected_clock(web, api):
    assert api.get("/api/units/市市场监管局").json()["overdue"] == 0
    web.clock.advance(days=90)  # 30 July 2025: the 2025-06-30 task is late
    assert api.get("/api/units/市市场监管局").json()["overdue"] == 1


def test_export_and_import_workbook(web, api):
    r = api.get("/api/tasks.xlsx?unit=市市场监管局")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    rows = read_workbook(r.content)
    assert len(rows) == 3 and {"序号", "任务内容", "牵头单位", "完成时限", "任务ID"} <= set(rows[0])
    edited = edited_workbook(api.get("/api/tasks.xlsx").content, web.own_task,
                             完成时限="2025-12-31", 状态="进行中", 进展情况="已召开部署会")
    r = api.post("/api/tasks.xlsx", files={"file": ("台账.xlsx", edited)})
    assert r.json() == {"rows": 1, "tasks_changed": 1, "changes": 3}, r.text
    task = api.get(f"/api/tasks/{web.own_task}").json()
    assert (task["deadline"], task["status"], task["progress"]) == ("2025-12-31", "in_progress", "已召开部署会")
    assert {c["field"] for c in task["history"] if c["source"] == "xlsx"} == {"deadline", "status", "progress"}


@pytest.mark.parametrize("content,word", [
    (b"not a workbook at all", "xlsx"),
    (b"PK\x03\x04broken zip", "xlsx"),
])
def test_malformed_workbook_changes_nothing(web, api, content, word):
    before = snapshot(web)
    r = api.post("/api/tasks.xlsx", files={"file": ("台账.xlsx", content)})
    assert r.status_code == 400 and word in r.json()["error"]
    assert snapshot(web) == before


def test_workbook_with_one_bad_row_changes_nothing(web, api):
    exported = api.get("/api/tasks.xlsx").content
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(exported))
    ws = wb["台账"]
    ws.cell(2, 6).value = "第一行的合法修改"  # 进展情况 of row 2: fine
    ws.cell(3, 5).value = "下个月吧"  # 完成时限 of row 3: not a date
    buf = io.BytesIO()
    wb.save(buf)
    before = snapshot(web)
    r = api.post("/api/tasks.xlsx", files={"file": ("台账.xlsx", buf.getvalue())})
    assert r.status_code == 400
    assert "第3行" in r.json()["error"] and "下个月吧" in r.json()["error"]
    assert snapshot(web) == before


@pytest.mark.xfail(not hasattr(ledger_service, "split_unit_text"),
                   reason="ledger before split_unit_text(): xlsx import split 各县（市、区）人民政府 at its 、",
                   strict=True)
def test_unchanged_workbook_round_trip_changes_nothing(web, api):
    r = api.post("/api/tasks.xlsx", files={"file": ("台账.xlsx", api.get("/api/tasks.xlsx").content)})
    assert r.json()["changes"] == 0


def test_openapi(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path, method in [("/api/documents", "get"), ("/api/documents", "post"), ("/api/tasks", "get"),
                         ("/api/tasks/{task_id}", "get"), ("/api/tasks/{task_id}", "patch"),
                         ("/api/units", "get")]:
        assert method in paths[path], (path, method)
    params = {p["name"] for p in paths["/api/tasks"]["get"]["parameters"]}
    assert {"unit", "status", "due_before", "q", "document", "limit", "offset"} <= params
    assert not any(p.startswith("/tasks") or p == "/login" for p in paths)  # pages stay out


def test_errors_are_json_with_status(web, client):
    r = client.get("/api/nowhere", headers=bearer(web, "office"))
    assert r.status_code == 404 and r.json() == {"error": "页面不存在"}
    r = client.delete(f"/api/tasks/{web.own_task}", headers=bearer(web, "office"))
    assert r.status_code == 405 and "error" in r.json()
