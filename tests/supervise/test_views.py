"""The supervision router mounted on the web app: a liaison submits a report
with evidence over HTTP, the office approves completion, the dashboard, letters
and dispatch report answer; wrong roles and disguised files are refused."""

import datetime as dt
import re

import pytest

from duban.supervise import flows

from .conftest import CST, PDF, PNG, at

D = dt.date


@pytest.fixture
def client(ledger):
    from fastapi.testclient import TestClient

    from duban.ledger import service
    from duban.supervise import views
    from duban.web.app import create_app
    from duban.web.config import WebConfig

    with ledger.sf() as s, s.begin():
        tokens = {n: service.create_token(n, session=s, actor="test", source="cli")
                  for n in ("office", "联络员甲", "联络员乙")}
    cfg = WebConfig(db_url=ledger.url, secret_key="k",
                    clock=lambda: dt.datetime(2025, 4, 20, 10, tzinfo=CST))
    app = create_app(cfg)
    app.state.supervise_settings = ledger.settings
    views.install(app)
    with TestClient(app, follow_redirects=False) as c:
        c.tokens = tokens
        yield c


def auth(client, who):
    return {"Authorization": f"Bearer {client.tokens[who]}"}


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def session_login(client, ledger, who, *, password="pw-123456"):
    """Log `who` in through the login form (a browser session, not a token)."""
    from duban.ledger import service

    with ledger.sf() as s, s.begin():
        service.set_password(who, password, session=s, actor="test", source="test")
    client.cookies.clear()
    token = CSRF.search(client.get("/login").text).group(1)
    r = client.post("/login", data={"username": who, "password": password, "csrf_token": token})
    assert r.status_code == 303


def test_liaison_reports_with_evidence_and_office_approves(client, ledger):
    task = ledger.task("完善市场准入")
    r = client.post(f"/supervise/tasks/{task}/report", headers=auth(client, "联络员甲"),
                    data={"progress": "已印发调整办法", "percent": "100"},
                    files=[("evidence", ("办法.pdf", PDF, "application/pdf")),
                           ("evidence", ("截图.png", PNG, "image/png"))])
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["status"] == "submitted" and [e["filename"] for e in report["evidence"]] == ["办法.pdf", "截图.png"]
    got = client.get(f"/supervise/evidence/{report['evidence'][0]['id']}", headers=auth(client, "联络员乙"))
    assert got.status_code == 200 and got.content == PDF
    assert client.post(f"/supervise/reports/{report['id']}/review", headers=auth(client, "联络员甲"),
                       data={"action": "approve"}).status_code == 403
    ok = client.post(f"/supervise/reports/{report['id']}/review", headers=auth(client, "office"),
                     data={"action": "approve"})
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    page = client.get(f"/supervise/tasks/{task}", headers=auth(client, "office"))
    assert page.json()["light"] == "done"


def test_refusals_over_http(client, ledger):
    task = ledger.task("完善市场准入")
    r = client.post(f"/supervise/tasks/{task}/report", headers=auth(client, "联络员乙"),
                    data={"progress": "x", "percent": "5"})
    assert r.status_code == 403 and "不属于本单位" in r.json()["error"]
    r = client.post(f"/supervise/tasks/{task}/report", headers=auth(client, "联络员甲"),
                    data={"progress": "x", "percent": "5"},
                    files=[("evidence", ("伪装.pdf", b"MZ" + b"\0" * 50, "application/pdf"))])
    assert r.status_code == 422 and "不是允许的类型" in r.json()["error"]
    ok = client.post(f"/supervise/tasks/{task}/report", headers=auth(client, "联络员甲"),
                     data={"progress": "x", "percent": "5"})
    assert ok.status_code == 200
    again = client.post(f"/supervise/tasks/{task}/report", headers=auth(client, "联络员甲"),
                        data={"progress": "y", "percent": "6"})
    assert again.status_code == 409 and "不能重复报送" in again.json()["error"]


