"""Which task of a plan's previous version is which task of its new version.

Pure functions over (heading_path, text) pairs, so the rule can be tested and
tuned without a database. Matching is one-to-one and greedy best-first:
  1. identical text under the same heading;
  2. same heading and similar text (ratio >= HEADING_RATIO);
  3. similar text anywhere (ratio >= TEXT_RATIO) — a measure moved to another
     section, or headings renumbered.
A revised measure usually keeps most of its wording; a new measure under the
same heading usually does not, hence the two thresholds.
"""

from __future__ import annotations

import re
from typing import Sequence

from rapidfuzz import fuzz
from rapidfuzz.process import cdist

HEADING_RATIO = 60.0
TEXT_RATIO = 80.0

_SPACE = re.compile(r"\s+")

Item = tuple[str, str]  # (heading_path, text)


def _norm(text: str) -> str:
    return _SPACE.sub("", text or "")


def match(old: Sequence[Item], new: Sequence[Item]) -> dict[int, int]:
    """new index -> old index for the pairs judged to be the same task."""
    old_n = [(_norm(h), _norm(t)) for h, t in old]
    new_n = [(_norm(h), _norm(t)) for h, t in new]
    pairs: dict[int, int] = {}
    _exact(old_n, new_n, pairs)
    for heading in {h for h, _ in new_n if h}:
        olds = [i for i, (h, _) in enumerate(old_n) if h == heading and i not in pairs.values()]
        news = [j for j, (h, _) in enumerate(new_n) if h == heading and j not in pairs]
        _greedy(old_n, new_n, olds, news, HEADING_RATIO, pairs)
    olds = [i for i in range(len(old_n)) if i not in set(pairs.values())]
    news = [j for j in range(len(new_n)) if j not in pairs]
    _greedy(old_n, new_n, olds, news, TEXT_RATIO, pairs)
    return pairs


def _exact(old_n, new_n, pairs: dict[int, int]) -> None:
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(old_n):
        by_key.setdefault(key, []).append(i)
    for j, key in enumerate(new_n):
        if by_key.get(key):
            pairs[j] = by_key[key].pop(0)


def _greedy(old_n, new_n, olds: list[int], news: list[int], cutoff: float,
            pairs: dict[int, int]) -> None:
    if not olds or not news:
        return
    scores = cdist([new_n[j][1] for j in news], [old_n[i][1] for i in olds],
                   scorer=fuzz.ratio, score_cutoff=cutoff, workers=1)
    candidates = []
    for a, j in enumerate(news):
        for b, i in enumerate(olds):
            s = float(scores[a][b])
            if s >= cutoff:
                # Ties go to the pair closest in document order, then first come.
                candidates.append((-s, abs(i - j), j, i))
    candidates.sort()
    taken: set[int] = set(pairs.values())
    for _, _, j, i in candidates:
        if j not in pairs and i not in taken:
            pairs[j] = i
            taken.add(i)
