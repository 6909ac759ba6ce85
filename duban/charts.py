"""What every chart needs: matplotlib on the Agg backend and a font that covers
Chinese. The font is looked up at run time (Noto Sans CJK from Debian's
fonts-noto-cjk, else any installed CJK font); without one charts are still
drawn, Chinese shows as boxes, and `font_warning()` says why — failing soft."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PREFERRED = ("Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC", "Source Han Sans SC",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei")
# Not always in matplotlib's cached font list: registered by path when present.
KNOWN_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
               "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def available() -> bool:
    """Whether matplotlib is installed."""
    import importlib.util
    return importlib.util.find_spec("matplotlib") is not None


def pyplot():
    """matplotlib.pyplot on the Agg backend, set up to draw Chinese labels."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    font = cjk_font()
    if font:
        plt.rcParams["font.sans-serif"] = [font, "DejaVu Sans"]
        plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return plt


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed CJK font, or None."""
    from matplotlib import font_manager as fm
    for path in KNOWN_FILES:
        if Path(path).exists():
            try:
                fm.fontManager.addfont(path)
            except Exception:  # noqa: BLE001 - an unreadable font file: try the next
                continue
    names = {f.name for f in fm.fontManager.ttflist}
    for name in PREFERRED:
        if name in names:
            return name
    for f in fm.fontManager.ttflist:
        if "CJK" in f.name or "Hei" in f.name:
            return f.name
    return None


def font_warning() -> str | None:
    if not available():
        return "未安装 matplotlib，未生成图表"
    if cjk_font() is None:
        return "未找到中文字体（请安装 fonts-noto-cjk），图表中的中文可能显示为方框"
    return None
