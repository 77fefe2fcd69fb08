"""Text read from a GBK Shapefile without its .cpg: GDAL decodes the bytes as Latin-1 (道里区 → µÀÀïÇø) or
QGIS as UTF-8 (→ ������). The first can be undone exactly; the second cannot."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
_HIGH_LATIN = re.compile(r"[\u0080-\u00ff]")
_OTHER = re.compile(r"[^\u0000-\u00ff]")


def regbk(value: str) -> str | None:
    """The GBK text a Latin-1 misreading came from, or None when `value` is not such a misreading."""
    if len(_HIGH_LATIN.findall(value)) < 4 or _OTHER.search(value):
        return None
    try:
        text = value.encode("latin-1").decode("gbk")
    except UnicodeError:
        return None
    plain = _CJK.sub("", text)
    if len(_CJK.findall(text)) < 2 or any(ord(c) > 0x7F for c in plain):
        return None
    return text


def unreadable(value: str) -> bool:
    """Bytes that were not valid in the encoding they were decoded with (replacement characters)."""
    return "\ufffd" in value
