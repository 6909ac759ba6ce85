"""Plain text: decode, split into the file's own lines, change nothing else.

Lines stay 1:1 with the file (extraction cites line numbers), tabs stay
(a tab-flattened table row is meaningful), leading spaces stay.
"""

from __future__ import annotations

import codecs
import unicodedata

from duban.errors import InputError
from duban.ingest.lines import split_lines

# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOM_CODECS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# Control characters real text may carry: tab, line breaks, form feed (page
# breaks from pdftotext), vertical tab, and the DOS end-of-file mark.
_HARMLESS_CONTROLS = set("\t\n\r\f\v\x1a")
MAX_CONTROL_SHARE = 0.05
# Share of characters that must look like Chinese or ASCII text for a UTF-16
# or GB18030 reading to be believed (both map almost any bytes to something).
MIN_PLAUSIBLE_SHARE = 0.9


def decode(data: bytes, where) -> tuple[str, str]:
    """Bytes → (text, encoding name). Strict: a wrong guess must fail, not garble.

    Order: a BOM decides (UTF-8/16/32); otherwise strict UTF-8; otherwise
    strict GB18030, a superset of GB2312 and GBK, so older Chinese files
    decode exactly. Anything else is not a text document.
    """
    for bom, codec, label in _BOM_CODECS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise InputError(where, f"not a text document (invalid {label.replace('-sig', '').upper()} after its byte-order mark)") from None
            # Any even run of bytes after FF FE "decodes" as UTF-16; junk must still read as text.
            if codec != "utf-8" and not _plausible_text(text):
                raise InputError(where, "not a text document (binary data)")
            return text, label
    if b"\x00" in data:
        # NUL never occurs in UTF-8 or GB18030 text; UTF-16 without a BOM is not supported.
        raise InputError(where, "not a text document (binary data)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(where, "not a text document (binary data, or an encoding other than UTF-8/UTF-16/GB18030)") from None
    if not _plausible_text(text):
        raise InputError(where, "not a text document (binary data)")
    return text, "gb18030"


def _plausible_text(text: str) -> bool:
    """True when a decoding reads as text rather than noise.

    UTF-8 validates itself; UTF-16 and GB18030 turn almost any bytes into
    characters. Real plans are ASCII, CJK and punctuation; junk decoded this
    way scatters over the whole character range (rare blocks, Hangul,
    private use), so a low share of these ranges means binary.
    """
    if not text:
        return True
    good = sum(1 for ch in text if _is_texty(ord(ch)))
    return good >= MIN_PLAUSIBLE_SHARE * len(text)


def _is_texty(o: int) -> bool:
    return (o < 0x80 or 0xA0 <= o <= 0x24F           # ASCII, Latin
            or 0x2000 <= o <= 0x27BF                 # punctuation, symbols, circled numbers
            or 0x3000 <= o <= 0x30FF                 # CJK punctuation, kana
            or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF  # CJK ideographs
            or 0xFF00 <= o <= 0xFFEF                 # full-width forms
            or 0x20000 <= o <= 0x3134F)              # CJK extensions B-G (GB18030 four-byte)


def check_not_binary(text: str, where) -> None:
    """Refuse decoded text that is mostly control characters (binary that happened to decode)."""
    if not text:
        return
    bad = sum(1 for ch in text if ch not in _HARMLESS_CONTROLS and unicodedata.category(ch) == "Cc")
    if bad > MAX_CONTROL_SHARE * len(text):
        raise InputError(where, "not a text document (binary data)")


def read_text(data: bytes, where) -> tuple[list[str], dict]:
    """Plain-text reader: (lines, metadata)."""
    text, encoding = decode(data, where)
    check_not_binary(text, where)
    if not text.strip():
        raise InputError(where, "empty file")
    return split_lines(text), {"encoding": encoding}
