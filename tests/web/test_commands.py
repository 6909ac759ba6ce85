"""`duban demo` and `duban serve` as a user runs them."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import httpx
from typer.testing import CliRunner

from duban.cli import app as cli

from .conftest import csrf_of


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_builds_a_ledger_with_every_role(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert (tmp_path / "duban-demo.db").is_file()
    assert "sample_plan.txt: new: 20 tasks" in out and "sample_plan.docx: merged into v2" in out
    logins = dict(re.findall(r"^  (\w+)\s+(\S+)\s+\S+ \(", out, re.M))
    assert set(logins) == {"admin", "scjg", "leader", "viewer"}
    assert "市市场监管局" in out and "Authorization: Bearer" in out

    # The printed logins work, and the liaison's unit is a unit of the plan.
    from fastapi.testclient import TestClient

    from duban.web.app import create_app

    web = TestClient(create_app(str(tmp_path / "duban-demo.db")), follow_redirects=False)
    r = web.post("/login", data={"username": "scjg", "password": logins["scjg"],
                                 "csrf_token": csrf_of(web, "/login")})
    assert r.status_code == 303 and r.headers["location"].startswith("/units/")
    assert web.get("/api/tasks?unit=市市场监管局").json()["total"] == 5
    assert web.get("/api/me").json()["unit"] == "市市场监管局"

    # Run again: recreated, not doubled.
    again = CliRunner().invoke(cli, ["demo", "--no-serve"])
    assert again.exit_code == 0, again.output
    assert "new: 20 tasks" in again.output


def test_demo_without_samples_says_so(tmp_path, monkeypatch):
    import duban

    monkeypatch.setattr(duban, "__file__", str(tmp_path / "pkg" / "duban" / "__init__.py"))
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 1
    assert "sample plans" in str(result.exception) or "sample plans" in result.output


def test_serve_migrates_and_serves(tmp_path):
    port = free_port()
    db_file = tmp_path / "new.db"
    env = {**os.environ, "DUBAN_SECRET_KEY": "k"}
    proc = subprocess.Popen([sys.executable, "-m", "duban.cli", "serve", "--db", str(db_file),
                             "--port", str(port)], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert r.status_code == 200 and "督办台账" in r.text
        assert httpx.get(f"http://127.0.0.1:{port}/api/tasks").status_code == 401
        assert db_file.is_file()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_demo_and_serve_reckon_deadlines_from_the_business_date(tmp_path, monkeypatch):
    """The sample plan is for 2025: the demo pins its business date inside that
    year, so its lights are a real mix, not all overdue; serve --today does the same."""
    from fastapi.testclient import TestClient

    from duban.web.app import create_app
    from duban.web.config import WebConfig
    from duban.web.demo import DEMO_TODAY

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert f"--today {DEMO_TODAY.isoformat()}" in result.output
    logins = dict(re.findall(r"^  (\w+)\s+(\S+)\s+\S+ \(", result.output, re.M))

    def counts(as_of):
        web = TestClient(create_app(WebConfig(db_url=f"sqlite:///{tmp_path / 'duban-demo.db'}", as_of=as_of)),
                         follow_redirects=False)
        r = web.post("/login", data={"username": "scjg", "password": logins["scjg"],
                                     "csrf_token": csrf_of(web, "/login")})
        unit_page = r.headers["location"]
        html = web.get(unit_page, headers={"Accept": "text/html"}).text
        tasks = web.get("/api/tasks?unit=市市场监管局&status=open").json()["tasks"]
        return web.get(unit_page, headers={"Accept": "application/json"}).json()["counts"], html, tasks

    pinned, html, tasks = counts(DEMO_TODAY)
    assert f"业务日期 {DEMO_TODAY.isoformat()}" in html
    due = sorted(t["deadline"] for t in tasks if t["deadline"])
    late = [d for d in due if d < DEMO_TODAY.isoformat()]
    assert 0 < len(late) < len(due)  # a mix: some overdue, some still ahead
    assert pinned["overdue"] == len(late) and pinned["open"] == len(tasks)
    real, html, _ = counts(None)
    assert real["overdue"] == len(due) and "业务日期" not in html

    bad = CliRunner().invoke(cli, ["serve", "--today", "2025-13-01"])
    assert bad.exit_code == 2 and "--today '2025-13-01' is not a date" in bad.output
