"""`duban extract` as a user runs it: formats, coverage, aliases."""

from __future__ import annotations

import csv
import io
import re

import pytest
from extract_helpers import cli, corpus_lines, corpus_path, extracted, gold, jsonl, tasks_md

DOC = "s001.txt"
DOC_FIELDS = {"title", "issuer", "doc_number", "date", "year", "region"}
ROLE_FIELDS = ("line", "lead_units", "co_units", "deadline", "deadline_text", "ongoing")


def task_fields() -> list[str]:
    """The fields of TASKS.md's table, in its order."""
    return re.findall(r"^\| `(\w+)` \|", tasks_md(), flags=re.M)


@pytest.fixture(scope="module")
def s001_jsonl():
    run = cli("extract", corpus_path() / DOC)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    return jsonl(run.stdout)


def test_jsonl_has_the_tasks_md_fields_in_order(s001_jsonl):
    fields = task_fields()
    assert len(fields) == 10
    for rec in s001_jsonl:
        assert list(rec)[:len(fields)] == fields
        assert {"heading_path", "document"} <= rec.keys()
        assert set(rec["document"]) == DOC_FIELDS


def test_jsonl_matches_gold(s001_jsonl):
    g = gold(DOC)
    assert len(s001_jsonl) == len(g)
    assert all(r["doc"] == DOC for r in s001_jsonl)
    assert [[r[f] for f in ROLE_FIELDS] for r in s001_jsonl] == [[x[f] for f in ROLE_FIELDS] for x in g]


def test_jsonl_document_metadata(s001_jsonl):
    lines = [x.strip() for x in corpus_lines(DOC)]
    doc = s001_jsonl[0]["document"]
    assert doc["issuer"] == lines[2]
    assert doc["year"] == 2025 and doc["date"].startswith("2025-")
    assert doc["region"] and lines[2].startswith(doc["region"])
    assert all(r["document"] == doc for r in s001_jsonl)


def test_output_file(tmp_path):
    out = tmp_path / "tasks.jsonl"
    run = cli("extract", corpus_path() / DOC, "-o", out)
    assert run.returncode == 0 and run.stdout == ""
    assert len(jsonl(out.read_text(encoding="utf-8"))) == len(gold(DOC))


def test_csv(tmp_path):
    run = cli("extract", "--format", "csv", corpus_path() / DOC)
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert list(rows[0])[:10] == task_fields()
    assert len(rows) == len(gold(DOC))
    assert [int(r["line"]) for r in rows] == [g["line"] for g in gold(DOC)]
    assert [r["deadline"] for r in rows] == [g["deadline"] for g in gold(DOC)]
    assert [r["lead_units"] for r in rows] == ["；".join(g["lead_units"]) for g in gold(DOC)]


def test_xlsx(tmp_path):
    from openpyxl import load_workbook
    out = tmp_path / "tasks.xlsx"
    run = cli("extract", "--format", "xlsx", "-o", out, corpus_path() / DOC)
    assert run.returncode == 0, run.stderr
    rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    assert list(rows[0][:10]) == task_fields()
    assert len(rows) - 1 == len(gold(DOC))
    assert [r[1] for r in rows[1:]] == [g["line"] for g in gold(DOC)]


def test_xlsx_needs_an_output_file():
    run = cli("extract", "--format", "xlsx", corpus_path() / DOC)
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("duban: ") and "-o" in run.stderr


KINDS = {"task", "heading", "note", "skipped", "text", "table", "furniture", "header"}


def _coverage(*docs):
    run = cli("extract", "--coverage", *(corpus_path() / d for d in docs))
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


