"""The HTML pages: every role can read them, only the right roles see and use
the edit forms, corrections land in the history, errors are one clear line."""

from __future__ import annotations

import re

import pytest

from .conftest import PEOPLE, ROLES, csrf_of, logged_in, snapshot
from .helpers import edited_workbook

PAGES = ["/", "/tasks", "/tasks?unit=市市场监管局&status=open&q=企业&due_before=2025-12-31&document=1",
         "/documents", "/documents/1", "/tasks/{own}", "/units", "/units?q=税务", "/tasks.xlsx"]


@pytest.mark.parametrize("who", ROLES)
def test_every_page_for_every_role(web, who):
    c = logged_in(web, who)
    for page in PAGES:
        r = c.get(page.format(own=web.own_task))
        if who == "anon":
            assert r.status_code == 303 and r.headers["location"].startswith("/login"), page
            continue
        if page == "/":
            assert r.status_code == 303
            continue
        assert r.status_code == 200, (page, r.text[:300])
        if not page.endswith(".xlsx"):
            assert PEOPLE[who][0] != "liaison" or "单位联络员" in r.text


def _edit_forms(html: str) -> set[int]:
    return {int(x) for x in re.findall(r'data-task-form="(\d+)"', html)}


@pytest.mark.parametrize("who,sees_own,sees_other", [
    ("office", True, True), ("liaison", True, False), ("liaison_other", False, True),
    ("leader", False, False), ("viewer", False, False)])
def test_review_page_shows_edit_forms_by_role(web, who, sees_own, sees_other):
    html = logged_in(web, who).get("/documents/1").text
    forms = _edit_forms(html)
    assert (web.own_task in forms) == sees_own
    assert (web.other_task in forms) == sees_other
    assert "upload-form" not in html


def test_review_page_pairs_rows_with_source_lines(web):
    html = logged_in(web, "viewer").get(f"/documents/1?task={web.own_task}").text
    assert 'id="L24"' in html and "1.深化企业开办" in html
    card = re.search(rf'id="task-{web.own_task}"[^>]*data-line="(\d+)" data-end="(\d+)"', html)
    assert card and card.group(1) == "52"
    assert f'data-selected="{web.own_task}"' in html
    assert "未识别牵头单位" not in html  # every task of the sample plan names its lead


def test_review_page_flags_a_task_without_lead_unit(web):
    from duban import db
    from duban.ledger import service
    with db.session_scope(web.sf) as s:
        service.assign_units(service.get_task(web.other_task, session=s), {"lead": []},
                             session=s, actor="test", source="web")
    html = logged_in(web, "viewer").get("/documents/1").text
    card = re.search(rf'id="task-{web.other_task}".*?</article>', html, re.S)
    assert card and "未识别牵头单位" in card.group(0)


