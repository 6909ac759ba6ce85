"""Word documents: order, table rows, merged cells, list numbering."""

from __future__ import annotations

import io

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from ingest_helpers import SAMPLES

from duban.ingest import read, read_bytes
from duban.ingest.wordnumbering import format_number


@pytest.fixture(scope="module")
def sample():
    return read(SAMPLES / "sample_plan.docx")


def test_sample_docx_paragraphs_in_order(sample):
    assert sample.format == "docx"
    assert sample.name == "sample_plan.docx"
    lines = sample.lines
    assert lines[0] == "青川政办发〔2025〕12号"
    assert lines[1] == "青川市人民政府办公室关于印发《青川市2025年优化营商环境行动方案》的通知"
    txt = [ln for ln in read(SAMPLES / "sample_plan.txt").lines if ln]
    # Every non-blank line of the text plan is one paragraph, in the same order.
    assert lines[: len(txt)] == txt
    assert sample.metadata["title"] == "青川市2025年优化营商环境行动方案"


def test_sample_docx_annex_rows_are_tab_joined(sample):
    lines = sample.lines
    header = lines.index("序号\t重点任务\t牵头单位\t责任单位\t完成时限")
    assert lines[header - 1] == "青川市2025年优化营商环境重点任务清单"
    assert lines[header + 2] == ("1\t实现企业开办全程网上办理，办理时间压缩至0.5个工作日以内\t市市场监管局\t"
                                 "市公安局、市税务局、市人社局\t2025年6月底前")
    assert lines[header + 4] == "二、强化要素保障\t\t\t\t"
    assert lines[-1] == "6\t开展县（市、区）营商环境评价，结果纳入高质量发展考核\t市营商环境建设局\t各县（市、区）人民政府\t2025年11月底前"
    assert all(ln.count("\t") == 4 for ln in lines[header:])


def test_sample_docx_vertical_merge(sample):
    """Merged lead unit and deadline: text in the first row, empty below in the line,
    filled in Source.tables, and listed as merges."""
    lines = sample.lines
    row2 = next(ln for ln in lines if ln.startswith("2\t"))
    assert row2.split("\t") == ["2", "推行经营主体住所（经营场所）标准化登记", "", "各县（市、区）人民政府", ""]
    table = sample.tables[0]
    assert table[3] == ["2", "推行经营主体住所（经营场所）标准化登记", "市市场监管局", "各县（市、区）人民政府", "2025年6月底前"]
    assert table[1] == ["一、提升政务服务效能"] * 5
    assert [0, 2, 2, 2, 1] in sample.metadata["merged_cells"]
    assert [0, 1, 0, 1, 5] in sample.metadata["merged_cells"]


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_body_order_cells_and_breaks():
    d = docx.Document()
    d.add_paragraph("一、重点任务")
    p = d.add_paragraph("市市场监管局负责，")
    p.add_run().add_break()
    p.add_run("2025年6月底前完成\t（长期推进）")
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).text = "序号"
    t.cell(0, 1).text = "重点任务"
    t.cell(0, 2).text = "牵头单位"
    t.cell(1, 0).text = "1"
    t.cell(1, 1).text = "推行“标准地”出让"
    t.cell(1, 1).add_paragraph("新出让工业用地比例达到60%")
    t.cell(1, 2).text = "市自然资源和规划局"
    d.add_paragraph("")
    d.add_paragraph("")
    d.add_paragraph("二、保障措施")
    src = read_bytes(_save(d), "order.docx")
    assert src.lines == [
        "一、重点任务",
        "市市场监管局负责，2025年6月底前完成 （长期推进）",
        "序号\t重点任务\t牵头单位",
        "1\t推行“标准地”出让新出让工业用地比例达到60%\t市自然资源和规划局",
        "",
        "二、保障措施",
    ]
    assert src.tables == [[["序号", "重点任务", "牵头单位"],
                           ["1", "推行“标准地”出让新出让工业用地比例达到60%", "市自然资源和规划局"]]]


def test_three_row_vertical_merge_and_horizontal_span():
    d = docx.Document()
    t = d.add_table(rows=4, cols=3)
    for r in range(4):
        t.cell(r, 0).text = str(r)
    t.cell(0, 1).text, t.cell(0, 2).text = "重点任务", "责任单位"
    t.cell(1, 1).text = "任务甲"
    t.cell(2, 1).text = "任务乙"
    t.cell(3, 1).text = "任务丙"
    t.cell(1, 2).text = "各县（市、区）人民政府"
    t.cell(1, 2).merge(t.cell(3, 2))
    t.cell(0, 0).merge(t.cell(0, 1)).text = "重点任务"
    src = read_bytes(_save(d), "merge.docx")
    assert src.lines == [
        "重点任务\t\t责任单位",
        "1\t任务甲\t各县（市、区）人民政府",
        "2\t任务乙\t",
        "3\t任务丙\t",
    ]
    assert [row[2] for row in src.tables[0][1:]] == ["各县（市、区）人民政府"] * 3
    assert src.tables[0][0] == ["重点任务", "重点任务", "责任单位"]
    assert src.metadata["merged_cells"] == [[0, 0, 0, 1, 2], [0, 1, 2, 3, 1]]


_NUMBERING = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '</w:abstractNum>'
)


def test_word_list_numbering_is_rendered():
    d = docx.Document()
    numbering = d.part.part_related_by(RT.NUMBERING).element
    numbering.insert(0, parse_xml(_NUMBERING))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in [(0, "总体要求"), (0, "重点任务"), (1, "提升政务服务效能"), (2, "深化企业开办"),
                        (2, "推进跨省通办"), (1, "降低经营成本"), (2, "规范涉企收费"), (0, "保障措施")]:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    d.add_paragraph("附件", style="List Number")  # the default template's own numbered style
    assert read_bytes(_save(d), "numbered.docx").lines == [
        "一、总体要求", "二、重点任务", "（一）提升政务服务效能", "1.深化企业开办", "2.推进跨省通办",
        "（二）降低经营成本", "1.规范涉企收费", "三、保障措施", "1.附件",
    ]


@pytest.mark.parametrize("n,fmt,out", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCounting", "十二"),
    (20, "chineseCounting", "二十"), (105, "chineseCountingThousand", "一百零五"),
    (3, "decimalEnclosedCircle", "③"), (2, "ideographTraditional", "乙"), (4, "upperRoman", "IV"),
    (28, "lowerLetter", "bb"), (7, "decimal", "7"),
])
def test_format_number(n, fmt, out):
    assert format_number(n, fmt) == out


def test_content_controls_are_read():
    d = docx.Document()
    d.add_paragraph("前文")
    body = d.element.body
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>控件内的段落</w:t></w:r></w:p>'
                    '</w:sdtContent></w:sdt>')
    body.insert(len(body) - 1, sdt)  # before the final sectPr
    assert read_bytes(_save(d), "sdt.docx").lines == ["前文", "控件内的段落"]
