"""Charts of a dispatch report as PNG bytes (matplotlib, Agg). Labels are
Chinese, so a CJK font is looked up through matplotlib.font_manager (Debian's
fonts-noto-cjk registers "Noto Sans CJK SC"); without one the charts are
still drawn, Chinese shows as boxes, and `font_warning()` says why.
"""

from __future__ import annotations

import io
import logging

from duban.charts import cjk_font, font_warning, pyplot  # noqa: F401 - re-exported

log = logging.getLogger(__name__)


def _setup():
    return pyplot()


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=130, bbox_inches="tight")
    pyplot().close(fig)
    return buf.getvalue()


def ranking(units, limit: int = 30) -> bytes:
    """Horizontal bars: on-time rate and completion rate per unit, in rank order."""
    plt = _setup()
    rows = units[:limit]
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * max(len(rows), 4) + 1.2))
    names = [u.unit for u in rows][::-1]
    on_time = [u.on_time_rate * 100 for u in rows][::-1]
    done = [u.completion * 100 for u in rows][::-1]
    ys = range(len(rows))
    ax.barh([y + 0.2 for y in ys], on_time, height=0.4, color="#c0392b", label="按时报送率")
    ax.barh([y - 0.2 for y in ys], done, height=0.4, color="#2e86c1", label="完成率")
    ax.set_yticks(list(ys), names)
    ax.set_xlim(0, 105)
    ax.set_xlabel("%")
    ax.set_title("各单位按时报送率与完成率（按排名）")
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def trend(rows) -> bytes:
    """Lines over cycles: reporting, on-time and completion rates."""
    plt = _setup()
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    xs = [r.period for r in rows]
    for values, label, color in (([r.reporting_rate * 100 for r in rows], "报送率", "#7d3c98"),
                                 ([r.on_time_rate * 100 for r in rows], "按时报送率", "#c0392b"),
                                 ([r.completion * 100 for r in rows], "完成率", "#2e86c1")):
        ax.plot(xs, values, marker="o", label=label, color=color)
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    ax.set_title("各期报送与完成情况趋势")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _png(fig)


def all_charts(data) -> tuple[dict[str, bytes], list[str]]:
    """{"ranking": png, "trend": png} and warnings; never raises for charts."""
    warnings = [w for w in (font_warning(),) if w]
    out = {}
    try:
        if data.units:
            out["ranking"] = ranking(data.units)
        if data.trend:
            out["trend"] = trend(data.trend)
    except Exception as e:  # noqa: BLE001 - a chart is a nicety: report and go on
        log.warning("chart failed", exc_info=True)
        warnings.append(f"图表生成失败：{type(e).__name__}")
    return out, warnings
