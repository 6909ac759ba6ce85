"""`duban indicators …` through a real subprocess, on CSV and xlsx files made here."""

from __future__ import annotations

import json

import pytest
from .helpers import run_cli

HEADER = "region,indicator,value,higher_is_better,dimension,weight,frontier,worst\n"


def write(tmp_path, text, name="obs.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def xlsx(tmp_path, rows, name="obs.xlsx"):
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    p = tmp_path / name
    wb.save(p)
    return p


GOOD = HEADER + (
    "荆门,专利,10,true,,,,\n襄阳,专利,20,true,,,,\n武汉,专利,30,true,,,,\n"
    "荆门,开办时间,2,false,,,,\n襄阳,开办时间,5,false,,,,\n武汉,开办时间,8,false,,,,\n")


def test_score_json_contract(tmp_path):
    code, out, err = run_cli("indicators", "score", write(tmp_path, GOOD))
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"scores", "overall"}
    assert all(set(s) == {"region", "indicator", "score"} for s in data["scores"])
    assert all(set(r) == {"region", "score", "rank"} for r in data["overall"])
    scores = {(s["region"], s["indicator"]): s["score"] for s in data["scores"]}
    assert scores[("襄阳", "专利")] == 50.0 and scores[("荆门", "开办时间")] == 100.0
    # 荆门 (0 + 100) / 2, 襄阳 (50 + 50) / 2, 武汉 (100 + 0) / 2: a three-way tie
    assert [(r["region"], r["score"], r["rank"]) for r in data["overall"]] == [
        ("武汉", 50.0, 1), ("荆门", 50.0, 1), ("襄阳", 50.0, 1)]
    assert err == ""


def test_scores_are_rounded_to_two_decimals(tmp_path):
    p = write(tmp_path, HEADER + "A,i,1,true,,,,\nB,i,2,true,,,,\nC,i,4,true,,,,\n")
    data = json.loads(run_cli("indicators", "score", p)[1])
    assert {s["region"]: s["score"] for s in data["scores"]} == {"A": 0.0, "B": 33.33, "C": 100.0}


def test_score_csv_format(tmp_path):
    code, out, _ = run_cli("indicators", "score", write(tmp_path, GOOD), "--format", "csv")
    lines = out.strip().splitlines()
    assert code == 0 and lines[0] == "region,indicator,score,rank"
    assert "襄阳,专利,50.00,2" in lines and "荆门,overall,50.00,1" in lines


def test_dimensions_weights_and_fixed_bounds(tmp_path):
    p = write(tmp_path, HEADER + "A,i1,10,true,D,3,,\nB,i1,0,true,D,3,,\nA,i2,0,true,D,1,,\n"
                                 "B,i2,10,true,D,1,,\nA,i3,5,true,E,1,10,0\nB,i3,20,true,E,1,10,0\n")
    data = json.loads(run_cli("indicators", "score", p)[1])
    overall = {r["region"]: r["score"] for r in data["overall"]}
    # A: D = 75, E = 50 → 62.5; B: D = 25, E = 100 (clipped) → 62.5
    assert overall == {"A": 62.5, "B": 62.5}


def test_xlsx_input_with_a_non_numeric_cell(tmp_path):
    p = xlsx(tmp_path, [["region", "indicator", "value", "higher_is_better"],
                        ["荆门", "专利", 6.87, True], ["襄阳", "专利", "n/a", True],
                        ["武汉", "专利", 40.2, "true"], ["襄阳", "商标", 5, "false"],
                        ["荆门", "商标", 1, "false"]])
    code, out, err = run_cli("indicators", "score", p)
    assert code == 0
    assert f"duban: {p}: row 3: 襄阳「专利」的数值 'n/a' 不是数字" in err
    assert "地区「襄阳」缺少指标「专利」" in err  # the gap is named
    data = json.loads(out)
    assert {(s["region"], s["indicator"]) for s in data["scores"]} == {
        ("荆门", "专利"), ("武汉", "专利"), ("襄阳", "商标"), ("荆门", "商标")}


def test_wrong_unit_names_the_row(tmp_path):
    p = write(tmp_path, HEADER + "A,迟报率,20.12%,false,,,,\nB,迟报率,12件,false,,,,\nC,迟报率,10%,false,,,,\n")
    code, out, err = run_cli("indicators", "score", p)
    assert code == 0
    assert f"duban: {p}: row 3: B「迟报率」的数值单位是 件，但该指标的单位是 %" in err
    assert {s["region"] for s in json.loads(out)["scores"]} == {"A", "C"}


def test_unit_column_is_the_expectation(tmp_path):
    p = write(tmp_path, "region,indicator,value,higher_is_better,unit\n"
                        "A,登记,5天,false,天\nB,登记,3小时,false,天\nC,登记,2,false,天\n")
    code, _, err = run_cli("indicators", "score", p)
    assert code == 0 and "row 3: B「登记」的数值单位是 小时" in err


