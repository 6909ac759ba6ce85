"""dates.resolve: a deadline as written → (ISO last allowed day, ongoing) (TASKS.md
`deadline`, `ongoing`; NOTES-A/B)."""

from __future__ import annotations

import pytest
from extract_helpers import corpus_docs, gold

from duban.extract.dates import resolve

CASES = [
    ("6月底前", 2025, ("2025-06-30", False)),
    ("2025年6月底前完成", None, ("2025-06-30", False)),
    ("6月30日", 2023, ("2023-06-30", False)),
    ("3 月 31 日", 2023, ("2023-03-31", False)),
    ("8月30日", 2023, ("2023-08-30", False)),  # as written, not month end (NOTES-A)
    ("2023 年 12 月", None, ("2023-12-31", False)),
    ("2023年12月", 2021, ("2023-12-31", False)),  # the text's own year wins
    ("2022年5月底，长期推进", 2022, ("2022-05-31", True)),
    ("2022年12月底，长期坚持", 2022, ("2022-12-31", True)),
    ("立即推进，长期坚持", 2022, (None, True)),
    ("长期", 2023, (None, True)),
    ("长期坚持", 2023, (None, True)),
    ("持续推进", 2023, (None, True)),
    ("2024年2月底", None, ("2024-02-29", False)),
    ("2023年2月底", None, ("2023-02-28", False)),
    ("9月底前", 2023, ("2023-09-30", False)),
    ("4 月 30 日", 2023, ("2023-04-30", False)),
    # Forms seen in other plans' notes (s001:22 and henan-09:49 use 常态化推进 as work, not as a deadline).
    ("2024年下半年", None, ("2024-12-31", False)),
    ("下半年", 2024, ("2024-12-31", False)),
    ("常态化推进", 2024, (None, True)),
    ("即时启动，年底前完成", 2024, ("2024-12-31", False)),
    ("2024.12", None, ("2024-12-31", False)),
    ("2024-10-31", None, ("2024-10-31", False)),
    ("2024/6/30前", None, ("2024-06-30", False)),
    ("6.87", 2024, (None, False)),  # a number, not a date: the year must come first
]


@pytest.mark.parametrize("text,year,want", CASES, ids=[c[0] for c in CASES])
def test_resolve(text, year, want):
    assert resolve(text, year) == want


@pytest.mark.parametrize("text", ["", None, "尽快", "按要求", "asdf", "年度", "13月"])
def test_garbage_is_no_deadline(text):
    assert resolve(text, 2023) == (None, False)


def test_month_without_any_year_is_no_date():
    assert resolve("6月底前", None) == (None, False)


def test_every_gold_deadline_text_resolves_to_its_gold_deadline():
    """Over the whole gold: the deadline text each annotator wrote resolves to the
    date and ongoing flag they gave (the year is the gold date's own year)."""
    checked = 0
    for doc in corpus_docs():
        for g in gold(doc):
            if not g.get("deadline_text"):
                continue
            year = int(g["deadline"][:4]) if g["deadline"] else 2000
            got = resolve(g["deadline_text"], year)
            assert got == (g["deadline"], bool(g["ongoing"])), (doc, g["line"], g["deadline_text"])
            checked += 1
    assert checked >= 200
