"""The CLI contract, through real subprocesses: `duban search`, `duban similar`,
`duban compare`, and every kind of bad input (one line on stderr, no traceback)."""

import json
import subprocess
import sys

import pytest

from .conftest import task_at


def run(*args, check_rc=None):
    proc = subprocess.run([sys.executable, "-m", "duban.cli", *args], capture_output=True,
                          text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.returncode, proc.stdout, proc.stderr)
    return proc


def jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_search_prints_one_json_object_per_task(corpus):
    rows = jsonl(run("search", "一业一证", "--db", corpus.url, "--limit", "50", check_rc=0).stdout)
    assert len(rows) >= 8
    for r in rows:
        assert {"id", "doc", "text", "region", "score", "snippet"} <= set(r)
        assert "一业一证" in r["text"].replace("\n", "") and "<mark>一业一证</mark>" in r["snippet"]
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert {"s000.txt", "s002.txt", "s003-hubei-03.txt"} <= {r["doc"] for r in rows}


def test_search_options(corpus):
    rows = jsonl(run("search", "企业", "--db", corpus.url, "--region", "湖北", "--limit", "3",
                     "--format", "jsonl", check_rc=0).stdout)
    assert len(rows) == 3 and all(r["region_code"].startswith("42") for r in rows)
    docs = jsonl(run("search", "首席服务员", "--db", corpus.url, "--documents", check_rc=0).stdout)
    assert {d["doc"] for d in docs} == {"s000.txt", "s003-hubei-03.txt", "s003-hubei-09.txt"}
    table = run("search", "一照多址", "--db", corpus.url, "--format", "table", check_rc=0)
    assert "s002.txt" in table.stdout and "共 4 条" in table.stderr


def test_similar_prints_best_first(corpus):
    with corpus.sf() as s:
        query = task_at(s, "s000.txt", 1264)
        expected = task_at(s, "s003-hubei-03.txt", 43)
    rows = jsonl(run("similar", str(query), "--db", corpus.url, "-k", "5", check_rc=0).stdout)
    assert 1 <= len(rows) <= 5 and rows[0]["id"] == expected
    assert {"id", "doc", "text", "score", "region", "targets", "lead_units"} <= set(rows[0])
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    table = run("similar", str(query), "--db", corpus.url, "--format", "table", check_rc=0)
    assert table.stdout.startswith(f"任务 {query}")


def test_compare_two_documents(corpus):
    out = run("compare", "s003-henan-02.txt", "s003-henan-07.txt", "--db", corpus.url,
              check_rc=0).stdout
    assert "两者都有（" in out and "仅 A 有" in out and "目标不同" in out
    data = json.loads(run("compare", "s000.txt", "s003-hubei-03.txt", "--db", corpus.url,
                          "--format", "json", check_rc=0).stdout)
    assert data["both"] and data["targets_differ"] and data["only_a"]
    assert any(m["a"]["targets"] == ["28个以上"] and m["b"]["targets"] == ["25个以上"]
               for m in data["targets_differ"])


def test_matrix_export(corpus, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "m.xlsx"
    proc = run("compare", "matrix", "-o", str(out), "--db", corpus.url, check_rc=0)
    assert "wrote" in proc.stdout and out.exists()
    ws = load_workbook(out)["改革事项×地区"]
    assert "一业一证" in [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    text = run("compare", "matrix", "--db", corpus.url, check_rc=0).stdout
    assert any(line.startswith("一业一证（") for line in text.splitlines())


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    return str(tmp_path_factory.mktemp("cli") / "empty.db")


@pytest.mark.parametrize("args, message", [
    (["search", ""], "请输入检索词"),
    (["search", "   "], "请输入检索词"),
    (["search", '"'], "没有可检索的文字"),
    (["search", "*"], "没有可检索的文字"),
    (["search", "("], "没有可检索的文字"),
    (["search", "证"], "太短"),
    (["search", "'"], "没有可检索的文字"),
    (["search", "-"], "没有可检索的文字"),
    (["search", "很" * 600], "过长"),
    (["search", "很" * 10_000], "过长"),
    (["search", "企业", "--year", "99999999999999999999"], "年份"),
    (["search", "企业", "--issuer", "很" * 1000], "过长"),
    (["search", "企业", "--region", "火星"], "未知地区"),
    (["search", "企业", "--year", "去年"], "年份"),
    (["search", "企业", "--status", "坏"], "状态"),
    (["search", "企业", "--unit", "不存在的单位"], "未找到单位"),
    (["search", "企业", "--limit", "100000"], "limit"),
    (["similar", "999999"], "未找到任务"),
    (["similar", "99999999999999999999"], "未找到任务"),
    (["similar", "1", "-k", "0"], "-k"),
    (["compare", "a.txt", "b.txt"], "未找到文件"),
    (["compare", "99999999999999999999", "b.txt"], "未找到文件"),
    (["compare", "很" * 10_000, "b.txt"], "过长"),
    (["compare", "a.txt", "b.txt", "--threshold", "0"], "阈值"),
    (["compare", "matrix", "--reforms", "/nonexistent.yaml"], "no such reform list"),
    (["compare", "matrix", "-o", "/nonexistent/dir/m.xlsx"], "does not exist"),
])
def test_bad_input_is_one_clear_line(empty_db, args, message):
    proc = run(*args, "--db", empty_db, check_rc=1)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("duban: ") and message in lines[0], proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("query", ["NEAR", "OR", "一业一证 OR 企业", 'NEAR("一业一证" 企业)', "AND NOT",
                                   "NEAR(", "企业 -开办", "'一业一证'", "一业*", '"企业'])
def test_fts_words_are_searched_as_words(empty_db, query):
    """FTS operators are plain words here: no syntax error, just (no) matches."""
    proc = run("search", query, "--db", empty_db, check_rc=0)
    assert proc.stdout == "" and proc.stderr == ""
