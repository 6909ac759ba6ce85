"""Character n-gram TF-IDF vectors for measures (pure Python + numpy).

Text is normalised first (full/half width folded, whitespace and punctuation
dropped, every number replaced by one placeholder so "19个行业" and "28个行业"
look alike, unit notes in brackets removed, benchmark targets such as
高于全省平均水平 removed for the same reason); a measure is then the bag of its
character 2- and 3-grams, weighted 1+log(tf) × idf and L2-normalised, and two
measures are as similar as the cosine of their vectors.

Boilerplate: idf is counted over tasks and smoothed, so a phrase most plans use
(进一步, 推进, 服务) still weighs a seventh to a half of a rare one, and two
unrelated measures written in the same stock phrases can match on them alone. Grams found in the measures of at least STOP_SHARE of the
plans therefore weigh nothing — a stop list built from plan frequency, so it
follows the ledger. With fewer than STOP_MIN_PLANS plans the frequencies say
too little and nothing is stopped.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from duban.compare.text import BENCHMARK

NGRAMS = (2, 3)
STOP_SHARE = 0.5
STOP_MIN_PLANS = 8
_NOTE = re.compile(r"[（(][^（）()]*(?:牵头|负责|配合|责任单位|参与)[^（）()]*[）)]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NOT_WORD = re.compile(r"[\W_]+")


def normalize(text: str | None) -> str:
    """The measure's words only: 深化“一业一证”改革，拓展到28个 → 深化一业一证改革拓展到0个."""
    s = unicodedata.normalize("NFKC", text or "").lower()
    s = _NOTE.sub("", s)
    s = _NUMBER.sub("0", s)
    return BENCHMARK.sub("", _NOT_WORD.sub("", s))


def grams(text: str | None, sizes: tuple[int, ...] = NGRAMS) -> Counter:
    s = normalize(text)
    out: Counter = Counter()
    for n in sizes:
        out.update(s[i:i + n] for i in range(len(s) - n + 1))
    return out


@dataclass
class Model:
    """Document frequencies of n-grams over a set of measures, and the grams
    too common across plans to tell measures apart."""

    df: Counter
    n: int
    stop: frozenset = field(default_factory=frozenset)

    @classmethod
    def fit(cls, texts, plans=None) -> "Model":
        """`plans`, if given, runs parallel to `texts` (the plan of each measure)."""
        if plans is None:
            df: Counter = Counter()
            n = 0
            for t in texts:
                df.update(grams(t).keys())
                n += 1
            return cls(df, n)
        rows = sorted(zip(plans, texts), key=lambda r: str(r[0]))
        df, spread = Counter(), Counter()
        last: dict[str, object] = {}  # the plan a gram was last counted for
        for plan, t in rows:  # grouped by plan: one pass, no gram set per plan
            for g in grams(t):
                df[g] += 1
                if g not in last or last[g] != plan:
                    last[g] = plan
                    spread[g] += 1
        n_plans = len({plan for plan, _ in rows})
        stop = frozenset()
        if n_plans >= STOP_MIN_PLANS:
            stop = frozenset(g for g, k in spread.items() if k >= STOP_SHARE * n_plans)
        return cls(df, len(rows), stop)

    def idf(self, gram: str) -> float:
        if gram in self.stop:
            return 0.0
        return math.log((self.n + 1) / (self.df.get(gram, 0) + 1)) + 1.0

    def vector(self, text: str | None) -> dict[str, float]:
        """L2-normalised TF-IDF weights of the text's n-grams (stop grams left out)."""
        weights = {g: (1.0 + math.log(c)) * self.idf(g) for g, c in grams(text).items()
                   if g not in self.stop}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(g, 0.0) for g, w in a.items())


class Matrix:
    """Many vectors, column-indexed by n-gram, for scoring one query against all."""

    def __init__(self, model: Model, texts: list[str]):
        self.model = model
        self.size = len(texts)
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for row, t in enumerate(texts):
            for g, w in model.vector(t).items():
                rows, vals = postings.setdefault(g, ([], []))
                rows.append(row)
                vals.append(w)
        self.postings = {g: (np.asarray(r, dtype=np.int32), np.asarray(v, dtype=np.float32))
                         for g, (r, v) in postings.items()}

    def scores(self, vector: dict[str, float]) -> np.ndarray:
        """Cosine of `vector` with every row."""
        out = np.zeros(self.size, dtype=np.float32)
        for g, w in vector.items():
            hit = self.postings.get(g)
            if hit is not None:
                out[hit[0]] += w * hit[1]
        return out


def pairwise(model: Model, a: list[str], b: list[str]) -> np.ndarray:
    """Cosine similarities, len(a) × len(b)."""
    matrix = Matrix(model, b)
    out = np.zeros((len(a), len(b)), dtype=np.float32)
    for i, t in enumerate(a):
        out[i] = matrix.scores(model.vector(t))
    return out
