"""Item enumerators at the start of a paragraph: 一、 （一） 1. （1） ① 第五条 第二章."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN = "一二三四五六七八九十百零〇"
_KINDS = [
    ("chapter", re.compile(rf"^第[{_CN}\d]+章\s*")),
    ("article", re.compile(rf"^第[{_CN}\d]+条\s*")),
    ("cn", re.compile(rf"^[{_CN}]+\s*[、．.]\s*")),
    ("paren_cn", re.compile(rf"^[（(]\s*[{_CN}]+\s*[）)]\s*[、．.]?\s*")),
    ("num", re.compile(r"^\d{1,2}\s*[.．、](?![\dA-Za-z％%])\s*")),
    ("paren_num", re.compile(r"^[（(]\s*\d{1,3}\s*[）)]\s*")),
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*")),
]


# Conventional nesting: a kind never sits inside a kind ranked after it (`一、` is
# never a child of `1.`), whatever order a document first uses them in.
RANK = {"chapter": 0, "article": 1, "cn": 1, "paren_cn": 2, "num": 3, "paren_num": 4, "circled": 5}


@dataclass(frozen=True)
class Enumerator:
    kind: str
    label: str  # as written, e.g. "（三）"
    length: int  # characters to skip, trailing space included


def match(text: str) -> Enumerator | None:
    """The enumerator a paragraph starts with, if any (`（一）企业开办` → paren_cn)."""
    for kind, rx in _KINDS:
        m = rx.match(text)
        if m and m.end() < len(text):
            return Enumerator(kind, m.group(0).strip(), m.end())
    return None


def ordinal(label: str) -> str:
    """The bare number of an enumerator for heading paths: `（五）` → `五`."""
    return re.sub(r"[（()）、．.\s第章条]", "", label)
