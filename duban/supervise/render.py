"""The dispatch report as .html (Jinja, charts inline), .docx (python-docx,
charts embedded) and .pdf (reportlab with the Adobe-Song CID font STSong-Light,
which every PDF reader maps to a Song face, so no font file is needed).
All three show the same sections in the same order.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from duban.errors import DubanError
from duban.supervise import charts
from duban.supervise.dispatch import Dispatch
from duban.supervise.evidence import write_atomic
from duban.supervise.letters import cn_date
from duban.supervise.settings import TEMPLATES_DIR

UNIT_HEAD = ["排名", "单位", "牵头任务", "已完成", "完成率", "本期应报", "按时", "逾期报送", "未报送",
             "累计按时报送率", "本期函件"]
DOC_HEAD = ["文件", "任务数", "已完成", "完成率", "已逾期"]
TREND_HEAD = ["周期", "报送截止", "应报", "已报", "按时", "报送率", "按时报送率", "完成率"]
OVERDUE_HEAD = ["序号", "任务", "来源", "完成时限", "牵头单位", "逾期天数"]


def pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def tables(d: Dispatch) -> dict[str, list[list[str]]]:
    return {
        "units": [[str(u.rank), u.unit, str(u.tasks), str(u.done), pct(u.completion), str(u.required),
                   str(u.on_time), str(u.late), str(u.missing), pct(u.on_time_rate),
                   "、".join(u.letters)] for u in d.units],
        "docs": [[x.plan, str(x.tasks), str(x.done), pct(x.completion), str(x.overdue)] for x in d.docs],
        "trend": [[t.period, t.due.isoformat(), str(t.required), str(t.reported), str(t.on_time),
                   pct(t.reporting_rate), pct(t.on_time_rate), pct(t.completion)] for t in d.trend],
        "overdue": [[str(i), o.text, o.source, o.deadline, o.units, str(o.days)]
                    for i, o in enumerate(d.overdue, 1)],
    }


def summary(d: Dispatch) -> str:
    t = d.totals
    late = [u.unit for u in d.units if u.missing]
    text = (f"截至{cn_date(d.cutoff)}，本期（报送截止{cn_date(d.due)}）应报送进展 {t.required} 项，"
            f"已报送 {t.reported} 项，其中按时报送 {t.on_time} 项，报送率 {pct(t.reporting_rate)}，"
            f"按时报送率 {pct(t.on_time_rate)}；重点任务 {t.tasks} 项，已完成 {t.done} 项，"
            f"完成率 {pct(t.completion)}；已逾期未完成 {d.overdue_total} 项。")
    if late:
        text += f"本期未按时报送的单位：{'、'.join(late[:20])}{'等' if len(late) > 20 else ''}。"
    if d.letters:
        text += f"本期共发出工作提示函、督办函 {len(d.letters)} 件。"
    return text


SECTIONS = (("一、总体情况", None), ("二、各单位排名", "units"), ("三、各文件完成情况", "docs"),
            ("四、逾期未完成任务", "overdue"), ("五、各期趋势", "trend"))
HEADS = {"units": UNIT_HEAD, "docs": DOC_HEAD, "overdue": OVERDUE_HEAD, "trend": TREND_HEAD}
CHART_AFTER = {"units": "ranking", "trend": "trend"}


def write(d: Dispatch, out: Path) -> Path:
    suffix = out.suffix.lower()
    pngs, warnings = charts.all_charts(d)
    d.warnings.extend(warnings)
    if suffix in (".html", ".htm"):
        data = html(d, pngs).encode("utf-8")
    elif suffix == ".docx":
        data = docx(d, pngs)
    elif suffix == ".pdf":
        data = pdf(d, pngs)
    else:
        raise DubanError(f"{out}: the output must end in .docx, .pdf or .html")
    write_atomic(out, data)
    return out


def html(d: Dispatch, pngs: dict[str, bytes]) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape())
    images = {k: "data:image/png;base64," + base64.b64encode(v).decode() for k, v in pngs.items()}
    return env.get_template("dispatch.html").render(
        d=d, summary=summary(d), tables=tables(d), sections=SECTIONS, heads=HEADS,
        chart_after=CHART_AFTER, images=images, cn_date=cn_date)


def docx(d: Dispatch, pngs: dict[str, bytes]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from duban.supervise.letter_template import FANGSONG, HEI, SONG_TITLE, _font

    doc = Document()
    sec = doc.sections[0]
    sec.left_margin = sec.right_margin = Mm(20)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(d.title), SONG_TITLE, Pt(20))
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(f"{d.office}　{cn_date(d.cutoff)}"), FANGSONG, Pt(12))
    t = tables(d)
    for heading, key in SECTIONS:
        _font(doc.add_paragraph().add_run(heading), HEI, Pt(14))
        if key is None:
            para = doc.add_paragraph()
            para.paragraph_format.first_line_indent = Pt(24)
            _font(para.add_run(summary(d)), FANGSONG, Pt(12))
            continue
        if key == "overdue" and d.overdue_total > len(d.overdue):
            doc.add_paragraph(f"共 {d.overdue_total} 项，列出逾期最久的 {len(d.overdue)} 项。")
        _docx_table(doc, HEADS[key], t[key], FANGSONG, _font)
        chart = CHART_AFTER.get(key)
        if chart in pngs:
            doc.add_picture(io.BytesIO(pngs[chart]), width=Mm(160))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_table(doc, head, rows, font, set_font) -> None:
    from docx.shared import Pt

    if not rows:
        doc.add_paragraph("（无）")
        return
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head):
        cell.text = ""
        set_font(cell.paragraphs[0].add_run(text), font, Pt(9), bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = ""
            set_font(cell.paragraphs[0].add_run(text), font, Pt(9))


def pdf(d: Dispatch, pngs: dict[str, bytes]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Image, LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    title = ParagraphStyle("t", fontName=font, fontSize=18, leading=26, alignment=1)
    head = ParagraphStyle("h", fontName=font, fontSize=13, leading=20, spaceBefore=8)
    body = ParagraphStyle("b", fontName=font, fontSize=10.5, leading=17, firstLineIndent=21)
    cell = ParagraphStyle("c", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    out = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(out, pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=d.title)
    width = page[0] - 30 * mm
    story = [Paragraph(d.title, title),
             Paragraph(f"{d.office}　{cn_date(d.cutoff)}", ParagraphStyle("s", parent=body, alignment=1)),
             Spacer(1, 6)]
    t = tables(d)
    for heading, key in SECTIONS:
        story.append(Paragraph(heading, head))
        if key is None:
            story.append(Paragraph(summary(d), body))
            continue
        rows = t[key] or [["（无）"] + [""] * (len(HEADS[key]) - 1)]
        data = [[Paragraph(x, cell) for x in HEADS[key]]] + [[Paragraph(x, cell) for x in r] for r in rows]
        table = LongTable(data, repeatRows=1, colWidths=_widths(key, width))
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
        chart = CHART_AFTER.get(key)
        if chart in pngs:
            img = Image(io.BytesIO(pngs[chart]))
            scale = min(170 * mm / img.imageWidth, 120 * mm / img.imageHeight)
            img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
            story += [Spacer(1, 6), img]
    doc.build(story)
    return out.getvalue()


def _widths(key: str, width: float):
    shares = {"units": [4, 14, 6, 6, 7, 6, 5, 6, 6, 9, 31], "docs": [50, 10, 10, 15, 15],
              "overdue": [5, 45, 18, 12, 12, 8], "trend": [12, 14, 10, 10, 10, 14, 16, 14]}[key]
    total = sum(shares)
    return [width * s / total for s in shares]
