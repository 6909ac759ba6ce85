"""HTML: blocks to lines, tables to tab rows, page chrome dropped, charsets honoured."""

from __future__ import annotations

import pytest
from ingest_helpers import FIXTURES, SAMPLES

from duban.ingest import read, read_bytes
from duban.ingest.htmlcharset import declared_charset


@pytest.fixture(scope="module")
def sample():
    return read(SAMPLES / "sample_plan.html")


def test_sample_html_article_only(sample):
    assert sample.format == "html"
    txt = [ln for ln in read(SAMPLES / "sample_plan.txt").lines if ln]
    assert sample.lines[: len(txt)] == txt
    text = sample.text
    for chrome in ("首页", "当前位置", "网站标识码", "trackPage", "font-family"):
        assert chrome not in text
    assert sample.metadata["title"] == "青川市2025年优化营商环境行动方案_青川市人民政府"


def test_sample_html_table_rows_and_merges(sample):
    lines = sample.lines
    header = lines.index("序号\t重点任务\t牵头单位\t责任单位\t完成时限")
    assert lines[header + 1] == "一、提升政务服务效能\t\t\t\t"
    assert lines[header + 3].split("\t") == ["2", "推行经营主体住所（经营场所）标准化登记", "", "各县（市、区）人民政府", ""]
    assert lines[header + 5] == "3\t低压小微企业用电报装“三零”服务全覆盖\t国网青川供电公司\t各县（市、区）人民政府\t2025年6月底前"
    assert sample.tables[0][3][2] == "市市场监管局"


def test_gbk_page_decodes_exactly(sample):
    gbk = read(FIXTURES / "sample_plan_gbk.html")
    assert gbk.metadata["encoding"] == "gb18030"
    assert gbk.lines == sample.lines
    assert gbk.tables == sample.tables
    assert gbk.sha256 != sample.sha256


def test_gbk_page_without_declaration_is_detected():
    page = "<html><body><p>青川市市场监管局（市知识产权局）负责</p></body></html>"
    src = read_bytes(page.encode("gbk"), "nodecl.html")
    assert src.lines == ["青川市市场监管局（市知识产权局）负责"]
    assert src.metadata["encoding"] == "gb18030"


def test_utf8_page_with_stale_gb2312_label():
    page = '<html><head><meta charset="gb2312"></head><body><p>完成时限：2025年6月底前</p></body></html>'
    src = read_bytes(page.encode("utf-8"), "stale.html")
    assert src.lines == ["完成时限：2025年6月底前"]


@pytest.mark.parametrize("head,codec", [
    (b'<meta charset="GBK">', "gb18030"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />', "gb18030"),
    (b"<meta charset='utf-8'>", "utf-8"),
    (b'<?xml version="1.0" encoding="GB18030"?><html>', "gb18030"),
    (b'<meta charset="big5">', "big5"),
    (b'<meta charset="iso-8859-1">', None),
    (b'<meta charset="no-such-charset">', None),
    (b"<p>no declaration</p>", None),
])
def test_declared_charset(head, codec):
    page = head if head.startswith(b"<?xml") else b"<html><head>" + head
    assert declared_charset(page) == codec


def test_blocks_breaks_and_whitespace():
    page = """<!DOCTYPE html><html><body>
    <h1>青川市2025年
        优化营商环境行动方案</h1>
    <div>一、主要目标<br>到2025年底，全市营商环境
    评价指标整体进入全省第一方阵。</div>
    <ul><li>Action Plan</li><li>&nbsp;&nbsp;（牵头单位：市发改委）</li></ul>
    <p>市发改委、市经信局<span>负责</span>，<b>2025年9月底前</b>完成</p>
    <pre>第一行
第二行</pre>
    </body></html>"""
    assert read_bytes(page.encode(), "blocks.html").lines == [
        "青川市2025年优化营商环境行动方案",
        "一、主要目标",
        "到2025年底，全市营商环境评价指标整体进入全省第一方阵。",
        "Action Plan",
        "（牵头单位：市发改委）",
        "市发改委、市经信局负责，2025年9月底前完成",
        "第一行",
        "第二行",
    ]


def test_rowspan_colspan_grid():
    page = """<html><body><table>
    <tr><th>序号</th><th>重点任务</th><th>牵头单位</th></tr>
    <tr><td>1</td><td>任务甲<br>（续）</td><td rowspan="3">市市场监管局</td></tr>
    <tr><td>2</td><td>任务乙</td></tr>
    <tr><td colspan="2">合计</td></tr>
    </table></body></html>"""
    src = read_bytes(page.encode(), "spans.html")
    assert src.lines == ["序号\t重点任务\t牵头单位", "1\t任务甲（续）\t市市场监管局", "2\t任务乙\t", "合计\t\t"]
    assert src.tables[0][2] == ["2", "任务乙", "市市场监管局"]
    assert src.tables[0][3] == ["合计", "合计", "市市场监管局"]
    assert src.metadata["merged_cells"] == [[0, 1, 2, 3, 1], [0, 3, 0, 1, 2]]


def test_layout_table_is_not_a_data_table():
    """Old sites wrap the whole page in a table; its paragraphs must stay lines."""
    page = """<html><body><table><tr><td>
      <table><tr><td><a href="/">首页</a></td><td>政务公开</td></tr></table>
      <p>一、重点任务</p><p>1.深化企业开办（市市场监管局负责）</p>
    </td></tr></table></body></html>"""
    lines = read_bytes(page.encode(), "layout.html").lines
    assert "一、重点任务" in lines and "1.深化企业开办（市市场监管局负责）" in lines


def test_article_with_noisy_class_is_kept():
    """A class word like 'nav' must not throw away the article itself."""
    page = ('<html><body><div class="main-nav-content"><p>' + "重点任务。" * 50 + "</p></div>"
            '<div class="nav">首页</div></body></html>')
    lines = read_bytes(page.encode(), "noisy.html").lines
    assert lines == ["重点任务。" * 50]


def test_html_sniffed_from_content_not_name():
    data = "\ufeff  <!DOCTYPE HTML>\n<html><body><p>正文</p></body></html>".encode("utf-8")
    src = read_bytes(data, "page.txt")
    assert src.format == "html" and src.lines == ["正文"]


def test_text_mentioning_html_stays_text():
    src = read_bytes("说明：网页以<html>开头。\n第二行".encode(), "note.html")
    assert src.format == "txt" and src.lines == ["说明：网页以<html>开头。", "第二行"]
