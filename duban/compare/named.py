"""Named-reform bonus: two measures that lead with the same named reform.

Plans name their reforms in quotes (“一业一证”, “一照多址”), and two plans
carrying out the same reform often word it very differently: 鄂州's “一业一证”
measure lists its 19 industries and the licence that replaces the others, 荆门's
raises the number of industries and upgrades the system; their n-gram cosine is
under 0.1 although an office would call them the same measure. A reform's name
somewhere in a long task proves little (a list of areas to lead the province
in, a passing "推进惠企政策“免申即享”"), but a measure whose *headline* names
the reform is about that reform. So:

* headline = the task's first sentence, cut at HEAD_CHARS characters (plans
  without title sentences run on, and a name far into a sentence is a mention);
* its names = quoted names (reforms.quoted_names), mapped to the reform list's
  canonical names through aliases (行业综合许可证 → 一业一证), less the list's
  excluded phrases (slogans, apps); a headline naming more than MAX_NAMES of
  them enumerates reforms rather than carrying one out, and names none;
* two measures sharing a headline name score BONUS more than their cosine.

BONUS stays below the compare threshold (0.15): the name alone does not make
a match — two “一网通办” measures can do different things — but together with
some shared wording it does.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import numpy as np

from duban.compare import reforms
from duban.compare.text import squash

BONUS = 0.10
HEAD_CHARS = 40
MAX_NAMES = 2
_SENTENCE_END = re.compile(r"[。；;！!？?]")
_lists: dict = {}
_lock = threading.Lock()


def _list_file() -> Path:
    return Path(os.environ.get(reforms.ENV_VAR) or reforms.DEFAULT_LIST)


def list_key() -> tuple:
    """What the names depend on: the reform list file and when it was edited."""
    path = _list_file()
    try:
        return (str(path), path.stat().st_mtime_ns)
    except OSError:
        return (str(path), None)


def _vocabulary() -> tuple[dict[str, str], frozenset[str]]:
    """(alias → canonical name, excluded phrases) of the reform list in use,
    re-read when the file changes. An unreadable list is the matrix's error to
    report; here it only means no aliases."""
    key = list_key()
    with _lock:
        hit = _lists.get(key)
    if hit is not None:
        return hit
    try:
        lst = reforms.load_list(_list_file())
    except Exception:  # noqa: BLE001 - a bad list must not break similarity
        lst = reforms.ReformList([], set())
    aliases = {squash(a): r.name for r in lst.include for a in r.aliases}
    built = (aliases, frozenset(lst.exclude))
    with _lock:
        _lists.clear()
        _lists[key] = built
    return built


def headline_names(text: str | None, vocabulary: tuple | None = None) -> frozenset[str]:
    """The reforms a measure leads with: {"一业一证"} for
    "在超市、饭店等19个行业大力推进“一业一证”，…"."""
    aliases, exclude = vocabulary or _vocabulary()
    head = _SENTENCE_END.split(squash(text), maxsplit=1)[0][:HEAD_CHARS]
    names = {aliases.get(n, n) for n in reforms.quoted_names(head)} - exclude
    return frozenset(names) if len(names) <= MAX_NAMES else frozenset()


def headline_names_all(texts) -> list[frozenset[str]]:
    """headline_names of many texts, the reform list looked up once."""
    vocabulary = _vocabulary()
    return [headline_names(t, vocabulary) for t in texts]


def bonus_matrix(names_a: list[frozenset], names_b: list[frozenset]) -> np.ndarray:
    """BONUS where measure i of A and j of B share a headline name, else 0."""
    out = np.zeros((len(names_a), len(names_b)), dtype=np.float32)
    rows = NameIndex(names_b)
    for i, names in enumerate(names_a):
        out[i, rows.sharing(names)] = BONUS
    return out


class NameIndex:
    """Rows by headline name, to add the bonus to one query's scores at once."""

    def __init__(self, names: list[frozenset]):
        self.names = names
        by_name: dict[str, list[int]] = {}
        for row, found in enumerate(names):
            for name in found:
                by_name.setdefault(name, []).append(row)
        self.rows = {n: np.asarray(r, dtype=np.int64) for n, r in by_name.items()}

    def sharing(self, names: frozenset) -> np.ndarray:
        """The rows whose headlines share a name with `names`."""
        hits = [self.rows[n] for n in names if n in self.rows]
        if not hits:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(hits))

    def add_bonus(self, scores: np.ndarray, names: frozenset) -> np.ndarray:
        rows = self.sharing(names)
        if rows.size:
            scores[rows] = np.minimum(1.0, scores[rows] + BONUS)
        return scores


def bonus(a: frozenset, b: frozenset) -> float:
    return BONUS if a & b else 0.0
