"""Note labels written as bracketed tags (pre-rule, one line at a time).

`2.优化不动产登记流程。【牵头单位】市自然资源和规划局【配合单位】市住建局【完成时限】2024年9月底前`
reads as `…。牵头单位：市自然资源和规划局配合单位：…`, the labelled form the note
rules already know. Only a bracket holding nothing but a label is rewritten, so a
bracketed note (`【牵头单位：X】`) or a title (`【典型案例】`) is left alone.
"""

from __future__ import annotations

import re

from duban.extract.notes import LABEL_NAMES

_CLOSERS = "】]］〕"
_TAG = re.compile(r"[【\[［〔]\s*" + LABEL_NAMES + r"\s*[】\]］〕]\s*[：:]?")


def label_brackets(line: str) -> str:
    """`【牵头单位】X` → `牵头单位：X`; any other line unchanged."""
    if not any(c in line for c in _CLOSERS):
        return line
    return _TAG.sub(lambda m: m.group(1) + "：", line)
