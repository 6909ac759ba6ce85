"""Bad files through `duban extract`: each gets exactly one line on stderr
(`duban: <path>: <problem>`), no traceback, exit code 1, and the good files of the
same invocation are still extracted."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from extract_helpers import cli, corpus_path, gold, jsonl

GOOD = ["s003-hubei-01.txt", "s003-hunan-01.txt"]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _pdf(draw, **kw) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, **kw)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def _scan(c):
    """A 'scanned' page: only shapes, no text layer."""
    c.rect(72, 400, 400, 300, fill=1)
    c.circle(300, 200, 50)


def _text(c):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c.setFont("STSong-Light", 12)
    c.drawString(72, 760, "（一）优化企业开办服务。（市市场监管局负责，2025年6月底前完成）")


def make_bad(tmp_path, name: str):
    path = tmp_path / name
    if name == "empty.txt":
        path.write_bytes(b"")
    elif name == "junk.bin":
        path.write_bytes(random.Random(7).randbytes(8192))
    elif name == "zip-renamed.docx":
        path.write_bytes(_zip({"readme.txt": b"hello", "data/x.bin": bytes(100)}))
    elif name == "big.txt":
        with path.open("wb") as fh:
            fh.write("（一）优化企业开办。（市市场监管局负责）\n".encode())
            fh.truncate(50 * 1024 * 1024)
    elif name == "scan.pdf":
        path.write_bytes(_pdf(_scan))
    elif name == "encrypted.pdf":
        path.write_bytes(_pdf(_text, encrypt="pw"))
    else:
        raise AssertionError(name)
    return path


# file → a word the one-line problem must say
PROBLEM = {"empty.txt": "empty", "junk.bin": "not a text document", "zip-renamed.docx": "not a Word document",
           "big.txt": "limit", "scan.pdf": "no text layer", "encrypted.pdf": "encrypted"}
BAD = list(PROBLEM)


def _good_paths():
    return [corpus_path() / d for d in GOOD]


def _assert_good_output(stdout: str):
    recs = jsonl(stdout)
    for doc in GOOD:
        mine = [r for r in recs if r["doc"] == doc]
        assert [r["line"] for r in mine] == [g["line"] for g in gold(doc)], doc
    assert {r["doc"] for r in recs} == set(GOOD)


@pytest.mark.parametrize("name", BAD)
def test_one_bad_file_among_good_ones(tmp_path, name):
    bad = make_bad(tmp_path, name)
    good1, good2 = _good_paths()
    run = cli("extract", good1, bad, good2)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"duban: {bad}: ")
    assert PROBLEM[name] in lines[0] and "could not extract" not in lines[0]
    _assert_good_output(run.stdout)


def test_all_bad_files_at_once(tmp_path):
    bads = [make_bad(tmp_path, n) for n in BAD]
    run = cli("extract", *bads, *_good_paths())
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert len(lines) == len(bads)
    for line, bad in zip(lines, bads):
        assert line.startswith(f"duban: {bad}: ")
    _assert_good_output(run.stdout)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_file_with_other_formats(tmp_path, fmt):
    bad = make_bad(tmp_path, "junk.bin")
    out = tmp_path / f"out.{fmt}"
    run = cli("extract", "-f", fmt, "-o", out, bad, *_good_paths())
    assert run.returncode == 1
    assert run.stderr.splitlines() == [l for l in run.stderr.splitlines() if l.startswith(f"duban: {bad}: ")]
    assert len(run.stderr.splitlines()) == 1
    assert out.exists() and out.stat().st_size > 0


def test_gbk_plan_is_extracted(tmp_path):
    """A plan saved as GBK (as many government sites serve it) reads like the UTF-8 one."""
    doc = "s003-hubei-01.txt"
    path = tmp_path / "gbk-plan.txt"
    path.write_bytes((corpus_path() / doc).read_text(encoding="utf-8").encode("gbk"))
    run = cli("extract", path)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    recs = jsonl(run.stdout)
    assert {r["doc"] for r in recs} == {"gbk-plan.txt"}
    keys = ("line", "lead_units", "co_units", "deadline")
    assert [[r[k] for k in keys] for r in recs] == [[g[k] for k in keys] for g in gold(doc)]


def test_missing_file(tmp_path):
    missing = tmp_path / "不存在.txt"
    run = cli("extract", missing, *_good_paths())
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"duban: {missing}: file not found"]
    _assert_good_output(run.stdout)
