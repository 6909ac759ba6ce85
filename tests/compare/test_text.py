"""Query terms, snippets and targets: the pure helpers every feature leans on."""

import pytest

from duban.compare.text import (
    MAX_QUERY, QueryError, contains_all, query_terms, snippet, squash, target_values, targets,
)


@pytest.mark.parametrize("query, terms", [
    ("一业一证", ["一业一证"]),
    ("  一业一证   企业 ", ["一业一证", "企业"]),
    ("“一业一证”、“一照多址”", ["一业一证", "一照多址"]),
    ('"一业一证" OR 企业*', ["一业一证", "or", "企业"]),  # syntax is never interpreted
    ("NEAR(企业 改革)", ["near", "企业", "改革"]),
    ("中国（河南）自贸区2.0版", ["中国", "河南", "自贸区2.0版"]),
    ("企业 企业", ["企业"]),
    ("5G 基站", ["5g", "基站"]),
])
def test_query_terms(query, terms):
    assert query_terms(query) == terms


@pytest.mark.parametrize("query, message", [
    ("", "请输入检索词"),
    ("   ", "请输入检索词"),
    (None, "请输入检索词"),
    ('"', "没有可检索的文字"),
    ("*()", "没有可检索的文字"),
    ("证", "太短"),
    ("一业一证 证", "「证」太短"),
    ("很" * (MAX_QUERY + 1), "过长"),
    (" ".join(f"词{i}" for i in range(9)), "过多"),
])
def test_bad_queries_are_one_line_errors(query, message):
    with pytest.raises(QueryError) as e:
        query_terms(query)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_squash_removes_the_whitespace_pdfs_leave_inside_words():
    assert squash("一业一\n证 改革，28 个\u3000行业") == "一业一证改革，28个行业"
    assert contains_all("推进一业一\n证改革", ["一业一证", "改革"])
    assert not contains_all("推进一业一证", ["一业一证", "一照多址"])


def test_snippet_marks_every_match_and_escapes_the_rest():
    text = "<b>前言</b>" + "很长的背景。" * 20 + "深化“一业一\n证”改革，升级“一业一证”系统。"
    s = snippet(text, ["一业一证"])
    assert s.count("<mark>") == 2 and s.startswith("…")
    assert "<mark>一业一 证</mark>" in s  # the line break inside the word, as a space
    assert "<b>" not in snippet("<b>一业一证</b>", ["一业一证"])
    assert "&lt;b&gt;" in snippet("<b>一业一证</b>", ["一业一证"])


def test_snippet_without_a_match_is_the_beginning():
    assert snippet("甲乙丙", ["一业一证"]) == "甲乙丙"


@pytest.mark.parametrize("text, expected", [
    ("将改革行业拓展到 28 个以上", ["28个以上"]),
    ("实现“1个环节、0.5天、零费用”", ["1个", "0.5天"]),
    ("初审时间压缩至2个工作日内，实现100%修复", ["2个工作日", "100%"]),
    ("2023年6月底前完成，第2批事项", []),
    ("纳税次数压减至5次、纳税时间压减至85小时以内", ["5次", "85小时以内"]),
    ("覆盖率达80％以上", ["80%以上"]),
])
def test_targets(text, expected):
    assert targets(text) == expected


def test_target_values_ignore_qualifiers():
    assert target_values("拓展到28个以上") == target_values("28个行业") == {"28个"}
    assert target_values("25个以上") != target_values("28个以上")
