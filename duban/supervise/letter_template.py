"""Builds the default letter template (templates/letter.docx) in the 公文 信函格式
of GB/T 9704-2012: red 发文机关标志 over a red double rule, 发文字号 at the right,
title in 小标宋, 主送机关, body in 仿宋 3号 with 28 pt lines, 落款 and date at the
right, and the 版记 (抄送) between rules at the foot.

Users edit the template in Word (fonts, margins, wording around the fields)
and point DUBAN_LETTER_TEMPLATE at their copy; the fields are {{发文机关}}
{{文号}} {{标题}} {{主送}} {{正文}} {{任务清单}} {{要求}} {{回复期限}} {{落款}}
{{日期}} {{抄送}}. The {{任务清单}} paragraph is repeated once per task; the
{{抄送}} paragraph is dropped when a letter has no 抄送 (提示函).

    python -m duban.supervise.letter_template [OUT.docx]   rebuilds the default
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

RED = RGBColor(0xE6, 0x00, 0x12)
SONG_TITLE = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEI = "黑体"
SIZE = {"二号": Pt(22), "三号": Pt(16), "四号": Pt(14), "初号": Pt(36)}


def _font(run, name: str, size, color=None, bold=False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _para(doc, text: str, font: str, size, *, align=WD_ALIGN_PARAGRAPH.LEFT, color=None,
          indent: bool = False, before=0, after=0, exact=Pt(28)):
    p = doc.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if exact is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = exact
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    _font(p.add_run(text), font, size, color)
    return p


def _rule(p, where: str, style: str = "single", size: int = 8, color: str = "000000") -> None:
    """A horizontal rule above or below a paragraph (paragraph border)."""
    ppr = p._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{where}")
    edge.set(qn("w:val"), style)
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), "4")
    edge.set(qn("w:color"), color)
    borders.append(edge)


def build(path: Path) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _font_style(normal, FANGSONG, SIZE["三号"])
    head = _para(doc, "{{发文机关}}", SONG_TITLE, Pt(30), align=WD_ALIGN_PARAGRAPH.CENTER,
                 color=RED, exact=None, after=6)
    _rule(head, "bottom", "double", 18, "E60012")
    _para(doc, "{{文号}}", FANGSONG, SIZE["三号"], align=WD_ALIGN_PARAGRAPH.RIGHT, before=6)
    _para(doc, "", FANGSONG, SIZE["三号"])
    _para(doc, "{{标题}}", SONG_TITLE, SIZE["二号"], align=WD_ALIGN_PARAGRAPH.CENTER, exact=Pt(36))
    _para(doc, "", FANGSONG, SIZE["三号"])
    _para(doc, "{{主送}}：", FANGSONG, SIZE["三号"])
    _para(doc, "{{正文}}", FANGSONG, SIZE["三号"], indent=True)
    _para(doc, "{{任务清单}}", FANGSONG, SIZE["三号"], indent=True)
    _para(doc, "{{要求}}", FANGSONG, SIZE["三号"], indent=True)
    _para(doc, "", FANGSONG, SIZE["三号"])
    _para(doc, "", FANGSONG, SIZE["三号"])
    _para(doc, "{{落款}}", FANGSONG, SIZE["三号"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "{{日期}}", FANGSONG, SIZE["三号"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "", FANGSONG, SIZE["三号"])
    cc = _para(doc, "抄送：{{抄送}}。", FANGSONG, SIZE["四号"], before=6, after=6)
    _rule(cc, "top")
    _rule(cc, "bottom")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _font_style(style, name: str, size) -> None:
    style.font.name = name
    style.font.size = size
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)


if __name__ == "__main__":
    from duban.supervise.settings import DEFAULT_TEMPLATE

    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TEMPLATE))