def test_dashboard_letters_and_dispatch(client, ledger, tmp_path):
    flows.run(session_factory=ledger.sf, today=D(2025, 4, 28), settings=ledger.settings,
              now=at(D(2025, 4, 28)))
    dash = client.get("/supervise?_format=json", headers=auth(client, "office")).json()
    assert {u["unit"] for u in dash["units"]} == {"市甲局", "市乙局", "市丙局", "市丁局"}
    letters = client.get("/supervise/letters", headers=auth(client, "office")).json()
    assert len(letters) == 4 and {x["kind_label"] for x in letters} == {"提示函"}
    doc = client.get(letters[0]["url"], headers=auth(client, "联络员甲"))
    assert doc.status_code == 200 and doc.content[:2] == b"PK"
    html = client.get("/supervise/dispatch?cycle=2025-04", headers=auth(client, "office"))
    assert html.status_code == 200 and "关于2025年4月重点任务推进情况的通报" in html.text
    pdf = client.get("/supervise/dispatch?cycle=2025-04&format=pdf", headers=auth(client, "office"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    notes = client.get("/supervise/notifications", headers=auth(client, "联络员甲")).json()
    assert len(notes) == 1 and "提示函" in notes[0]["title"]


def test_pages_render_for_a_browser_session(client, ledger):
    """The HTML side: a liaison's form posts with the session's CSRF token, the
    office's review buttons appear, the dashboard and letters pages render."""
    csrf = CSRF
    task = ledger.task("推进政务服务")

    def login(who):
        session_login(client, ledger, who)

    login("联络员甲")
    page = client.get(f"/supervise/tasks/{task}")
    assert page.status_code == 200 and 'id="report-form"' in page.text
    r = client.post(f"/supervise/tasks/{task}/report",
                    data={"progress": "平台已上线", "percent": "80",
                          "csrf_token": csrf.search(page.text).group(1)},
                    files=[("evidence", ("上线截图.png", PNG, "image/png"))])
    assert r.status_code == 303 and r.headers["location"] == f"/supervise/tasks/{task}"
    login("office")
    page = client.get(f"/supervise/tasks/{task}").text
    assert "平台已上线" in page and "上线截图.png" in page and 'value="approve"' in page
    report_id = re.search(r"/supervise/reports/(\d+)/review", page).group(1)
    r = client.post(f"/supervise/reports/{report_id}/review",
                    data={"action": "approve", "csrf_token": csrf.search(page).group(1)})
    assert r.status_code == 303
    assert "已销号" in client.get(f"/supervise/tasks/{task}").text
    assert "督办看板" in client.get("/supervise").text
    assert "尚未发出函件" in client.get("/supervise/letters").text


def test_report_form_follows_the_cycle(client, ledger):
    """The form is offered only where a report would be accepted: a draft comes
    back filled in, a submitted report closes the form for the cycle with the
    reason shown, a return by the office reopens it with the report to edit,
    and another unit's liaison sees why it cannot report."""
    csrf = CSRF
    task = ledger.task("推进政务服务")

    def login(who):
        session_login(client, ledger, who)

    def page():
        return client.get(f"/supervise/tasks/{task}").text

    def post(**data):
        return client.post(f"/supervise/tasks/{task}/report",
                           data={**data, "csrf_token": csrf.search(page()).group(1)})

    login("联络员乙")
    html = page()
    assert 'id="report-form"' not in html
    assert "由牵头单位（市甲局）报送" in html
    login("联络员甲")
    html = page()
    assert 'id="report-form"' in html and "报送进展（本期 2025-04" in html
    assert post(progress="系统联调中", percent="40", draft="1").status_code == 303
    html = page()
    assert "继续填写草稿" in html and ">系统联调中</textarea>" in html and 'value="40"' in html
    assert post(progress="系统已上线试运行", percent="60").status_code == 303
    html = page()
    assert 'id="report-form"' not in html and "不能重复报送" in html
    login("office")
    report_id = re.search(r"/supervise/reports/(\d+)/review", page()).group(1)
    assert client.post(f"/supervise/reports/{report_id}/review",
                       data={"action": "return", "reason": "请补充上线截图",
                             "csrf_token": csrf.search(page()).group(1)}).status_code == 303
    login("联络员甲")
    html = page()
    assert "修改后重新报送" in html and ">系统已上线试运行</textarea>" in html
