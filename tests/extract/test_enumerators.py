"""enumerators.match on the first line of real items, one per kind, and on text that
only looks numbered."""

from __future__ import annotations

import pytest
from extract_helpers import corpus_line

from duban.extract.enumerators import match, ordinal

# (doc, line, kind, label as written) — the label is the line's own first characters,
# checked against the line at test time.
KINDS = [
    ("s001.txt", 7, "cn", "一、"),
    ("s001.txt", 8, "paren_cn", "(一)"),
    ("s004.txt", 51, "num", "3."),
    ("s003-jiangxi-10.txt", 31, "paren_num", "（1）"),
    ("s000.txt", 55, "circled", "①"),
    ("s003-hubei-06.txt", 47, "article", "第五条"),
    ("s003-hubei-06.txt", 45, "chapter", "第二章"),
]


@pytest.mark.parametrize("doc,n,kind,label", KINDS, ids=[k[2] for k in KINDS])
def test_each_kind_on_a_real_line(doc, n, kind, label):
    line = corpus_line(doc, n)
    assert line.startswith(label)
    e = match(line)
    assert e is not None
    assert (e.kind, e.label) == (kind, label)
    assert not line[e.length:].startswith((" ", "、", ".", "）", ")"))
    assert line[e.length:].strip()


@pytest.mark.parametrize("text", ["2023年底前完成", "1.5天内办结", "2023 年给予一次性增人增资",
                                  "100%推送", "12345热线", "0.5天", "（2个环节）"])
def test_numbers_that_are_not_enumerators(text):
    assert match(text) is None


def test_bare_enumerator_alone_is_not_an_item():
    """A cell holding only `（1）` has no text after it."""
    assert match("（1）") is None


@pytest.mark.parametrize("label,bare", [("（五）", "五"), ("(一)", "一"), ("3.", "3"), ("第五条", "五"),
                                        ("十二、", "十二"), ("（12）", "12")])
def test_ordinal(label, bare):
    assert ordinal(label) == bare
