"""Getting a file's bytes safely: existence, type, permission and size checks.

The size is checked with stat() before anything is read, so an oversized file
is refused at once instead of being pulled into memory first.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from duban.errors import InputError
from duban.ingest.lines import one_line

DEFAULT_MAX_MB = 20
MAX_MB_ENV = "DUBAN_MAX_FILE_MB"
MB = 1024 * 1024


def max_bytes(where) -> int:
    """The size limit in bytes: DUBAN_MAX_FILE_MB if set, else 20 MB."""
    raw = os.environ.get(MAX_MB_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_MB * MB
    try:
        mb = float(raw)
    except ValueError:
        mb = -1.0
    if not mb > 0 or mb != mb or mb == float("inf"):
        raise InputError(where, f"{MAX_MB_ENV} must be a positive number of MB, not {one_line(raw, 20)!r}")
    return int(mb * MB)


def check_size(size: int, where) -> None:
    """Refuse a file over the limit, saying how big it is and what the limit is."""
    limit = max_bytes(where)
    if size > limit:
        raise InputError(where, f"file is {_mb(size)} MB, over the {_mb(limit)} MB limit "
                                f"(set {MAX_MB_ENV} to raise it)")


def _mb(n: int) -> str:
    """Megabytes for a message: whole numbers plain, others to one decimal."""
    value = n / MB
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def load(path) -> bytes:
    """Read a regular file's bytes, or raise InputError with a clear reason."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(p, "file not found") from None
    except PermissionError:
        raise InputError(p, "permission denied (cannot look at the file)") from None
    except OSError as e:
        raise InputError(p, f"cannot open file ({_reason(e)})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(p, "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        # FIFOs and devices report no useful size and may never end.
        raise InputError(p, "not a regular file")
    check_size(st.st_size, p)
    limit = max_bytes(p)
    try:
        with p.open("rb") as fh:
            # Read one byte past the limit: the file may have grown since stat().
            data = fh.read(limit + 1)
    except PermissionError:
        raise InputError(p, "permission denied (cannot read the file)") from None
    except OSError as e:
        raise InputError(p, f"cannot read file ({_reason(e)})") from None
    check_size(len(data), p)
    return data


def _reason(e: OSError) -> str:
    """A short reason for an OS error, without the path (the message already names it)."""
    if e.strerror:
        return one_line(e.strerror, 80)
    return errno.errorcode.get(e.errno or 0, type(e).__name__)
