"""Every input a user can get wrong: InputError, one line, naming the file and the problem."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from ingest_helpers import assert_input_error

from duban.errors import InputError
from duban.ingest import read, read_bytes

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


BAD_INPUTS = [
    ("empty.txt", b"", ["empty file"]),
    ("blank.txt", b" \r\n\t\n  ", ["empty file"]),
    ("bom-only.txt", b"\xef\xbb\xbf\n\n", ["empty file"]),
    ("junk.bin", bytes(range(256)) * 8, ["not a text document", "binary"]),
    ("nul.txt", "青川市".encode() + b"\x00\x01\x02" + "方案".encode(), ["not a text document"]),
    ("controls.txt", bytes(range(1, 9)) * 40 + b"abc", ["not a text document"]),
    ("junk-after-bom.txt", b"\xff\xfe" + bytes(range(256)) * 4, ["not a text document"]),
    ("latin1.txt", "Café résumé naïve. ".encode("latin-1") * 20, ["not a text document"]),
    ("fake.docx", _zip({"readme.txt": b"hello"}), ["not a Word document (zip without word/document.xml)"]),
    ("book.docx", _zip({"xl/workbook.xml": b"<x/>"}), ["not a Word document", "Excel"]),
    ("truncated.docx", b"PK\x03\x04" + b"\x00" * 40, ["corrupt", "zip"]),
    ("old.doc", OLE_HEADER, ["legacy .doc/.xls format is not supported; save as .docx"]),
    ("old-renamed.docx", OLE_HEADER, ["legacy .doc"]),
    ("broken-word.docx", _zip({"word/document.xml": b"<not xml"}), ["Word"]),
    ("empty-page.html", b"<html><body><script>x=1</script></body></html>", ["no text"]),
    ("bad-utf8-bom.txt", b"\xef\xbb\xbf\xff\xfe\xfa", ["not a text document"]),
]


@pytest.mark.parametrize("name,data,needles", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_from_disk(tmp_path, name, data, needles):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as e:
        read(path)
    assert_input_error(e, name, *needles)
    assert e.value.path == str(path)


@pytest.mark.parametrize("name,data,needles", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_from_bytes(name, data, needles):
    with pytest.raises(InputError) as e:
        read_bytes(data, name)
    assert_input_error(e, name, *needles)


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as e:
        read(tmp_path / "没有这个文件.txt")
    assert_input_error(e, "没有这个文件.txt", "file not found")


def test_directory(tmp_path):
    (tmp_path / "plans.txt").mkdir()
    with pytest.raises(InputError) as e:
        read(tmp_path / "plans.txt")
    assert_input_error(e, "plans.txt", "is a directory")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_permission_denied_real(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("一、重点任务", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(InputError) as e:
            read(path)
        assert_input_error(e, "locked.txt", "permission denied")
    finally:
        path.chmod(0o600)


def test_permission_denied_simulated(tmp_path, monkeypatch):
    """Runs even as root: the OS refusing the open is what matters."""
    path = tmp_path / "locked.txt"
    path.write_text("一、重点任务", encoding="utf-8")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError) as e:
        read(path)
    assert_input_error(e, "locked.txt", "permission denied")


def test_fifo_is_refused_without_blocking(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    with pytest.raises(InputError) as e:
        read(path)
    assert_input_error(e, "pipe.txt", "not a regular file")


def test_50mb_file_refused_fast_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: instant, takes no disk
    monkeypatch.delenv("DUBAN_MAX_FILE_MB", raising=False)

    def no_reading(self, *args, **kwargs):
        raise AssertionError("the file must be refused before it is opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    start = time.monotonic()
    with pytest.raises(InputError) as e:
        read(path)
    assert time.monotonic() - start < 1.0
    assert_input_error(e, "huge.txt", "file is 50 MB, over the 20 MB limit")


def test_limit_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "plan.txt"
    path.write_bytes("一、重点任务\n".encode() * 100_000)  # about 1.9 MB
    monkeypatch.setenv("DUBAN_MAX_FILE_MB", "1")
    with pytest.raises(InputError) as e:
        read(path)
    assert_input_error(e, "plan.txt", "over the 1 MB limit")
    monkeypatch.setenv("DUBAN_MAX_FILE_MB", "2.5")
    assert len(read(path).lines) == 100_000


def test_limit_applies_to_uploads(monkeypatch):
    monkeypatch.setenv("DUBAN_MAX_FILE_MB", "0.001")
    with pytest.raises(InputError) as e:
        read_bytes(b"x" * 5000, "upload.txt")
    assert_input_error(e, "upload.txt", "over the")


@pytest.mark.parametrize("value", ["abc", "-3", "0", "nan", "inf"])
def test_bad_limit_setting_is_an_input_error(tmp_path, monkeypatch, value):
    path = tmp_path / "plan.txt"
    path.write_text("一、重点任务", encoding="utf-8")
    monkeypatch.setenv("DUBAN_MAX_FILE_MB", value)
    with pytest.raises(InputError) as e:
        read(path)
    assert_input_error(e, "plan.txt", "DUBAN_MAX_FILE_MB")


def test_upload_names_are_only_names():
    src = read_bytes("一、重点任务".encode(), "C:\\fakepath\\方案.txt")
    assert src.name == "方案.txt" and src.path is None
    assert read_bytes(b"ok", "../../etc/passwd").name == "passwd"
    with pytest.raises(InputError) as e:
        read_bytes(b"", "evil\nname.txt")
    assert_input_error(e, "evil?name.txt", "empty file")


def test_read_bytes_accepts_bytearray_and_memoryview():
    assert read_bytes(bytearray("甲".encode()), "a.txt").lines == ["甲"]
    assert read_bytes(memoryview("乙".encode()), "b.txt").lines == ["乙"]


def test_damaged_utf8_says_where():
    data = ("一、重点任务\n" * 40).encode()
    data = data[:95] + b"\xff" + data[96:]  # byte 95 starts the 6th line
    with pytest.raises(InputError) as e:
        read_bytes(data, "damaged.txt")
    assert_input_error(e, "damaged.txt", "not valid UTF-8 at byte 95")
