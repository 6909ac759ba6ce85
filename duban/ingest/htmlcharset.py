"""Which encoding a web page is in.

Chinese government sites still serve many pages as GB2312 or GBK and say so
in a <meta> tag. The declaration is honoured, with GB2312/GBK read as GB18030
(their superset: pages labelled gb2312 routinely contain GBK-only characters).
Bytes that are valid UTF-8 are read as UTF-8 whatever the label says: GBK
text is practically never valid UTF-8, while migrated sites often keep a stale
gb2312 label on UTF-8 pages (and GB18030 would "decode" those into garbage).
Otherwise the declared charset is used, then strict GB18030. Web pages often carry a few broken bytes,
so, unlike plain text, a page that fits nothing is decoded with replacement
characters rather than refused (it did say it was HTML).
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)
_CHINESE_LABELS = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "ms936", "windows-936",
                   "gb18030", "euc-cn", "csgb2312", "chinese", "iso-ir-58"}
# Chinese plans are never really in these; a page declaring one is mislabelled
# (often a CMS default), so the bytes decide instead.
_WESTERN = {"iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii", "windows-1252", "cp1252", "iso8859-1"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def declared_charset(data: bytes) -> str | None:
    """The codec named by <meta charset>, <meta http-equiv> or <?xml encoding>, if Python knows it."""
    head = data[:8192]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    if label in _CHINESE_LABELS:
        return "gb18030"
    if label in _WESTERN:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A UTF-16 label on bytes without a BOM is almost always wrong (the meta tag
    # itself was readable as ASCII), and a BOM is handled before this.
    return None if name.startswith("utf-16") or name.startswith("utf-32") else name


def decode_html(data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding used)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                break
    declared = declared_charset(data)
    candidates = [c for c in ("utf-8", declared, "gb18030") if c]
    for codec in dict.fromkeys(candidates):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    codec = declared or "utf-8"
    return data.decode(codec, errors="replace"), f"{codec} (with errors)"
