"""The indicator registry: the evaluation's dimensions and their indicators.

Seeded from `data/registry.yaml` (what the corpus names); a user file of the same
shape overrides or extends it (`--registry FILE`, or $DUBAN_REGISTRY), and
`duban indicators registry --add …` writes to that file. Shape:

    dimensions:
      企业开办:
        weight: 1
        indicators:
          外资新设企业同比增长率: {unit: "%", higher_is_better: true, weight: 1,
                                   aliases: [外资新设同比增长率]}

Names match through `key()` (no spaces or quotes, one kind of bracket), then aliases,
then a containing alias of 4+ characters, then a close fuzzy match (≥ 90).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from duban.errors import InputError

ENV_VAR = "DUBAN_REGISTRY"
_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "（", "]": "）"})


def key(name: str) -> str:
    """Spelling-insensitive key of an indicator name."""
    return re.sub(r"[\s“”\"‘’'「」《》]", "", str(name)).translate(_BRACKETS)


@dataclass
class Indicator:
    name: str
    dimension: str
    unit: str | None = None
    higher_is_better: bool = True
    weight: float = 1.0
    aliases: list[str] = field(default_factory=list)

    def to_yaml(self) -> dict:
        d = {"unit": self.unit, "higher_is_better": self.higher_is_better, "weight": self.weight}
        if self.aliases:
            d["aliases"] = list(self.aliases)
        return d


@dataclass
class Dimension:
    name: str
    weight: float = 1.0
    indicators: dict[str, Indicator] = field(default_factory=dict)


class Registry:
    def __init__(self) -> None:
        self.dimensions: dict[str, Dimension] = {}
        self._keys: dict[str, Indicator] = {}

    @classmethod
    def default(cls, user_file: str | Path | None = None) -> "Registry":
        """The seeded registry, overridden by `user_file` or $DUBAN_REGISTRY when given."""
        reg = cls()
        text = resources.files("duban.indicators").joinpath("data/registry.yaml").read_text("utf-8")
        reg.merge(yaml.safe_load(text) or {}, "registry.yaml")
        user = user_file or os.environ.get(ENV_VAR)
        if user and Path(user).exists():
            reg.load(user)
        return reg

    def load(self, path: str | Path) -> None:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as e:
            raise InputError(path, f"cannot read registry ({type(e).__name__}: {e})") from None
        self.merge(data, str(path))

    def merge(self, data: dict, where: str) -> None:
        """Add or replace dimensions and indicators from a parsed YAML mapping."""
        dims = data.get("dimensions") if isinstance(data, dict) else None
        if not isinstance(dims, dict):
            raise InputError(where, "registry needs a `dimensions:` mapping")
        for dname, ddata in dims.items():
            ddata = ddata or {}
            dim = self.dimensions.setdefault(str(dname), Dimension(str(dname)))
            dim.weight = float(ddata.get("weight", dim.weight))
            for iname, idata in (ddata.get("indicators") or {}).items():
                idata = idata or {}
                try:
                    ind = Indicator(
                        name=str(iname), dimension=dim.name, unit=idata.get("unit"),
                        higher_is_better=_bool(idata.get("higher_is_better", True)),
                        weight=float(idata.get("weight", 1)),
                        aliases=[str(a) for a in idata.get("aliases") or []])
                except (TypeError, ValueError) as e:
                    raise InputError(where, f"indicator {iname}: {e}") from None
                self.add(ind)

    def add(self, ind: Indicator, weight: float | None = None) -> Indicator:
        """Add or replace one indicator (moving it if its dimension changed)."""
        old = self.get(ind.name)
        if old is not None:
            self.dimensions[old.dimension].indicators.pop(old.name, None)
        dim = self.dimensions.setdefault(ind.dimension, Dimension(ind.dimension))
        if weight is not None:
            dim.weight = weight
        dim.indicators[ind.name] = ind
        self._reindex()
        return ind

    def _reindex(self) -> None:
        self._keys = {}
        for ind in self.indicators():
            for n in [ind.name, *ind.aliases]:
                self._keys.setdefault(key(n), ind)

    def indicators(self) -> list[Indicator]:
        return [i for d in self.dimensions.values() for i in d.indicators.values()]

    def get(self, name: str) -> Indicator | None:
        return self._keys.get(key(name))

    def match(self, name: str) -> Indicator | None:
        """The indicator a written name means, or None."""
        k = key(name)
        if not k:
            return None
        if k in self._keys:
            return self._keys[k]
        inside = [(len(a), ind) for a, ind in self._keys.items() if len(a) >= 4 and a in k]
        if inside:
            return max(inside, key=lambda t: t[0])[1]
        best = max(((fuzz.ratio(k, a), ind) for a, ind in self._keys.items()),
                   key=lambda t: t[0], default=(0, None))
        return best[1] if best[0] >= 90 else None

    def mentions(self, text: str) -> list[Indicator]:
        """Indicators whose name or an alias (4+ characters) occurs in `text`."""
        k = key(text)
        seen, out = set(), []
        for a, ind in sorted(self._keys.items(), key=lambda t: -len(t[0])):
            if len(a) >= 4 and a in k and ind.name not in seen:
                seen.add(ind.name)
                out.append(ind)
        return out

    def to_yaml(self) -> str:
        data = {"dimensions": {d.name: {"weight": d.weight, "indicators": {
            i.name: i.to_yaml() for i in d.indicators.values()}} for d in self.dimensions.values()}}
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _bool(v) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("true", "yes", "1", "是", "高", "higher"):
        return True
    if s in ("false", "no", "0", "否", "低", "lower"):
        return False
    raise ValueError(f"higher_is_better must be true or false, not {v!r}")


def add_to_file(path: str | Path, ind: Indicator) -> None:
    """Write one indicator into a user registry file (created if missing)."""
    p = Path(path)
    data = {"dimensions": {}}
    if p.exists():
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {"dimensions": {}}
        data.setdefault("dimensions", {})
    dim = data["dimensions"].setdefault(ind.dimension, {}) or {}
    data["dimensions"][ind.dimension] = dim
    dim.setdefault("indicators", {})
    dim["indicators"] = dim["indicators"] or {}
    dim["indicators"][ind.name] = ind.to_yaml()
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
