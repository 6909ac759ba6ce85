"""PDF: text lines in reading order, ruled tables as tab-joined rows, refusals."""

from __future__ import annotations

import pytest
from ingest_helpers import SAMPLES, assert_input_error, cjk_font, pdf_bytes

from duban.errors import InputError
from duban.ingest import read, read_bytes


@pytest.fixture(scope="module")
def sample():
    return read(SAMPLES / "sample_plan.pdf")


def test_sample_pdf_text_lines_in_order(sample):
    assert sample.format == "pdf"
    lines = sample.lines
    assert lines[0] == "青川政办发〔2025〕12号"
    # The title wraps in the PDF as it would on paper; both halves are there, in order.
    assert lines[1] + lines[2] == "青川市人民政府办公室关于印发《青川市2025年优化营商环境行动方案》的通知"
    text = "".join(ln for ln in lines if "\t" not in ln)
    order = ["一、主要目标", "二、重点任务", "（一）提升政务服务效能", "1.深化企业开办“一网通办”",
             "我市低压办电平均时间为6.87天，低于全省平均水平（8.55天）", "20.开展营商环境评价", "三、保障措施",
             "附件：青川市2025年优化营商环境重点任务清单"]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)
    assert "（牵头单位：市市场监管局；责任单位：市公安局、市税务局、市人社局、市住房公积金中心" in text


def test_sample_pdf_table_rows(sample):
    lines = sample.lines
    header = lines.index("序号\t重点任务\t牵头单位\t责任单位\t完成时限")
    assert lines[header - 1] == "青川市2025年优化营商环境重点任务清单"
    rows = lines[header:]
    assert len(rows) == 10 and all(r.count("\t") == 4 for r in rows)
    # Wrapped cell text comes out joined: no newline inside a cell.
    assert rows[2] == ("1\t实现企业开办全程网上办理，办理时间压缩至0.5个工作日以内\t市市场监管局\t"
                       "市公安局、市税务局、市人社局\t2025年6月底前")
    assert rows[3].split("\t") == ["2", "推行经营主体住所（经营场所）标准化登记", "", "各县（市、区）人民政府", ""]
    assert rows[1] == "一、提升政务服务效能\t\t\t\t"


def test_sample_pdf_tables_and_pages(sample):
    table = sample.tables[0]
    assert table[3][2] == "市市场监管局" and table[3][4] == "2025年6月底前"
    assert table[4] == ["二、强化要素保障"] * 5
    assert [0, 2, 2, 2, 1] in sample.metadata["merged_cells"]
    starts = sample.metadata["page_starts"]
    assert starts[0] == 1 and starts == sorted(starts) and len(starts) == sample.metadata["pages"]


def test_table_between_paragraphs_keeps_reading_order():
    font = cjk_font()

    def draw(c):
        c.setFont(font, 11)
        c.drawString(72, 780, "表前的段落")
        # A 2x2 ruled table between y=700 and y=760.
        for y in (700, 730, 760):
            c.line(72, y, 372, y)
        for x in (72, 172, 372):
            c.line(x, 700, x, 760)
        c.drawString(80, 740, "牵头单位")
        c.drawString(180, 740, "完成时限")
        c.drawString(80, 710, "市税务局")
        c.drawString(180, 710, "2025年12月底前")
        c.drawString(72, 660, "表后的段落")

    src = read_bytes(pdf_bytes(draw), "ordered.pdf")
    assert src.lines == ["表前的段落", "牵头单位\t完成时限", "市税务局\t2025年12月底前", "表后的段落"]
    assert src.tables == [[["牵头单位", "完成时限"], ["市税务局", "2025年12月底前"]]]


def test_plain_pdf(small_pdf):
    src = read_bytes(small_pdf, "small.pdf")
    assert src.lines == ["一、主要目标", "到2025年底，经营主体满意度达到95%以上。"]
    assert src.tables == []


def test_scanned_pdf_refused(scanned_pdf, tmp_path):
    path = tmp_path / "扫描件.pdf"
    path.write_bytes(scanned_pdf)
    with pytest.raises(InputError) as e:
        read(path)
    assert_input_error(e, "扫描件.pdf", "no text layer", "OCR")


def test_encrypted_pdf_refused(encrypted_pdf):
    with pytest.raises(InputError) as e:
        read_bytes(encrypted_pdf, "secret.pdf")
    assert_input_error(e, "secret.pdf", "password")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_or_damaged_pdf_refused(small_pdf, cut):
    data = small_pdf[: int(len(small_pdf) * cut)]
    try:
        src = read_bytes(data, "broken.pdf")
    except InputError as e:
        assert "broken.pdf" in str(e) and "\n" not in str(e)
    else:  # pdfminer can recover some truncations; then the text must be right
        assert "一、主要目标" in src.lines


def test_garbage_after_pdf_magic_refused():
    with pytest.raises(InputError) as e:
        read_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4, "junk.pdf")
    assert_input_error(e, "junk.pdf", "PDF")


def test_pdf_named_txt_is_read_as_pdf(small_pdf):
    src = read_bytes(small_pdf, "really-a-pdf.txt")
    assert src.format == "pdf" and src.lines[0] == "一、主要目标"