def _form_fields(html: str, task_id: int) -> dict:
    """The fields of one task's edit form as the browser would send them."""
    form = re.search(rf'<form[^>]*data-task-form="{task_id}".*?</form>', html, re.S).group(0)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    fields.update(re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', form))
    for name, body in re.findall(r'<select name="([^"]+)".*?>(.*?)</select>', form, re.S):
        fields[name] = re.search(r'value="([^"]+)" selected', body).group(1)
    return {k: v.replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'") for k, v in fields.items()}


def test_correction_from_review_page(web):
    c = logged_in(web, "liaison")
    html = c.get("/documents/1").text
    data = _form_fields(html, web.own_task)
    assert data["lead_units"] == "市市场监管局" and data["deadline"] == "2025-11-30"
    data.update(lead_units="市市场监管局、市商务局", deadline="2025-10-15", status="in_progress",
                progress="已开展联合检查 3 次", reason="核对原文")
    r = c.post(f"/tasks/{web.own_task}", data=data)
    assert r.status_code == 303 and r.headers["location"] == f"/documents/1?task={web.own_task}#task-{web.own_task}"
    page = c.get(r.headers["location"]).text
    assert f"已保存任务 {web.own_task} 的 4 处修改" in page
    task = c.get(f"/tasks/{web.own_task}").text
    assert "市商务局" in task and "2025-10-15" in task
    history = task.split('id="history"', 1)[1]
    assert "liaison" in history and "网页" in history and "核对原文" in history
    assert "2025-11-30" in history  # the old value is kept


def test_untouched_fields_are_not_overwritten(web):
    """Two people on one task: the second form only sends what it changed."""
    a, b = logged_in(web, "office"), logged_in(web, "liaison")
    stale = _form_fields(b.get(f"/tasks/{web.own_task}").text, web.own_task)
    first = _form_fields(a.get(f"/tasks/{web.own_task}").text, web.own_task)
    first["deadline"] = "2025-08-31"
    assert a.post(f"/tasks/{web.own_task}", data=first).status_code == 303
    stale["progress"] = "联络员的进展"
    assert b.post(f"/tasks/{web.own_task}", data=stale).status_code == 303
    task = a.get(f"/api/tasks/{web.own_task}").json()
    assert task["deadline"] == "2025-08-31" and task["progress"] == "联络员的进展"


@pytest.mark.parametrize("who,status", [("liaison", 403), ("leader", 403), ("viewer", 403)])
def test_form_post_on_task_not_yours_is_403(web, who, status):
    c = logged_in(web, who)
    before = snapshot(web)
    token = csrf_of(c, "/tasks")
    r = c.post(f"/tasks/{web.other_task}", data={"csrf_token": token, "progress": "越权", "orig_progress": ""})
    assert r.status_code == status
    assert ("本单位" in r.text) if who == "liaison" else ("无修改权限" in r.text or "只能查看" in r.text)
    assert snapshot(web) == before


def test_invalid_form_value_shows_the_reason_and_keeps_input(web):
    c = logged_in(web, "office")
    data = _form_fields(c.get(f"/tasks/{web.own_task}").text, web.own_task)
    data.update(deadline="2025-02-30", progress="保留我的输入")
    before = snapshot(web)
    r = c.post(f"/tasks/{web.own_task}", data=data)
    assert r.status_code == 422
    assert 'id="error"' in r.text and "有效日期" in r.text and "保留我的输入" in r.text
    assert snapshot(web) == before


def test_task_page_for_reader_is_read_only(web):
    html = logged_in(web, "leader").get(f"/tasks/{web.own_task}").text
    assert 'id="readonly-note"' in html and "data-task-form" not in html
    html = logged_in(web, "liaison_other").get(f"/tasks/{web.own_task}").text
    assert "该任务不属于本单位" in html


def test_ledger_filters_and_bad_filter(web):
    c = logged_in(web, "viewer")
    html = c.get("/tasks?unit=市税务局").text
    assert "落实减税降费政策" in html and "推行“综合查一次”" not in html
    assert "共 3 条" in html
    r = c.get("/tasks?unit=不存在的单位")
    assert r.status_code == 400 and "未找到单位「不存在的单位」" in r.text
    r = c.get("/tasks?due_before=下周")
    assert r.status_code == 400 and "有效日期" in r.text
    assert 'href="/tasks.xlsx?unit=%E5%B8%82' in c.get("/tasks?unit=市税务局").text


def test_unit_page_orders_by_deadline(web):
    c = logged_in(web, "liaison")
    r = c.get("/my-unit")
    html = c.get(r.headers["location"]).text
    dates = re.findall(r'class="due due-\w+"[^>]*>([^<]+)<', html)
    assert dates[:2] == ["2025-06-30", "2025-11-30"] and dates[-1] == "长期推进"
    assert "30天内到期" in html
    assert c.get(r.headers["location"] + "?show=done").status_code == 200
    web.clock.advance(days=61)  # 1 July 2025 (a new login: the old session has expired)
    assert "逾期" in logged_in(web, "liaison").get(r.headers["location"]).text
    assert logged_in(web, "office").get("/my-unit").status_code == 404


def test_pages_answer_json_when_asked(web):
    c = logged_in(web, "viewer")
    data = c.get("/tasks?unit=市市场监管局", headers={"Accept": "application/json"}).json()
    assert data["total"] == 3 and data["tasks"][0]["lead_units"]
    assert c.get(f"/tasks/{web.own_task}?_format=json").json()["id"] == web.own_task
    assert c.get("/documents?_format=json").json()[0]["tasks"] == 20
    assert any(u["name"] == "市税务局" for u in c.get("/units?_format=json").json())


def test_excel_import_page(web):
    c = logged_in(web, "liaison")
    exported = c.get("/tasks.xlsx").content
    edited = edited_workbook(exported, web.own_task, 进展情况="表格里的进展")
    token = csrf_of(c, "/tasks")
    r = c.post("/tasks/import-xlsx", data={"csrf_token": token}, files={"file": ("台账.xlsx", edited)})
    assert r.status_code == 303
    assert "1 项任务有修改" in c.get("/tasks").text
    before = snapshot(web)
    r = c.post("/tasks/import-xlsx", data={"csrf_token": token}, files={"file": ("坏.xlsx", b"junk")})
    assert r.status_code == 400 and "Excel 导入失败，未做任何修改" in r.text
    denied = edited_workbook(exported, web.other_task, 进展情况="越权")
    r = c.post("/tasks/import-xlsx", data={"csrf_token": token}, files={"file": ("台账.xlsx", denied)})
    assert r.status_code == 403 and "本单位" in r.text
    assert snapshot(web) == before


def test_security_headers_and_static(web, client):
    r = client.get("/login")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert "httponly" in r.headers["set-cookie"].lower() and "samesite=lax" in r.headers["set-cookie"].lower()
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/nowhere").status_code == 404


def test_counts_stop_at_their_cap(web):
    """Overdue counts stop past a cap (9999+) so the biggest unit's page stays fast."""
    import datetime as dt

    from duban.ledger import service
    from duban.web import queries
    from duban.web.templating import capped

    with web.sf() as s:
        unit = service.get_unit("市市场监管局", session=s)
        late = dt.date(2026, 1, 1)
        assert queries._due_count(unit.id, s, None, late) == 2
        assert queries._due_count(unit.id, s, None, late, cap=1) == 2  # stopped at cap + 1
    assert capped(2, 1) == "1+" and capped(1, 1) == "1" and capped(10_000) == "9999+"
