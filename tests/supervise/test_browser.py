"""The supervision loop in Debian's Chromium, driven by Playwright (issue 4): a
liaison of 市市场监管局 reports progress on its task with a real PNG as evidence,
the office approves completion (销号), and the task shows 已完成 — in the
browser and in the database, with the evidence row carrying the file's sha256.

The app runs with uvicorn on loopback (`live_app`) on a temp SQLite file, with
a fixed clock (20 April 2025, Beijing time) inside the April reporting cycle;
evidence files go to a temp DUBAN_DATA_DIR. Never `playwright install`."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "sample_plan.txt"
PASSWORD = "正确的密码-123"
CST = dt.timezone(dt.timedelta(hours=8))
TASK_PREFIX = "推行“综合查一次”"  # led by 市市场监管局 only


@pytest.fixture
def fast_hash(monkeypatch):
    from argon2 import PasswordHasher

    from duban.ledger import people

    monkeypatch.setattr(people, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(people, "_dummy", [])


@pytest.fixture
def server(tmp_path, monkeypatch, fast_hash, live_app):
    """Sample plan imported on 31 March, a monthly schedule from 2025-04, an
    office person and a liaison of 市市场监管局; the app's clock on 20 April."""
    from sqlalchemy import select

    from duban import db
    from duban.ledger import flows
    from duban.ledger import service as ledger
    from duban.ledger.models import Task
    from duban.supervise import service

    data_dir = tmp_path / "data"
    monkeypatch.setenv("DUBAN_DATA_DIR", str(data_dir))  # read by Settings.from_env() in install()
    url = f"sqlite:///{tmp_path / 'supervise.db'}"
    db.upgrade(url)
    sf = db.session_factory(url)
    flows.import_document(SAMPLE, session_factory=sf, actor="test",
                          now=dt.datetime(2025, 3, 31, 10, tzinfo=CST))
    with db.session_scope(sf) as s:
        ledger.create_person("office", session=s, role="office", password=PASSWORD, actor="test",
                             source="cli", display_name="督办室小王")
        ledger.create_person("liaison", session=s, role="liaison", unit="市市场监管局",
                             password=PASSWORD, actor="test", source="cli",
                             display_name="市场监管局联络员")
        service.set_schedule(session=s, actor="test", start_period="2025-04")
        task_id = s.scalar(select(Task.id).where(Task.text.like(TASK_PREFIX + "%")))
    assert task_id
    base = live_app(url, clock=lambda: dt.datetime(2025, 4, 20, 10, tzinfo=CST))
    yield {"base": base, "sf": sf, "task": task_id, "data_dir": data_dir}


def _png(path: Path) -> bytes:
    """A real (small) screenshot-like PNG made with Pillow."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (120, 60), "white")
    ImageDraw.Draw(img).rectangle([10, 10, 110, 50], outline="red", width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


def test_liaison_reports_with_evidence_and_office_approves(browser_page, server, tmp_path,
        browser_login, screenshot):
    from playwright.sync_api import expect
    from sqlalchemy import select

    from duban.ledger.models import Task
    from duban.supervise.models import Evidence, ProgressReport

    page, base, task_id = browser_page, server["base"], server["task"]
    png = _png(tmp_path / "联合检查截图.png")
    digest = hashlib.sha256(png).hexdigest()

    # The liaison logs in and opens the report form of its unit's task.
    browser_login(page, base, "liaison", PASSWORD)
    expect(page.locator(".user-name")).to_have_text("市场监管局联络员")
    page.goto(f"{base}/supervise/tasks/{task_id}")
    expect(page.locator("h1")).to_have_text("进展报送")
    expect(page.locator("body")).to_contain_text(TASK_PREFIX)
    form = page.locator("#report-form")
    expect(form).to_be_visible()
    form.get_by_label("进展情况").fill("已在市场监管、生态环境领域开展跨部门联合检查")
    form.get_by_label("完成进度（%）").fill("100")
    form.get_by_label("证明材料").set_input_files(str(tmp_path / "联合检查截图.png"))
    screenshot(page, "supervise-1-liaison-form", full_page=True)
    form.get_by_role("button", name="报送", exact=True).click()

    # Redirected back to the task's page: the submission is listed with its evidence.
    page.wait_for_url(f"{base}/supervise/tasks/{task_id}")
    expect(page.locator(".flash-ok")).to_contain_text("已报送（2025-04）")
    report = page.locator("section.report")
    expect(report).to_have_count(1)
    expect(report.locator("h2")).to_contain_text("2025-04 · 市市场监管局")
    expect(report.locator(".report-status")).to_have_text("已报送")
    expect(report).to_contain_text("已在市场监管、生态环境领域开展跨部门联合检查（100%）")
    expect(report.get_by_role("link", name="联合检查截图.png")).to_be_visible()
    expect(page.locator(".review-form")).to_have_count(0)  # a liaison cannot review
    expect(page.locator("#light")).not_to_have_text("已完成")
    screenshot(page, "supervise-2-liaison-submitted", full_page=True)

    # The evidence link serves the very bytes uploaded (with the session's cookie).
    href = report.get_by_role("link", name="联合检查截图.png").get_attribute("href")
    got = page.request.get(base + href)
    assert got.status == 200 and got.body() == png

    # Log out; the office logs in, opens the review and approves completion.
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r"/login"))
    browser_login(page, base, "office", PASSWORD)
    expect(page.locator(".user-name")).to_have_text("督办室小王")
    page.goto(f"{base}/supervise/tasks/{task_id}")
    report = page.locator("section.report")
    expect(report.locator(".report-status")).to_have_text("已报送")
    expect(report.get_by_role("link", name="联合检查截图.png")).to_be_visible()
    expect(page.locator("#report-form")).to_have_count(0)  # the office does not report
    screenshot(page, "supervise-3-office-review", full_page=True)
    report.get_by_role("button", name="销号").click()

    page.wait_for_url(f"{base}/supervise/tasks/{task_id}")
    expect(page.locator(".flash-ok")).to_contain_text("已销号")
    expect(page.locator("section.report .report-status")).to_have_text("已销号")
    expect(page.locator("#light")).to_have_text("已完成")
    expect(page.locator(".review-form")).to_have_count(0)
    screenshot(page, "supervise-4-office-approved", full_page=True)

    # The ledger's own task page agrees.
    page.goto(f"{base}/tasks/{task_id}")
    expect(page.locator("h1")).to_contain_text("已完成")
    screenshot(page, "supervise-5-task-done", full_page=True)

    # And the database: the task is done, the report approved, the evidence row
    # carries the uploaded file's sha256 and the stored file is those bytes.
    with server["sf"]() as s:
        assert s.get(Task, task_id).status == "done"
        reports = s.scalars(select(ProgressReport).where(ProgressReport.task_id == task_id)).all()
        assert [r.status for r in reports] == ["approved"]
        rows = s.scalars(select(Evidence).where(Evidence.report_id == reports[0].id)).all()
        assert [(e.filename, e.kind, e.size, e.sha256) for e in rows] == \
            [("联合检查截图.png", "png", len(png), digest)]
        assert (server["data_dir"] / rows[0].path).read_bytes() == png
