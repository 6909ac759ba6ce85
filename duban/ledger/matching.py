"""Which task of a plan's previous version is which task of its new version.

Pure functions over (heading_path, text) pairs, so the rule can be tested and
tuned without a database. Matching is one-to-one and greedy best-first:
  1. identical text, under the same heading first, then anywhere;
  2. similar text: a pair qualifies with ratio >= HEADING_RATIO under the same
     heading_path, or >= TEXT_RATIO anywhere (a measure moved or renumbered);
     pairs are taken best first, a shared heading adding HEADING_BONUS.
A revised measure usually keeps most of its wording; a new measure under the
same heading usually does not, hence the two thresholds. Scoring all pairs
together (rather than heading groups first) keeps a renumbered plan from
pairing a measure with its new neighbour.
"""

from __future__ import annotations

import re
from typing import Sequence

from rapidfuzz import fuzz, process

HEADING_RATIO = 60.0
TEXT_RATIO = 80.0
HEADING_BONUS = 10.0

_SPACE = re.compile(r"\s+")

Item = tuple[str, str]  # (heading_path, text)


def _norm(text: str) -> str:
    return _SPACE.sub("", text or "")


def match(old: Sequence[Item], new: Sequence[Item]) -> dict[int, int]:
    """new index -> old index for the pairs judged to be the same task."""
    old_n = [(_norm(h), _norm(t)) for h, t in old]
    new_n = [(_norm(h), _norm(t)) for h, t in new]
    pairs: dict[int, int] = {}
    _exact(old_n, new_n, pairs, lambda key: key)
    _exact(old_n, new_n, pairs, lambda key: key[1])
    _similar(old_n, new_n, pairs)
    return pairs


def _exact(old_n, new_n, pairs: dict[int, int], key) -> None:
    taken = set(pairs.values())
    by_key: dict = {}
    for i, item in enumerate(old_n):
        if i not in taken:
            by_key.setdefault(key(item), []).append(i)
    for j, item in enumerate(new_n):
        if j not in pairs and by_key.get(key(item)):
            pairs[j] = by_key[key(item)].pop(0)


def _similar(old_n, new_n, pairs: dict[int, int]) -> None:
    taken = set(pairs.values())
    olds = [i for i in range(len(old_n)) if i not in taken]
    news = [j for j in range(len(new_n)) if j not in pairs]
    if not olds or not news:
        return
    floor = min(HEADING_RATIO, TEXT_RATIO)
    old_texts = [old_n[i][1] for i in olds]
    candidates = []
    for j in news:
        # process.extract scores one text against all in C (cdist would need numpy).
        for _, s, b in process.extract(new_n[j][1], old_texts, scorer=fuzz.ratio,
                                       score_cutoff=floor, limit=None):
            i = olds[b]
            same_heading = bool(new_n[j][0]) and new_n[j][0] == old_n[i][0]
            if s >= TEXT_RATIO or (same_heading and s >= HEADING_RATIO):
                rank = s + (HEADING_BONUS if same_heading else 0.0)
                # Ties go to the pair closest in document order, then first come.
                candidates.append((-rank, abs(i - j), j, i))
    candidates.sort()
    for _, _, j, i in candidates:
        if j not in pairs and i not in taken:
            pairs[j] = i
            taken.add(i)
