"""Pure text helpers: width, stray spaces, markup left over from conversion."""

from __future__ import annotations

import re

# Whitespace between two ASCII word characters is meaningful ("RCEP 2.0"); any other
# whitespace inside Chinese text is a conversion artefact ("市 市 场 监 管局").
_SPACE = re.compile(r"[ \t\u3000\u00a0\u2002-\u200b]+")
_BOLD = re.compile(r"\*\*")


def strip_markup(s: str) -> str:
    """Drop markdown bold markers that web conversion leaves (`**一、总体要求**`)."""
    return _BOLD.sub("", s)


def squeeze(s: str) -> str:
    """Remove whitespace except between two ASCII alphanumerics."""
    def keep(m: re.Match) -> str:
        a = s[m.start() - 1] if m.start() else ""
        b = s[m.end()] if m.end() < len(s) else ""
        return " " if (a.isascii() and a.isalnum() and b.isascii() and b.isalnum()) else ""
    return _SPACE.sub(keep, s).strip()


def nospace(s: str) -> str:
    """Remove every whitespace character (unit names never contain one)."""
    return re.sub(r"\s+", "", s)


TERMINAL = "。！？；!?;：:"  # sentence-ending punctuation
OPEN = "（([〔【［"
CLOSE = "）)]〕】］"


def bracket_spans(s: str) -> list[tuple[int, int]]:
    """Top-level bracket groups as (start, end) with end exclusive.

    Any opener matches any closer: PDF conversion mixes full- and half-width
    brackets (`（责任单位：…)`), and nested groups (`各县（市、区）`) stay inside.
    An opener never closed extends to the end of the string.
    """
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(s):
        if ch in OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    if depth:
        spans.append((start, len(s)))
    return spans


def split_top(s: str, seps: str) -> list[str]:
    """Split on any char of `seps` that is not inside brackets."""
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        if ch in seps and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out
