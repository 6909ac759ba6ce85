"""Evidence files ("提供整改文件、措施、案例"): documents and screenshots backing a
progress report. The type is decided from the content, never from the name;
a file whose content is not one of pdf, docx, xlsx, png, jpg, or whose name
claims another type than its content, is refused as disguised. Files are
stored content-addressed under <data dir>/evidence/ab/<sha256>.<kind>,
written to a temporary name and renamed, so a half-written file is never seen.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from duban.errors import DubanError

ALLOWED = ("pdf", "docx", "xlsx", "png", "jpg")
KIND_LABELS = {"pdf": "PDF 文件", "docx": "Word 文档", "xlsx": "Excel 表格", "png": "PNG 图片",
               "jpg": "JPEG 图片"}
EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".png": "png", ".jpg": "jpg",
              ".jpeg": "jpg"}
MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "png": "image/png", "jpg": "image/jpeg"}
MAX_INFLATE_RATIO = 200


class EvidenceRefused(DubanError):
    """An evidence file we will not keep: too big, empty, or not what it says."""

    http_status = 422


@dataclass(frozen=True)
class Checked:
    filename: str
    kind: str
    size: int
    sha256: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """pdf, docx, xlsx, png or jpg from the content; None for anything else."""
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n") and b"IEND" in data[-16:]:
        return "png"
    if data.startswith(b"\xff\xd8\xff") and data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            inflated = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, NotImplementedError):
        return None
    if inflated > MAX_INFLATE_RATIO * max(len(data), 1) or "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def check(filename: str, data: bytes, max_bytes: int) -> Checked:
    """The file as we would keep it, or EvidenceRefused with a one-line reason."""
    name = PurePath((filename or "").replace("\\", "/")).name.strip() or "证明材料"
    if len(data) > max_bytes:
        raise EvidenceRefused(f"证明材料「{name}」大小为 {_mb(len(data))}，超过 {_mb(max_bytes)} 的上限")
    if not data:
        raise EvidenceRefused(f"证明材料「{name}」是空文件")
    kind = sniff(data)
    if kind is None:
        raise EvidenceRefused(f"证明材料「{name}」的内容不是允许的类型"
                              f"（仅限 PDF、Word、Excel、PNG、JPG），已拒收")
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower())
    if claimed is None or claimed != kind:
        raise EvidenceRefused(f"证明材料「{name}」的扩展名与内容不符（内容为{KIND_LABELS[kind]}），已拒收")
    return Checked(name[:255], kind, len(data), hashlib.sha256(data).hexdigest(), data)


def store(checked: Checked, data_dir: Path) -> str:
    """Write the file under data_dir (once per content); its relative path."""
    rel = Path("evidence") / checked.sha256[:2] / f"{checked.sha256}.{checked.kind}"
    write_atomic(Path(data_dir) / rel, checked.data)
    return rel.as_posix()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file and rename (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; letters and evidence are shared files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mb(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"
