"""The real app in Debian's Chromium, driven by Playwright: an office worker
uploads the sample plan, corrects a row on the review page and finds the
correction in the 台账, in the Excel export and in the task's history; a
liaison cannot edit another unit's task.

Never `playwright install`: the browser is /usr/bin/chromium (apt package
`chromium`; scripts/test.sh installs it). Without it these tests are skipped
and the run says so loudly."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from .conftest import PASSWORD, SAMPLE
from .helpers import read_workbook

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path, fast_hash, live_app):
    """The app on a temp SQLite file, served by uvicorn on a free loopback port."""
    from duban import db
    from duban.ledger import service

    url = f"sqlite:///{tmp_path / 'browser.db'}"
    db.upgrade(url)
    sf = db.session_factory(url)
    with db.session_scope(sf) as s:
        service.create_person("office", session=s, role="office", password=PASSWORD, actor="test",
                              source="cli", display_name="督办室小王")
        service.create_person("liaison", session=s, role="liaison", unit="市市场监管局",
                              password=PASSWORD, actor="test", source="cli", display_name="市场监管局联络员")
    yield {"base": live_app(url), "sf": sf, "url": url}


@pytest.fixture
def page(browser_page, server):
    return browser_page


def _task_id(sf, prefix: str) -> int:
    from sqlalchemy import select

    from duban.ledger.models import Task

    with sf() as s:
        return s.scalar(select(Task.id).where(Task.text.like(prefix + "%")))


def test_office_uploads_reviews_corrects_and_exports(page, server, tmp_path,
        browser_login, screenshot):
    from playwright.sync_api import expect

    base = server["base"]
    browser_login(page, base, "office", PASSWORD)
    expect(page.locator(".user-name")).to_have_text("督办室小王")

    # Upload the sample plan: the review page opens with the import summary.
    page.goto(base + "/documents")
    page.set_input_files("input[name=file]", str(SAMPLE))
    page.click("button:has-text('上传并提取任务')")
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    expect(page.locator(".flash-ok")).to_contain_text("sample_plan.txt：已导入（共 20 项任务）")
    screenshot(page, "review")

    # Clicking a row highlights and scrolls to its source line.
    task_id = _task_id(server["sf"], "推行“综合查一次”")
    card = page.locator(f"#task-{task_id}")
    card.locator(".task-text").click()
    expect(card).to_have_class(re.compile(r"\bselected\b"))
    expect(page.locator("#L52")).to_have_class(re.compile(r"\bhl\b"))
    expect(page.locator("#L52")).to_be_in_viewport()
    assert page.locator("ol.source li.hl").count() == 1
    # ...and clicking a source line selects its task.
    page.locator("#L24").click()
    expect(page.locator(".task-card.selected .task-text")).to_contain_text("深化企业开办")

    # Correct the lead unit and the deadline of that row.
    card.locator("summary:has-text('修改')").click()
    card.locator("input[name=lead_units]").fill("市商务局")
    card.locator("input[name=deadline]").fill("2025-10-15")
    card.locator("input[name=reason]").fill("核对原文后更正")
    card.locator("button:has-text('保存修改')").click()
    page.wait_for_url(re.compile(rf"task={task_id}"))
    expect(page.locator(".flash-ok")).to_contain_text(f"已保存任务 {task_id} 的 2 处修改")
    expect(page.locator(f"#task-{task_id} .f-lead")).to_have_text("市商务局")
    expect(page.locator(f"#task-{task_id}")).to_have_class(re.compile(r"\bselected\b"))
    expect(page.locator("#L52")).to_have_class(re.compile(r"\bhl\b"))
    screenshot(page, "review-after-save")

    # The 台账, filtered by the new lead unit.
    page.goto(base + "/tasks")
    page.fill("input[name=unit]", "市商务局")
    page.click("#filters button:has-text('筛选')")
    row = page.locator(f"#row-{task_id}")
    expect(row.locator(".c-lead")).to_have_text("市商务局")
    expect(row.locator(".c-deadline")).to_contain_text("2025-10-15")
    expect(page.locator(".pager")).to_contain_text("共 1 条")
    screenshot(page, "ledger")

    # The Excel export carries the correction.
    page.goto(base + "/tasks")
    with page.expect_download() as info:
        page.click("#export-xlsx")
    path = tmp_path / "export.xlsx"
    info.value.save_as(path)
    rows = {r["任务ID"]: r for r in read_workbook(path.read_bytes())}
    assert len(rows) == 20
    assert rows[task_id]["牵头单位"] == "市商务局"
    assert rows[task_id]["完成时限"].date() == dt.date(2025, 10, 15)

    # The task page shows the history entry: who, old, new.
    page.goto(f"{base}/tasks/{task_id}")
    history = page.locator("#history tbody tr")
    lead_row = history.filter(has_text="牵头单位")
    expect(lead_row).to_have_count(1)
    expect(lead_row.locator(".old")).to_have_text("市市场监管局")
    expect(lead_row.locator(".new")).to_have_text("市商务局")
    expect(lead_row).to_contain_text("office")
    expect(lead_row).to_contain_text("核对原文后更正")
    expect(history.filter(has_text="完成时限").locator(".new")).to_have_text("2025-10-15")
    screenshot(page, "task-history")


def test_liaison_cannot_edit_another_units_task(page, server, tmp_path,
        browser_login, screenshot):
    from playwright.sync_api import expect

    from duban.ledger import flows, service

    flows.import_document(SAMPLE, session_factory=server["sf"], actor="test")
    own = _task_id(server["sf"], "推行“综合查一次”")
    other = _task_id(server["sf"], "落实减税降费政策")
    base = server["base"]
    browser_login(page, base, "liaison", PASSWORD)
    expect(page.locator("h1")).to_contain_text("市市场监管局")

    page.goto(base + "/documents/1")
    expect(page.locator(f"#task-{own} details.edit")).to_have_count(1)
    expect(page.locator(f"#task-{other} details.edit")).to_have_count(0)
    expect(page.locator(f"#task-{other} .readonly")).to_contain_text("该任务不属于本单位")
    page.goto(f"{base}/tasks/{other}")
    expect(page.locator("#readonly-note")).to_contain_text("该任务不属于本单位")
    expect(page.locator("form.task-form")).to_have_count(0)
    screenshot(page, "liaison-readonly")

    # A hand-made POST with the session's own CSRF token is still refused.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    r = page.request.post(f"{base}/tasks/{other}",
                          form={"csrf_token": token, "progress": "越权修改", "orig_progress": ""})
    assert r.status == 403 and "本单位" in r.text()
    with server["sf"]() as s:
        assert service.get_task(other, session=s).progress == ""

    # Its own task it can correct.
    page.goto(f"{base}/tasks/{own}")
    page.fill("textarea[name=progress]", "已开展联合检查")
    page.click("button:has-text('保存修改')")
    expect(page.locator(".flash-ok")).to_contain_text("1 处修改")
    expect(page.locator("#history")).to_contain_text("已开展联合检查")
