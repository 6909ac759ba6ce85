"""Property tests: whatever lines arrive, extract() returns well-formed tasks.

Random plan-like text (CJK, every bracket kind, tabs, enumerators, note keywords) and
mutated real documents (lines deleted, duplicated, swapped, split by tabs, cut short)."""

from __future__ import annotations

import re
from datetime import date

from extract_helpers import corpus_docs, corpus_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.extract import extract
from duban.extract.units import split_units
from duban.ingest import Source

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")

TOKENS = st.sampled_from([
    "（", "）", "(", ")", "〔", "〕", "[", "]", "【", "】", "\t", "\n", "\n\n", " ", "　",
    "一、", "二、", "（一）", "（二）", "(三)", "1.", "2．", "3、", "（1）", "(2)", "①", "②", "第五条", "第二章",
    "牵头单位：", "责任单位：", "配合单位：", "责任科室：", "责任领导：", "完成时限：", "牵头科室：",
    "负责", "牵头", "按职责分工负责", "会同", "配合", "落实", "等", "等单位", "及", "和", "各",
    "市发改委", "市市场监管局", "各县（市、区）人民政府", "省直相关单位", "各市州、县市区人民政府",
    "均为责任单位，以下不再列出", "以下责任单位中均包含", "不再列出",
    "2025年6月底前完成", "6月30日", "3 月 31 日", "2023年12月", "年底前", "长期推进", "长期坚持",
    "立即推进", "上半年", "第三季度", "13月", "2月30日", "9月底前全面落地", "各项工作措施在",
    "。", "；", "，", "、", "：", ":", ";", ",", "**", "— 11 —", "存在问题", "提升措施", "部门分工",
    "序号", "重点任务", "完成时限", "改革举措", "责任部门", "保障措施", "总体要求",
])
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PIECE = st.one_of(TOKENS, TOKENS, CJK, st.text(CJK, min_size=1, max_size=30), st.sampled_from("0123456789"))
PLAN = st.lists(PIECE, max_size=300).map("".join)


def check(lines: list[str]) -> None:
    ex = extract(Source(name="fuzz.txt", lines=lines))
    n = len(lines)
    for t in ex.tasks:
        assert 1 <= t.line <= n, (t.line, n)
        assert t.text.strip(), t
        if t.deadline is not None:
            assert ISO.fullmatch(t.deadline) and date.fromisoformat(t.deadline), t.deadline
        for u in t.lead_units + t.co_units + t.internal_units:
            assert u and not re.search(r"\s", u), u
        assert isinstance(t.ongoing, bool)
    assert all(1 <= k <= n for k in ex.coverage)


@settings(max_examples=200, **SETTINGS)
@given(PLAN)
def test_random_plan_text(text):
    check(text.split("\n"))


@settings(max_examples=200, **SETTINGS)
@given(st.lists(st.text(st.sampled_from("一二（）()〔〕\t 1.、①牵头负责责任单位：市局等及和各县区年月日底前"),
                        max_size=40), max_size=30))
def test_random_short_lines(lines):
    check(lines)


def _mutate(lines: list[str], data) -> list[str]:
    lines = list(lines)
    for _ in range(data.draw(st.integers(1, 8), label="mutations")):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1), label="at")
        op = data.draw(st.sampled_from(["delete", "duplicate", "swap", "tab", "truncate_line",
                                        "truncate_doc", "join", "blank", "delete_run"]), label="op")
        line = lines[i]
        cut = data.draw(st.integers(0, len(line)), label="cut")
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "tab":
            lines[i] = line[:cut] + "\t" + line[cut:]
        elif op == "truncate_line":
            lines[i] = line[:cut]
        elif op == "truncate_doc":
            del lines[i + 1:]
        elif op == "join" and i + 1 < len(lines):
            lines[i:i + 2] = [line + lines[i + 1]]
        elif op == "blank":
            lines.insert(i, "")
        elif op == "delete_run":
            del lines[i:i + data.draw(st.integers(1, 40), label="run")]
    return lines


@settings(max_examples=150, **SETTINGS)
@given(st.data())
def test_mutated_corpus_documents(data):
    doc = data.draw(st.sampled_from(corpus_docs()), label="doc")
    check(_mutate(list(corpus_lines(doc)), data))


@settings(max_examples=200, **SETTINGS)
@given(PLAN)
def test_split_units_gives_clean_distinct_units(text):
    units = split_units(text)
    assert len(units) == len(set(units))
    for u in units:
        assert u and not re.search(r"\s", u) and not u.endswith("等单位")
