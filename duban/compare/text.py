"""Text helpers shared by search, similar measures and the reform matrix.

Plans come from PDFs and Word files: a line break or a space can fall inside a
word ("一业一\n证", "28 个"). Every index body and every scan therefore works on
the *squashed* text (the whitespace characters below removed); snippets are cut
from the original text with patterns that allow whitespace between characters.
"""

from __future__ import annotations

import html
import re

from duban.errors import DubanError

# The characters the SQL index bodies remove too (see index.py): keep in step.
WHITESPACE = "\n\r\t \u3000"
_SQUASH = str.maketrans("", "", WHITESPACE)

MAX_QUERY = 500  # characters
MAX_TERMS = 8
# A term: letters, digits and CJK characters; "2.0" keeps its dot.
_TERM = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")

# Quantitative targets: a number with a unit ("28 个", "0.5天", "95%", "3个工作日").
_UNITS = ("个百分点", "个工作日", "工作日", "个小时", "小时", "分钟", "个月", "万元", "亿元",
          "万户", "万家", "万人", "万件", "万", "亿", "%", "％", "个", "项", "天", "家", "件",
          "户", "次", "类", "条", "份", "张", "元", "人", "所", "座", "处", "套", "批", "倍",
          "位", "名", "种", "宗", "环节", "分")
_TARGET = re.compile(r"(?<![第\d.])(\d+(?:\.\d+)?)\s*(" + "|".join(map(re.escape, _UNITS))
                     + r")\s*(以上|以内|以下|左右)?")
# Benchmark targets: a level set against the average or the leaders of an area
# (高于全省平均水平, 进入全国前列). They are what a measure aims at, not what it
# does, so similarity drops them as it drops numbers (vectors.normalize), and
# they are shown and compared as targets. Written for squashed text (no spaces).
BENCHMARK = re.compile(
    r"(?:不低于|不高于|不落后于|高于|低于|优于|达到|超过|位居|位于|位列|进入|保持|稳居|走在)?"
    r"(?:全国|全省|全市|全区|全州|全县|本省|本市|同类城市|同类地区|中部地区|中部六省)"
    r"(?:平均水平|平均值|平均|前列|先进水平|领先水平|第一方阵|第一梯队|"
    r"前(?:\d+|[一二三四五六七八九十]+)(?:位|名))")

MAX_INPUT = 200  # characters of a filter value or a document reference
MAX_ID = 2**63 - 1  # the largest id a database integer holds
# Control characters: PostgreSQL refuses a NUL inside a text parameter (a
# database error, a 500), and no name or filter contains any of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QueryError(DubanError):
    """A search query that cannot be run (empty, too long, terms too short)."""


def plain_input(value, label: str) -> str:
    """A filter value or name as a person typed it, stripped. Control characters
    and runaway lengths are one-line errors here rather than database errors."""
    text = str(value).strip()
    if _CONTROL.search(text):
        raise QueryError(f"{label}含有无法识别的控制字符")
    if len(text) > MAX_INPUT:
        raise QueryError(f"{label}过长（{len(text)} 字），最多 {MAX_INPUT} 字")
    return text


def as_id(value: str) -> int | None:
    """The id a reference names, if it is one: ASCII digits that fit a database
    integer ("²" is a digit to Python but no number to int())."""
    return int(value) if value.isascii() and value.isdigit() and int(value) <= MAX_ID else None


def squash(text: str | None) -> str:
    """The text without whitespace, lower-cased: what the indexes hold."""
    return (text or "").translate(_SQUASH).lower()


def query_terms(query: str | None) -> list[str]:
    """The terms of a user's query (all must match). FTS syntax (quotes, *,
    parentheses, NEAR/OR) is never interpreted: punctuation separates terms and
    words like OR are searched for as they are. Raises QueryError with a
    one-line Chinese message for queries that cannot be run."""
    text = (query or "").strip()
    if not text:
        raise QueryError("请输入检索词")
    if len(text) > MAX_QUERY:
        raise QueryError(f"检索词过长（{len(text)} 字），最多 {MAX_QUERY} 字")
    terms: list[str] = []
    for term in _TERM.findall(text.lower()):
        if term not in terms:
            terms.append(term)
    if not terms:
        raise QueryError("检索词中没有可检索的文字（标点和符号不参与检索）")
    short = [t for t in terms if len(t) < 2]
    if short:
        raise QueryError(f"检索词「{short[0]}」太短：每个词至少两个字")
    if len(terms) > MAX_TERMS:
        raise QueryError(f"检索词过多（{len(terms)} 个），最多 {MAX_TERMS} 个")
    return terms


def term_pattern(terms: list[str]) -> re.Pattern:
    """A pattern finding any term in original text, whitespace allowed inside."""
    parts = sorted({r"\s*".join(map(re.escape, t)) for t in terms}, key=len, reverse=True)
    return re.compile("|".join(parts), re.IGNORECASE)


def contains_all(text: str | None, terms: list[str]) -> bool:
    body = squash(text)
    return all(t in body for t in terms)


def snippet(text: str | None, terms: list[str], before: int = 30, after: int = 70) -> str:
    """An HTML excerpt around the first match, every match in <mark>; the rest
    escaped. Without a match, the text's beginning."""
    text = " ".join((text or "").split())
    pattern = term_pattern(terms) if terms else None
    first = pattern.search(text) if pattern else None
    if first is None:
        cut = text[: before + after]
        return html.escape(cut) + ("…" if len(text) > len(cut) else "")
    start, end = max(0, first.start() - before), min(len(text), first.end() + after)
    return (("…" if start else "") + highlight(text[start:end], terms, pattern)
            + ("…" if end < len(text) else ""))


def highlight(text: str | None, terms: list[str], pattern: re.Pattern | None = None) -> str:
    """The whole text, HTML-escaped, with every match in <mark>."""
    text = text or ""
    if not terms:
        return html.escape(text)
    pattern = pattern or term_pattern(terms)
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def targets(text: str | None) -> list[str]:
    """The quantitative targets a text sets, in order, without repeats:
    ["28个以上", "0.5天", "95%"]. Years, dates and ordinals (第2批) are not targets."""
    out: list[str] = []
    for m in _TARGET.finditer(text or ""):
        value = m.group(1) + m.group(2).replace("％", "%") + (m.group(3) or "")
        if value not in out:
            out.append(value)
    return out


def benchmarks(text: str | None) -> list[str]:
    """The benchmark targets a text sets, in order, without repeats:
    ["高于全省平均水平"]; PDF line breaks inside them do not matter."""
    out: list[str] = []
    for m in BENCHMARK.finditer(squash(text)):
        if m.group(0) not in out:
            out.append(m.group(0))
    return out


def target_values(text: str | None) -> set[str]:
    """Targets as number+unit only (qualifiers dropped), and benchmark targets
    as written, for comparing two texts."""
    return ({re.sub(r"(以上|以内|以下|左右)$", "", t) for t in targets(text)}
            | set(benchmarks(text)))


def sentences(text: str | None) -> list[str]:
    """The text cut into sentences (。；! ? and line ends of squashed text)."""
    return [s for s in re.split(r"(?<=[。；;！!？?])", text or "") if s.strip()]
