"""Whatever bytes arrive, read_bytes either returns a Source or raises InputError."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import SAMPLES

from duban.errors import InputError
from duban.ingest import Source, read_bytes

# Magic prefixes steer random bytes into every reader, not just the text one.
PREFIXES = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html><body>",
            b"<!doctype html><meta charset=gbk><p>", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
            "一、重点任务\n".encode("gbk")]


def _check(data: bytes) -> None:
    try:
        src = read_bytes(data, "fuzz.bin")
    except InputError as e:
        assert "\n" not in str(e) and str(e).startswith("fuzz.bin: ")
        return
    assert isinstance(src, Source)
    assert src.format in ("txt", "docx", "pdf", "html")
    assert all(isinstance(line, str) and "\n" not in line and "\r" not in line for line in src.lines)
    assert src.text.splitlines() == src.lines or src.lines[-1:] == [""]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PREFIXES), st.binary(max_size=2048))
def test_random_bytes_only_raise_input_error(prefix, body):
    _check(prefix + body)


# Plan-like text: CJK, ASCII (without the "<" and "%" that start HTML/PDF), tabs and line breaks.
PLAN_CHARS = st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
                       st.sampled_from("（）、，。；：“”《》〔〕\u3000\t\n\r"),
                       st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters="<%"))


@settings(max_examples=200, deadline=None)
@given(st.text(PLAN_CHARS, max_size=300), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gbk", "gb18030"]))
def test_plan_text_decodes_exactly(text, encoding):
    """Text in any supported encoding comes back exactly, one line per file line."""
    data = text.encode(encoding)
    if encoding in ("gbk", "gb18030"):
        try:
            data.decode("utf-8")
            return  # also valid UTF-8: the bytes are ambiguous and UTF-8 wins, by design
        except UnicodeDecodeError:
            pass
    expected = re.split(r"\r\n|\r|\n", text)
    if expected[-1] == "":
        expected.pop()
    if not text.strip():
        with pytest.raises(InputError, match="empty file"):
            read_bytes(data, "plan.txt")
        return
    src = read_bytes(data, "plan.txt")
    assert src.format == "txt"
    assert src.lines == expected


SAMPLE_FILES = {name: (SAMPLES / name).read_bytes()
                for name in ("sample_plan.docx", "sample_plan.pdf", "sample_plan.html", "sample_plan.txt")}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SAMPLE_FILES)), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8),
       st.floats(0.05, 1.0))
def test_damaged_real_files_only_raise_input_error(name, flips, keep):
    """Real files with flipped bytes or cut short: a Source or an InputError, nothing else."""
    data = bytearray(SAMPLE_FILES[name])
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    _check(bytes(data[: max(1, int(len(data) * keep))]))
