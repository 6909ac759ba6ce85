"""Charts of a scoring result as PNG: overall scores (bar), dimensions (radar), gaps to
the frontier (horizontal bars). matplotlib with the Agg backend; labels are Chinese,
so a CJK font is looked for at run time (Noto Sans CJK from Debian's fonts-noto-cjk,
else any installed font that covers CJK). Without one the charts are still drawn
(Chinese shows as boxes) and `font_warning()` says why: failing soft, never crashing.
"""

from __future__ import annotations

import math
from pathlib import Path

from duban.charts import available, cjk_font, font_warning, pyplot  # noqa: F401 - re-exported
from duban.indicators.dtf import Result



def _setup():
    return pyplot()


def bar_overall(result: Result, path: str | Path, title: str = "营商环境前沿距离总分") -> Path:
    plt = _setup()
    regions = [r.region for r in result.overall]
    scores = [r.score for r in result.overall]
    fig, ax = plt.subplots(figsize=(max(6, 0.7 * len(regions) + 2), 4.5), dpi=110)
    bars = ax.bar(regions, scores, color="#2b6cb0")
    for b, r in zip(bars, result.overall):
        ax.text(b.get_x() + b.get_width() / 2, b.get_height() + 1, f"{r.score:.1f}\n第{r.rank}名",
                ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, 115)
    ax.set_ylabel("得分（0–100）")
    ax.set_title(title)
    if len(regions) > 6:
        plt.setp(ax.get_xticklabels(), rotation=30, ha="right")
    return _save(fig, path)


def radar(result: Result, path: str | Path, regions: list[str] | None = None,
          title: str = "各维度得分") -> Path:
    plt = _setup()
    dims = result.dimensions()
    chosen = [r for r in result.overall if regions is None or r.region in regions][:6]
    fig = plt.figure(figsize=(6, 6), dpi=110)
    if len(dims) < 3:  # a radar needs three axes: fall back to grouped bars
        ax = fig.add_subplot(111)
        width = 0.8 / max(1, len(chosen))
        for k, r in enumerate(chosen):
            ax.bar([i + k * width for i in range(len(dims))],
                   [r.dimensions.get(d, 0) for d in dims], width, label=r.region)
        ax.set_xticks([i + width * (len(chosen) - 1) / 2 for i in range(len(dims))], dims)
        ax.set_ylim(0, 100)
    else:
        ax = fig.add_subplot(111, polar=True)
        angles = [2 * math.pi * i / len(dims) for i in range(len(dims))] + [0]
        for r in chosen:
            vals = [r.dimensions.get(d, 0) for d in dims]
            ax.plot(angles, vals + vals[:1], linewidth=1.5, label=r.region)
            ax.fill(angles, vals + vals[:1], alpha=0.1)
        ax.set_xticks(angles[:-1], dims, fontsize=8)
        ax.set_ylim(0, 100)
    ax.set_title(title)
    ax.legend(loc="upper right", bbox_to_anchor=(1.25, 1.1), fontsize=8)
    return _save(fig, path)


def gap_bars(result: Result, region: str, path: str | Path, title: str | None = None) -> Path:
    """Score still to gain per indicator (100 − score), with the move needed as a label."""
    plt = _setup()
    own = sorted((s for s in result.scores if s.region == region), key=lambda s: s.score)
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.45 * len(own) + 1.2)), dpi=110)
    names = [s.indicator for s in own]
    ax.barh(names, [100 - s.score for s in own], color="#c05621")
    for i, s in enumerate(own):
        label = "已达前沿" if s.gap == 0 else f"{'提高' if s.higher_is_better else '降低'} {s.gap:g}{s.unit or ''}"
        ax.text(100 - s.score + 1, i, label, va="center", fontsize=8)
    ax.set_xlim(0, 130)
    ax.set_xlabel("距前沿的得分差距")
    ax.set_title(title or f"{region}：各指标距前沿差距")
    return _save(fig, path)


def _save(fig, path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(p, bbox_inches="tight")
    pyplot().close(fig)
    return p


def write_all(result: Result, directory: str | Path, region: str | None = None) -> list[Path]:
    """The three charts into `directory`; gaps for `region` (default: the last ranked)."""
    d = Path(directory)
    out = [bar_overall(result, d / "overall.png"), radar(result, d / "dimensions.png")]
    if result.overall:
        who = region or result.overall[-1].region
        out.append(gap_bars(result, who, d / "gaps.png"))
    return out