def test_region_missing_a_value_is_named_and_scored_on_the_rest(tmp_path):
    p = write(tmp_path, HEADER + "A,i1,1,true,,,,\nB,i1,3,true,,,,\nA,i2,1,true,,,,\nB,i2,,true,,,,\n"
                                 "C,i2,2,true,,,,\n")
    code, out, err = run_cli("indicators", "score", p)
    assert code == 0
    assert "地区「B」缺少指标「i2」的数值" in err and "地区「C」缺少指标「i1」的数值" in err
    overall = {r["region"]: r["score"] for r in json.loads(out)["overall"]}
    assert overall == {"A": 0.0, "B": 100.0, "C": 100.0}


def test_frontier_equal_to_worst_is_reported_and_excluded(tmp_path):
    p = write(tmp_path, HEADER + "A,same,4,true,,,,\nB,same,4,true,,,,\nA,i,1,true,,,,\nB,i,2,true,,,,\n")
    code, out, err = run_cli("indicators", "score", p)
    assert code == 0
    assert f"duban: {p}: 指标「same」：前沿值等于最差值（4），无法区分各地区，已排除" in err
    assert {s["indicator"] for s in json.loads(out)["scores"]} == {"i"}


def test_exit_1_when_nothing_can_be_scored(tmp_path):
    p = write(tmp_path, HEADER + "A,same,4,true,,,,\nB,same,4,true,,,,\n")
    code, out, err = run_cli("indicators", "score", p)
    assert code == 1 and out == ""
    assert err.strip().splitlines()[-1] == f"duban: {p}: nothing could be scored"


def test_bad_direction_and_weight_cells(tmp_path):
    p = write(tmp_path, HEADER + "A,i,1,maybe,,,,\nB,i,2,true,,-1,,\nC,i,3,true,,,,\nD,i,5,true,,,x,\n"
                                 "E,i,4,true,,,,\n")
    code, _, err = run_cli("indicators", "score", p)
    assert code == 0
    assert "row 2: higher_is_better 应为 true 或 false" in err
    assert "row 3: 权重必须为正数" in err
    assert "row 5: frontier 'x' 不是数字" in err


def test_missing_column_and_missing_file(tmp_path):
    p = write(tmp_path, "region,indicator,value\nA,i,1\n")
    code, _, err = run_cli("indicators", "score", p)
    assert code == 1 and "missing column(s): higher_is_better" in err
    code, _, err = run_cli("indicators", "score", tmp_path / "nope.csv")
    assert code == 1 and "no such file" in err


def test_chinese_headers_and_gbk(tmp_path):
    p = tmp_path / "gbk.csv"
    p.write_bytes("地区,指标,数值,越高越好\n甲,专利,1,是\n乙,专利,3,是\n".encode("gb18030"))
    code, out, _ = run_cli("indicators", "score", p)
    assert code == 0 and json.loads(out)["overall"][0] == {"region": "乙", "score": 100.0, "rank": 1}


def test_charts_and_report(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib not installed: charts not tested")
    code, _, err = run_cli("indicators", "score", write(tmp_path, GOOD), "--charts", tmp_path / "c",
                           "--report", tmp_path / "r.xlsx", "--gaps")
    assert code == 0
    for name in ("overall.png", "dimensions.png", "gaps.png"):
        assert (tmp_path / "c" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from openpyxl import load_workbook
    wb = load_workbook(tmp_path / "r.xlsx")
    assert {"总分排名", "指标得分", "差距", "提分效率", "图表"} <= set(wb.sheetnames)
    assert len(wb["图表"]._images) == 3
    assert "荆门\t专利\t提高 20" in err


def test_registry_list_and_add(tmp_path):
    code, out, _ = run_cli("indicators", "registry")
    assert code == 0 and "每万人发明专利拥有量\t件\t越高越好" in out
    f = tmp_path / "mine.yaml"
    code, out, _ = run_cli("indicators", "registry", "--add", "获得电力时间", "--dimension", "获得电力",
                           "--unit", "天", "--lower-is-better", "--alias", "用电报装时间", "--file", f)
    assert code == 0 and "获得电力时间\t天\t越低越好" in out
    assert "获得电力" in f.read_text(encoding="utf-8")
    code, out, _ = run_cli("indicators", "registry", "--registry", f)
    assert "aliases: 用电报装时间" in out


def test_simulate_with_targets(tmp_path):
    code, out, err = run_cli("indicators", "simulate", write(tmp_path, GOOD), "--region", "荆门",
                             "--target", "专利>=30", "--target", "无此指标=1")
    assert code == 0
    data = json.loads(out)
    assert data["before"] == {"score": 50.0, "rank": 1}
    # 荆门 reaches the patent frontier (30): patents 100, 开办时间 100 → 100; the worst
    # patent value is now 20 (襄阳), so 襄阳 falls
    assert data["after"] == {"score": 100.0, "rank": 1}
    assert "无此指标" in err


@pytest.mark.corpus
def test_extract_jsonl(corpus_dir):
    code, out, _ = run_cli("indicators", "extract", corpus_dir / "s000.txt")
    recs = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(recs) >= 30
    first = next(r for r in recs if r["line"] == 350)
    assert first["value"] == 6.87 and first["average"] == 8.55 and first["kind"] == "benchmark"
