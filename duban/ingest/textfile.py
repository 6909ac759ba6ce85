"""Plain text: decode, split into the file's own lines, change nothing else.

Lines stay 1:1 with the file (extraction cites line numbers), tabs stay
(a tab-flattened table row is meaningful), leading spaces stay.
"""

from __future__ import annotations

import codecs
import re

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

# Control characters, except those real text may carry: tab, line breaks, form
# feed (page breaks from pdftotext), vertical tab, and the DOS end-of-file mark.
_BAD_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
# Characters plans are written in (regexes, not Python loops: files run to 20 MB):
# ASCII, Latin, general punctuation and symbols (circled numbers), CJK
# punctuation and kana, CJK ideographs with extension A, full-width forms,
# and the CJK extensions B-G that GB18030 reaches with four-byte codes.
_NOT_TEXTY = re.compile("[^\x00-\x7f\xa0-\u024f\u2000-\u27bf\u3000-\u30ff\u3400-\u4dbf"
                        "\u4e00-\u9fff\uff00-\uffef\U00020000-\U0003134f]")
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
    except UnicodeDecodeError as e:
        bad_utf8_at = e.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        if _mostly_utf8(data, bad_utf8_at):
            raise InputError(where, f"not valid UTF-8 at byte {bad_utf8_at} (damaged file, or mixed encodings?)") from None
        raise InputError(where, "not a text document (binary data, or an encoding other than UTF-8/UTF-16/GB18030)") from None
    if not _plausible_text(text):
        raise InputError(where, "not a text document (binary data)")
    return text, "gb18030"


def _mostly_utf8(data: bytes, bad_at: int) -> bool:
    """True when the bytes are clearly UTF-8 apart from a few damaged spots.

    Then the honest message is "damaged at byte N", not "binary data": the
    user has a text file with a defect they can find and fix.
    """
    text = data.decode("utf-8", errors="replace")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    damaged = text.count("\ufffd")
    return bad_at > 0 and non_ascii > 0 and damaged <= max(3, non_ascii // 100)


def _plausible_text(text: str) -> bool:
    """True when a decoding reads as text rather than noise.

    UTF-8 validates itself; UTF-16 and GB18030 turn almost any bytes into
    characters. Real plans are ASCII, CJK and punctuation; junk decoded this
    way scatters over the whole character range (rare blocks, Hangul,
    private use), so a low share of these ranges means binary.
    """
    odd = len(text) - len(_NOT_TEXTY.sub("", text))
    return odd <= (1 - MIN_PLAUSIBLE_SHARE) * len(text)


def check_not_binary(text: str, where) -> None:
    """Refuse decoded text that is mostly control characters (binary that happened to decode)."""
    controls = len(text) - len(_BAD_CONTROLS.sub("", text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise InputError(where, "not a text document (binary data)")


def read_text(data: bytes, where) -> tuple[list[str], dict]:
    """Plain-text reader: (lines, metadata)."""
    text, encoding = decode(data, where)
    check_not_binary(text, where)
    if not text.strip():
        raise InputError(where, "empty file")
    return split_lines(text), {"encoding": encoding}
