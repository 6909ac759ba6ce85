"""The ledger commands, run as real processes (`.venv/bin/duban`)."""

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from duban import db
from duban.ledger import service

from .helpers import FIXTURES

DUBAN = Path(sys.executable).with_name("duban")


def run(*args, env=None, cwd=None):
    return subprocess.run([str(DUBAN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})}, cwd=cwd)


@pytest.fixture(autouse=True)
def _needs_cli():
    if not DUBAN.exists():
        pytest.skip(f"{DUBAN} not installed (pip install -e .)")


def test_import_export_round(db_url, tmp_path):
    r = run("import", FIXTURES / "plan_v1.txt", "--db", db_url)
    assert r.returncode == 0, r.stderr
    assert "plan_v1.txt: new: 6 tasks" in r.stdout
    r = run("import", FIXTURES / "plan_v1.txt", FIXTURES / "plan_v2.txt", "--db", db_url)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("plan_v1.txt: unchanged")
    assert lines[1].startswith("plan_v2.txt: merged into v2") and "1 withdrawn" in lines[1]
    assert lines[2] == "2 documents: 0 new, 1 unchanged, 1 merged, 0 failed"
    out = tmp_path / "台账.xlsx"
    r = run("export", "--db", db_url, "-o", out)
    assert r.returncode == 0 and r.stdout.strip() == f"wrote 6 tasks to {out}"
    ws = openpyxl.load_workbook(out)["台账"]
    assert ws.max_row == 7 and ws["B1"].value == "任务内容"


def test_import_a_directory(db_url):
    r = run("import", FIXTURES, "--db", db_url)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "2 documents: 1 new, 0 unchanged, 1 merged, 0 failed"


def test_failed_document_is_reported_and_others_still_imported(db_url, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 this is not really a docx")
    r = run("import", bad, FIXTURES / "plan_v1.txt", tmp_path / "missing.txt", "--db", db_url)
    assert r.returncode == 1
    errors = [line for line in r.stderr.splitlines() if line.startswith("duban:")]
    assert len(errors) == 2 and "broken.docx" in errors[0] and "missing.txt" in errors[1]
    assert "Traceback" not in r.stderr
    assert "plan_v1.txt: new: 6 tasks" in r.stdout
    with db.session_factory(db_url)() as s:
        assert service.count_tasks(session=s) == 6


def test_users_tokens_and_xlsx_corrections(db_url, tmp_path):
    assert run("import", FIXTURES / "plan_v1.txt", "--db", db_url).returncode == 0
    r = run("user", "add", "lw", "--role", "liaison", "--unit", "市发改委",
            "--password", "pw-123456", "--db", db_url)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "added user lw (liaison, unit 市发改委)"
    r = run("user", "token", "lw", "--db", db_url)
    token = r.stdout.strip()
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 1 and len(token) >= 40
    r = run("user", "add", "lw", "--role", "viewer", "--password", "x", "--db", db_url)
    assert r.returncode == 1 and r.stderr.strip() == "duban: 用户「lw」已存在"
    r = run("user", "add", "x", "--role", "admin", "--password", "x", "--db", db_url)
    assert r.returncode == 1 and "角色「admin」无效" in r.stderr
    with db.session_factory(db_url)() as s:
        assert service.verify_token(token, session=s).username == "lw"
        assert service.authenticate("lw", "pw-123456", session=s) is not None

    out = tmp_path / "out.xlsx"
    assert run("export", "--db", db_url, "-o", out).returncode == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["台账"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == "市发改委")
    ws.cell(row, 6, "清单已梳理")
    wb.save(out)
    r = run("import-xlsx", out, "--as", "lw", "--db", db_url)
    assert r.returncode == 0, r.stderr
    assert "1 tasks changed, 1 field changes recorded" in r.stdout
    r = run("import-xlsx", FIXTURES / "plan_v1.txt", "--as", "lw", "--db", db_url)
    assert r.returncode == 1 and "不是有效的 xlsx 文件" in r.stderr and "Traceback" not in r.stderr


def test_db_upgrade_and_env_var(tmp_path):
    path = tmp_path / "env.db"
    r = run("db", "upgrade", env={"DUBAN_DB": str(path)})
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(db.alembic_config("sqlite://")).get_current_head()
    assert r.returncode == 0 and r.stdout.strip().endswith(f"schema at revision {head}")
    assert path.exists()
    r = run("db", "upgrade", cwd=tmp_path, env={"DUBAN_DB": ""})
    assert r.returncode == 0 and (tmp_path / "duban.db").exists()
    r = run("db", "upgrade", "--db", tmp_path / "no" / "dir" / "x.db")
    assert r.returncode == 1 and r.stderr.startswith("duban: cannot create database")
