"""Unit registry: canonical names and their aliases (`市监局` = `市市场监管局`).

Seeded from `data/unit_aliases.yaml`; users extend it with a YAML file of the same
shape or a CSV of `alias,canonical` rows. Collective units (`各县（市、区）人民政府`)
are kept whole, as written. Near matches are only suggested, never merged silently.
"""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from duban.errors import InputError
from duban.extract.text import nospace

_BRACKETS = str.maketrans({"(": "（", ")": "）", "〔": "（", "〕": "）", "[": "（", "]": "）"})


def _key(name: str) -> str:
    """Spelling-insensitive key: no spaces, one kind of bracket, no trailing 等."""
    return re.sub(r"等$", "", nospace(name).translate(_BRACKETS))


class UnitRegistry:
    def __init__(self) -> None:
        self._canonical: dict[str, str] = {}  # key(alias or canonical) -> canonical

    @classmethod
    def default(cls) -> "UnitRegistry":
        reg = cls()
        text = resources.files("duban.extract").joinpath("data/unit_aliases.yaml").read_text("utf-8")
        reg._load_mapping(yaml.safe_load(text) or {}, "unit_aliases.yaml")
        return reg

    def add(self, canonical: str, *aliases: str) -> None:
        canonical = nospace(canonical)
        self._canonical[_key(canonical)] = canonical
        for a in aliases:
            self._canonical[_key(a)] = canonical

    def load(self, path) -> None:
        """Add aliases from a YAML mapping or a CSV of alias,canonical rows."""
        p = Path(path)
        try:
            text = p.read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(p, f"cannot read alias file ({e})") from None
        if p.suffix.lower() == ".csv":
            for n, row in enumerate(csv.reader(text.splitlines()), 1):
                if not row or row[0].startswith("#"):
                    continue
                if len(row) < 2 or not row[0].strip() or not row[1].strip():
                    raise InputError(p, f"line {n}: expected 'alias,canonical'")
                self.add(row[1].strip(), row[0].strip())
            return
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as e:
            raise InputError(p, f"not valid YAML ({str(e).splitlines()[0]})") from None
        self._load_mapping(data, p)

    def _load_mapping(self, data, where) -> None:
        if not isinstance(data, dict):
            raise InputError(where, "expected a mapping of canonical name to a list of aliases")
        for canonical, aliases in data.items():
            if isinstance(aliases, str):
                aliases = [aliases]
            if not isinstance(aliases, list):
                raise InputError(where, f"aliases of {canonical} must be a list")
            self.add(str(canonical), *map(str, aliases))

    def canonical(self, name: str) -> str:
        """The canonical name of a unit as written; itself when unknown."""
        return self._canonical.get(_key(name), _key(name))

    def suggest(self, name: str, limit: int = 3, cutoff: float = 85) -> list[str]:
        """Known canonical names close to an unknown one, for a reviewer to confirm."""
        names = sorted(set(self._canonical.values()))
        return [m for m, score, _ in process.extract(_key(name), names, scorer=fuzz.ratio, limit=limit)
                if score >= cutoff and m != _key(name)]