@pytest.mark.parametrize("doc", [DOC, "s000.txt", "s002.txt"])
def test_coverage_lists_every_non_blank_line_once(doc):
    out = _coverage(doc)
    listed = [re.match(rf"{re.escape(doc)}:(\d+)\t(\w+)\t", x) for x in out[:-1]]
    assert all(listed), [x for x, m in zip(out, listed) if not m][:3]
    want = [n for n, x in enumerate(corpus_lines(doc), 1) if x.strip()]
    assert [int(m.group(1)) for m in listed] == want
    assert {m.group(2) for m in listed} <= KINDS
    assert out[-1].startswith(f"{doc}: {len(extracted(doc).tasks)} tasks; lines: ")


def test_coverage_of_two_documents():
    out = _coverage(DOC, "s003-hubei-02.txt")
    assert sum(x.startswith(DOC) and " tasks; " in x for x in out) == 1
    assert sum(x.startswith("s003-hubei-02.txt: 22 tasks") for x in out) == 1


@pytest.mark.parametrize("doc", [DOC, "s000.txt", "s002.txt", "s003-hubei-02.txt"])
def test_coverage_marks_task_lines_as_task(doc):
    kinds = dict(re.match(r"[^:]+:(\d+)\t(\w+)", x).groups() for x in _coverage(doc)[:-1])
    assert all(kinds[str(g["line"])] == "task" for g in gold(doc))
    first = min(int(n) for n in kinds)  # the addressee / title line opens every document
    assert kinds[str(first)] != "task"


CANON = "荆门市发展和改革委员会"


@pytest.mark.parametrize("name,content", [
    ("aliases.yaml", f"{CANON}: [市发改委]\n"),
    ("aliases.csv", f"# alias,canonical\n市发改委,{CANON}\n"),
])
def test_aliases_change_lead_canonical(tmp_path, s001_jsonl, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    run = cli("extract", "--aliases", path, corpus_path() / DOC)
    assert run.returncode == 0, run.stderr
    recs = jsonl(run.stdout)
    assert [r["lead_units"] for r in recs] == [r["lead_units"] for r in s001_jsonl]
    with_ndrc = [r for r in recs if "市发改委" in r["lead_units"]]
    assert with_ndrc
    for r, before in zip(recs, s001_jsonl):
        assert r["lead_canonical"] == [CANON if u == "市发改委" else c
                                       for u, c in zip(r["lead_units"], before["lead_canonical"])]
    assert all(CANON not in r["lead_canonical"] for r in s001_jsonl)


@pytest.mark.parametrize("name,content", [
    ("broken.yaml", "市发改委: [荆门市\n"),
    ("list.yaml", "- 市发改委\n- 荆门市发改委\n"),
    ("nested.yaml", "荆门市发展和改革委员会: {a: 1}\n"),
    ("one-column.csv", "市发改委\n"),
    ("empty-canonical.csv", "市发改委,\n"),
    ("gbk.yaml", "荆门市发展和改革委员会: [市发改委]\n".encode("gbk")),
])
def test_bad_alias_file(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    run = cli("extract", "--aliases", path, corpus_path() / DOC)
    assert run.returncode != 0
    assert run.stderr.startswith(f"duban: {path}: ") and run.stderr.count("\n") == 1, run.stderr
    assert "Traceback" not in run.stderr


def test_missing_alias_file(tmp_path):
    path = tmp_path / "nope.yaml"
    run = cli("extract", "--aliases", path, corpus_path() / DOC)
    assert run.returncode != 0
    assert run.stderr.startswith(f"duban: {path}: ") and run.stderr.count("\n") == 1


def test_indicators_flag_writes_statements_not_tasks():
    """s000 says `我市为 6.87 件，低于全省平均水平（8.55 件）` (每万人发明专利拥有量)."""
    run = cli("extract", corpus_path() / "s000.txt", "--indicators")
    assert run.returncode == 0, run.stderr
    recs = jsonl(run.stdout)
    assert recs and all("value" in r and "lead_units" not in r for r in recs)
    hit = [r for r in recs if r["value"] == 6.87]
    assert hit and hit[0]["average"] == 8.55 and hit[0]["unit"] == "件"
