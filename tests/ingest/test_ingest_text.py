"""Plain text: encodings, line endings, lines 1:1 with the file."""

from __future__ import annotations

import hashlib
import re

import pytest
from ingest_helpers import SAMPLES

from duban.ingest import read, read_bytes

PLAN_LINES = [
    "青川政办发〔2025〕12号",
    "",
    "各县（市、区）人民政府，青川高新区管委会，市政府各部门：",
]
GBK_TEXT = "青川市营商环境建设局\t牵头单位：市发改委；完成时限：2025年6月底前\n我市为6.87件，低于全省平均水平（8.55件）\n"


def test_sample_plan_lines_match_file():
    path = SAMPLES / "sample_plan.txt"
    src = read(path)
    raw = path.read_bytes()
    assert src.format == "txt"
    assert src.name == "sample_plan.txt"
    assert src.path == str(path)
    assert src.sha256 == hashlib.sha256(raw).hexdigest()
    assert src.metadata["encoding"] == "utf-8"
    assert src.lines == raw.decode("utf-8").splitlines()
    assert src.lines[0] == PLAN_LINES[0]
    assert src.lines[1] == ""
    # Line numbers are the file's: line 5 (1-based) is the addressee line.
    assert src.lines[4] == PLAN_LINES[2]
    assert src.tables == []


def test_sample_plan_has_the_documented_shape():
    """The shipped sample is a realistic plan: 20 numbered measures, most with a note."""
    lines = read(SAMPLES / "sample_plan.txt").lines
    measures = [ln for ln in lines if re.match(r"\d{1,2}\.", ln)]
    assert len(measures) == 20
    noted = [ln for ln in measures if ln.endswith("）") and ("负责" in ln or "牵头单位" in ln)]
    assert len(noted) == 20
    assert sum("长期推进" in ln for ln in measures) >= 2
    assert any("低于全省平均水平（8.55天）" in ln for ln in lines)
    safeguards = lines[lines.index("三、保障措施") + 1:]
    assert not any("负责" in ln and ln.endswith("）") for ln in safeguards)


@pytest.mark.parametrize("encoding,label", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
    ("gbk", "gb18030"), ("gb18030", "gb18030"),
])
def test_encodings_decode_exactly(encoding, label):
    src = read_bytes(GBK_TEXT.encode(encoding), "plan.txt")
    assert src.lines == GBK_TEXT.splitlines()
    assert src.metadata["encoding"] == label
    assert src.lines[0].split("\t") == ["青川市营商环境建设局", "牵头单位：市发改委；完成时限：2025年6月底前"]


def test_utf16_big_endian_with_bom():
    data = b"\xfe\xff" + "一、重点任务\r\n1.深化改革".encode("utf-16-be")
    assert read_bytes(data, "be.txt").lines == ["一、重点任务", "1.深化改革"]


def test_gb18030_four_byte_characters():
    # 𠀀 (U+20000) and 㐀 need GB18030's four-byte form; GBK cannot hold them.
    text = "青川市𠀀㐀路改造工程（市住建局负责）\n"
    src = read_bytes(text.encode("gb18030"), "rare.txt")
    assert src.lines == ["青川市𠀀㐀路改造工程（市住建局负责）"]


def test_gbk_file_on_disk(tmp_path):
    path = tmp_path / "方案（GBK）.txt"
    path.write_bytes(GBK_TEXT.encode("gbk"))
    src = read(path)
    assert src.name == "方案（GBK）.txt"
    assert src.lines[2:] == []
    assert src.lines[1] == "我市为6.87件，低于全省平均水平（8.55件）"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_normalised_and_counted(newline):
    text = newline.join(["一、总体要求", "", "\t序号\t重点任务", "  （一）优化服务"]) + newline
    src = read_bytes(text.encode("utf-8"), "eol.txt")
    assert src.lines == ["一、总体要求", "", "\t序号\t重点任务", "  （一）优化服务"]


def test_mixed_line_endings_keep_line_numbers():
    src = read_bytes(b"a\r\nb\rc\nd", "mixed.txt")
    assert src.lines == ["a", "b", "c", "d"]


def test_form_feed_does_not_add_lines():
    """pdftotext puts \\f at page breaks; editors do not count it as a line break."""
    src = read_bytes("第一页末行\n\f第二页首行\n".encode("utf-8"), "ff.txt")
    assert src.lines == ["第一页末行", " 第二页首行"]
    assert src.text.splitlines() == src.lines


def test_leading_blank_lines_and_spaces_kept():
    src = read_bytes(b"\n\n  \xe4\xb8\x80\n", "lead.txt")
    assert src.lines == ["", "", "  一"]
