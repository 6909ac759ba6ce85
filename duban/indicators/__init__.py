"""Indicators and distance-to-frontier benchmarking (前沿距离法).

    extract_indicators(source) -> list[IndicatorStatement]   statements in a plan
    registry.Registry.default()                            dimensions and indicators
    dtf.score(rows)                                        DTF scores, ranks, gaps
"""

from __future__ import annotations

from duban.indicators.model import IndicatorStatement

__all__ = ["extract_indicators", "IndicatorStatement"]


def extract_indicators(source, *, registry=None) -> list[IndicatorStatement]:
    """Every indicator statement of one document (a duban.ingest.Source, or anything with
    `.name` and `.lines`), in line order. `registry` defaults to the seeded one."""
    from duban.indicators.registry import Registry
    from duban.indicators.statements import run

    reg = registry if registry is not None else Registry.default()
    return run(source.name, list(source.lines), reg)
