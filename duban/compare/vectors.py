"""Character n-gram TF-IDF vectors for measures (pure Python + numpy).

Text is normalised first (full/half width folded, whitespace and punctuation
dropped, every number replaced by one placeholder so "19个行业" and "28个行业"
look alike, unit notes in brackets removed); a measure is then the bag of its
character 2- and 3-grams, weighted 1+log(tf) × idf and L2-normalised, and two
measures are as similar as the cosine of their vectors.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np

NGRAMS = (2, 3)
_NOTE = re.compile(r"[（(][^（）()]*(?:牵头|负责|配合|责任单位|参与)[^（）()]*[）)]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NOT_WORD = re.compile(r"[\W_]+")


def normalize(text: str | None) -> str:
    """The measure's words only: 深化“一业一证”改革，拓展到28个 → 深化一业一证改革拓展到0个."""
    s = unicodedata.normalize("NFKC", text or "").lower()
    s = _NOTE.sub("", s)
    s = _NUMBER.sub("0", s)
    return _NOT_WORD.sub("", s)


def grams(text: str | None, sizes: tuple[int, ...] = NGRAMS) -> Counter:
    s = normalize(text)
    out: Counter = Counter()
    for n in sizes:
        out.update(s[i:i + n] for i in range(len(s) - n + 1))
    return out


@dataclass
class Model:
    """Document frequencies of n-grams over a set of measures."""

    df: Counter
    n: int

    @classmethod
    def fit(cls, texts) -> "Model":
        df: Counter = Counter()
        n = 0
        for t in texts:
            df.update(grams(t).keys())
            n += 1
        return cls(df, n)

    def idf(self, gram: str) -> float:
        return math.log((self.n + 1) / (self.df.get(gram, 0) + 1)) + 1.0

    def vector(self, text: str | None) -> dict[str, float]:
        """L2-normalised TF-IDF weights of the text's n-grams."""
        weights = {g: (1.0 + math.log(c)) * self.idf(g) for g, c in grams(text).items()}
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
