"""Word's automatic list numbers, rendered as text.

When a plan's "一、" / "（一）" / "1." come from Word's numbering rather than
typed characters, they are not in the paragraph text at all; the extractor
needs them to find headings and items. This renders the common formats the
way Word displays them. It is a best effort: unknown formats render as
decimal, bullets render as nothing.
"""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out += "零"
            out += ("" if (unit == "十" and digit == 1 and not out) else _DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += sym * count
    return out


def _letter(n: int) -> str:
    """1 → a, 26 → z, 27 → aa (Word repeats the letter)."""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One counter value in one of Word's w:numFmt formats."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "chineseLegalSimplified", "ideographDigital"):
        return _chinese(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "ideographTraditional" and 0 < n <= len(_STEMS):
        return _STEMS[n - 1]
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _int(el, attr="w:val", default=0) -> int:
    try:
        return int(el.get(qn(attr)))
    except (TypeError, ValueError, AttributeError):
        return default


class Numbering:
    """Counters for one document walk; call label(p) for each paragraph in order."""

    def __init__(self, document):
        self._levels: dict[tuple[str, int], tuple[int, str, str]] = {}  # (numId, ilvl) → start, fmt, text
        self._style_num: dict[str, tuple[str | None, int | None]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        part = document.part
        self._load_numbering(_related(part, RT.NUMBERING))
        self._load_styles(_related(part, RT.STYLES))

    def _load_numbering(self, root) -> None:
        if root is None:
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.iter(qn("w:abstractNum"))}
        for num in root.iter(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            levels = list(definition.iter(qn("w:lvl"))) if definition is not None else []
            for override in num.iter(qn("w:lvlOverride")):
                levels.extend(override.iter(qn("w:lvl")))  # a full level redefinition wins
            for lvl in levels:
                ilvl = _int(lvl, "w:ilvl")
                fmt_el, text_el, start_el = (lvl.find(qn(t)) for t in ("w:numFmt", "w:lvlText", "w:start"))
                fmt = fmt_el.get(qn("w:val"), "decimal") if fmt_el is not None else "decimal"
                text = text_el.get(qn("w:val"), "") if text_el is not None else ""
                self._levels[(num_id, ilvl)] = (_int(start_el, default=1), fmt, text)
            for override in num.iter(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                key = (num_id, _int(override, "w:ilvl"))
                if start is not None and key in self._levels:
                    _, fmt, text = self._levels[key]
                    self._levels[key] = (_int(start, default=1), fmt, text)

    def _load_styles(self, root) -> None:
        """Paragraph styles may carry numbering (heading styles often do), possibly via basedOn."""
        if root is None:
            return
        own, parent = {}, {}
        for style in root.iter(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                own[sid] = _num_pr(num_pr)
            based = style.find(qn("w:basedOn"))
            if based is not None:
                parent[sid] = based.get(qn("w:val"))
        for sid in set(own) | set(parent):
            cur, seen = sid, set()
            while cur is not None and cur not in own and cur not in seen:
                seen.add(cur)
                cur = parent.get(cur)
            if cur in own:
                self._style_num[sid] = own[cur]

    def label(self, p) -> str:
        """The number Word shows before paragraph p (a w:p element), or ""."""
        num_id, ilvl = None, None
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None:
            num_id, ilvl = self._style_num.get(style.get(qn("w:val")), (None, None))
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is not None:
            d_id, d_lvl = _num_pr(num_pr)
            num_id = d_id if d_id is not None else num_id
            ilvl = d_lvl if d_lvl is not None else ilvl
        ilvl = ilvl or 0
        if num_id in (None, "0") or (num_id, ilvl) not in self._levels:
            return ""
        counters = self._counters.setdefault(num_id, {})
        start, fmt, text = self._levels[(num_id, ilvl)]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a new item restarts its sub-items
        if fmt == "bullet":
            return ""
        out = text
        for lvl in range(ilvl, -1, -1):
            if f"%{lvl + 1}" in out:
                l_start, l_fmt, _ = self._levels.get((num_id, lvl), (1, "decimal", ""))
                out = out.replace(f"%{lvl + 1}", format_number(counters.get(lvl, l_start), l_fmt))
        return out


def _num_pr(num_pr) -> tuple[str | None, int | None]:
    num_el, lvl_el = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
    num_id = num_el.get(qn("w:val")) if num_el is not None else None
    return num_id, (_int(lvl_el) if lvl_el is not None else None)


def _related(part, reltype):
    """The root element of a related part, or None when the document has none."""
    try:
        return part.part_related_by(reltype).element
    except (KeyError, AttributeError):
        return None
