"""The CLI contract: `duban supervise run` prints one line per new letter
(kind, unit, file) and nothing on a second run; `duban report dispatch` writes
by suffix; user errors are one line on stderr with a non-zero exit."""

import datetime as dt

from typer.testing import CliRunner

from duban.cli import app

from .conftest import PDF


def invoke(args, settings, code=0):
    """In-process for speed; a user error goes through the real `duban` binary
    so its one-line stderr message and exit code are what is checked."""
    env = {"DUBAN_DATA_DIR": str(settings.data_dir)}
    if code:
        import os
        import subprocess
        import sys
        from pathlib import Path

        duban = Path(sys.executable).parent / "duban"
        result = subprocess.run([str(duban), *args], capture_output=True, text=True,
                                env={**os.environ, **env}, timeout=120)
        assert result.returncode == code, (result.stdout, result.stderr)
        assert result.stderr.startswith("duban: ") and len(result.stderr.strip().splitlines()) == 1
        return result
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def test_run_prints_one_line_per_letter_then_nothing(ledger, tmp_path):
    out = tmp_path / "函件"
    r = invoke(["supervise", "run", "--db", ledger.url, "--today", "2025-04-28", "--out", str(out)],
               ledger.settings)
    lines = r.stdout.splitlines()
    assert len(lines) == 4
    for line in lines:
        kind, unit, path = line.split("\t")
        assert kind == "提示函" and unit in ("市甲局", "市乙局", "市丙局", "市丁局")
        assert path.startswith(str(out)) and path.endswith(f"{unit}.docx")
    again = invoke(["supervise", "run", "--db", ledger.url, "--today", "2025-04-28", "--out", str(out)],
                   ledger.settings)
    assert again.stdout == ""
    listed = invoke(["supervise", "letters", "--db", ledger.url, "--unit", "市丁局"], ledger.settings)
    assert listed.stdout.startswith("督提〔2025〕1号\t提示函\t市丁局\t2025-04\t2\t")


def test_submit_review_status_and_dispatch(ledger, tmp_path):
    ev = tmp_path / "材料.pdf"
    ev.write_bytes(PDF)
    task = ledger.task("建立涉企收费")
    r = invoke(["supervise", "submit", str(task), "--db", ledger.url, "--as", "联络员乙",
                "--progress", "已公布目录", "--percent", "100", "--evidence", str(ev),
                "--today", "2025-04-20"], ledger.settings)
    assert "2025-04 submitted, 1 evidence file(s)" in r.stdout
    report_id = r.stdout.split()[1].rstrip(":")
    dup = invoke(["supervise", "submit", str(task), "--db", ledger.url, "--as", "联络员乙",
                  "--progress", "再报", "--percent", "100", "--today", "2025-04-21"], ledger.settings, code=1)
    assert "不能重复报送" in dup.stderr
    invoke(["supervise", "review", report_id, "--db", ledger.url, "--as", "office", "--approve"],
           ledger.settings)
    st = invoke(["supervise", "status", "--db", ledger.url, "--today", "2025-04-28"], ledger.settings)
    assert st.stdout.splitlines()[0] == "单位\t已逾期\t未报送\t即将到期\t正常推进\t已完成"
    assert "市乙局\t0\t1\t0\t0\t1" in st.stdout
    for suffix in ("html", "docx", "pdf"):
        out = tmp_path / f"r.{suffix}"
        invoke(["report", "dispatch", "--db", ledger.url, "--cycle", "2025-04", "--today", "2025-04-30",
                "-o", str(out)], ledger.settings)
        assert out.stat().st_size > 1000
    bad = invoke(["report", "dispatch", "--db", ledger.url, "-o", str(tmp_path / "r.txt")],
                 ledger.settings, code=1)
    assert ".docx, .pdf or .html" in bad.stderr
    nocycle = invoke(["report", "dispatch", "--db", ledger.url, "--cycle", "2024-01", "-o",
                      str(tmp_path / "x.html")], ledger.settings, code=1)
    assert "没有 2024-01" in nocycle.stderr


def test_bad_dates_and_schedule(ledger, tmp_path):
    bad = invoke(["supervise", "run", "--db", ledger.url, "--today", "2025-13-01"], ledger.settings, code=1)
    assert "not a date" in bad.stderr
    ok = invoke(["supervise", "schedule", "--db", ledger.url, "--kind", "quarterly", "--day", "20",
                 "--start", "2025-Q2", "--today", "2025-10-01"], ledger.settings)
    assert "2025-Q3 due 2025-09-22" in ok.stdout
    wrong = invoke(["supervise", "schedule", "--db", ledger.url, "--kind", "weekly"], ledger.settings, code=1)
    assert "报送频率" in wrong.stderr
    tpl = tmp_path / "我的模板.docx"
    invoke(["supervise", "template", "-o", str(tpl)], ledger.settings)
    from docx import Document

    assert "{{任务清单}}" in "\n".join(p.text for p in Document(str(tpl)).paragraphs)
    assert dt.date  # module used for clarity in other tests


def test_edited_template_is_used(ledger, tmp_path):
    """Users edit the template in Word: wording around the fields is kept,
    fields split over runs are still filled."""
    from docx import Document

    from duban.supervise import flows
    from duban.supervise.letters import read_text
    from duban.supervise.settings import DEFAULT_TEMPLATE

    doc = Document(str(DEFAULT_TEMPLATE))
    p = doc.add_paragraph("联系人：督办科，电话 1234。")
    split = doc.add_paragraph()
    for piece in ("回复期限：{{回", "复期", "限}}"):
        split.add_run(piece)
    assert p.text
    custom = tmp_path / "custom.docx"
    doc.save(str(custom))
    ledger.settings.template = custom
    res = flows.run(session_factory=ledger.sf, today=dt.date(2025, 4, 28), settings=ledger.settings,
                    out_dir=tmp_path)
    text = read_text(res.issued[0].path)
    assert "联系人：督办科，电话 1234。" in text and "回复期限：2025年5月8日" in text
    ledger.settings.template = tmp_path / "missing.docx"
    import pytest

    from duban.errors import DubanError

    with pytest.raises(DubanError, match="公文模板无法打开"):
        flows.run(session_factory=ledger.sf, today=dt.date(2025, 5, 27), settings=ledger.settings)
