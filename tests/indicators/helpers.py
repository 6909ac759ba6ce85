"""Helpers for the indicator tests: paths and the CLI in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GOLD = Path(__file__).resolve().parent / "gold"


def run_cli(*args, cwd=None, env=None):
    """`python -m duban.cli …` in a subprocess: (exit code, stdout, stderr)."""
    p = subprocess.run([sys.executable, "-m", "duban.cli", *map(str, args)], capture_output=True,
                       text=True, cwd=cwd or REPO, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr
