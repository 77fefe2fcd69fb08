"""Chinese first, English through the locale: the language helpers shared by the glue and scripts/i18n.py.

- `english_part` / `chinese_part`: the two halves of a legacy bilingual source string ("问题 Problems ({})"),
  so that an English QGIS shows only the English and a Chinese one only the Chinese;
- `looks_bilingual`: a Chinese text that still carries English words (the check of scripts/i18n.py and of the
  tests that walk what a user sees);
- `MessageCatalogue`: a tiny gettext-like catalogue for the messages core/ produces in English. Its msgids
  are the templates of the f-strings in core/ (``clause {ref} has no text``), extracted by scripts/i18n.py;
  `translate` matches a finished message against them and fills the Chinese template with the same values.
  core/ stays free of Qt and of any language state; the glue translates what it shows.

Pure Python: no QGIS, no Qt.
"""

from __future__ import annotations

import re
from typing import Optional

CJK_CHARS = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
CJK = re.compile(f"[{CJK_CHARS}]")
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\w")
# Latin words that are names, not English: they may stand in a Chinese text.
PROPER_NOUNS = {
    "EcoZoning",
    "QGIS",
    "PostgreSQL",
    "PostGIS",
    "GeoPackage",
    "Shapefile",
    "Excel",
    "Word",
    "OpenStreetMap",
    "Gauss",
    "Krüger",
    "Kruger",
    "zip",
    "xlsx",
    "docx",
    "yaml",
    "qgz",
    "gpkg",
    "shp",
    "html",
    "pdf",
    "json",
    "km",
    "ha",
    "mu",
    "ms",
}
_WORD = re.compile(r"(?<![\w./:@-])[A-Za-z][a-z]+(?:[A-Z][a-z]+)*(?![\w./:@(-])")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def english_part(source: str) -> str:
    """The English of a bilingual "中文 English" string (Chinese first); any other string as it is.

    Only when the English half carries every named placeholder of the whole string (positional ``{}`` may be
    repeated in the two halves: ``format`` ignores the extra arguments)."""
    if not CJK.search(source):
        return source
    match = re.match(rf"^(.*[{CJK_CHARS}])\s+([A-Za-z][^{CJK_CHARS}]*)$", source, re.DOTALL)
    if match is None:
        return source
    english = match.group(2).strip()
    named = {p for p in PLACEHOLDER.findall(source) if p != "{}"}
    if not named <= set(PLACEHOLDER.findall(english)):
        return source
    if "{}" in source and "{}" not in english:
        return source
    return english


def chinese_part(source: str) -> Optional[str]:
    """The Chinese of a bilingual "中文 English" string, the string itself when it is Chinese only, or None."""
    if not CJK.search(source):
        return None
    match = re.match(rf"^(.*[{CJK_CHARS}])\s+([^{CJK_CHARS}]*)$", source)
    if match is None or not re.search(r"[A-Za-z]", match.group(2)):
        return source
    chinese = match.group(1).strip()
    if _placeholders(chinese) != _placeholders(source):
        return source
    return chinese


def english_words(text: str) -> list[str]:
    """Latin words of a text that read as English (placeholders, codes, identifiers, file names, units and
    proper nouns excluded)."""
    stripped = PLACEHOLDER.sub(" ", text)
    stripped = re.sub(r"<[^>]+>", " ", stripped)  # markup
    stripped = re.sub(r"'[^']*'|“[^”]*”|`[^`]*`", " ", stripped)  # quoted keys and names: 'clauses', “ecozoning”
    stripped = re.sub(r"\b[\w.-]+\.(?:[a-z0-9]{2,5})\b", " ", stripped)  # file names
    stripped = re.sub(r"\b\w+_\w+\b", " ", stripped)  # identifiers such as eco_redline
    stripped = re.sub(r"\b[\w-]+:[\w-]+\b", " ", stripped)  # ecozoning:delineateunits
    return [w for w in _WORD.findall(stripped) if w not in PROPER_NOUNS and len(w) > 1]


def looks_bilingual(text: str) -> bool:
    """True for a text with Chinese that still carries English words ("问题 Problems (0)")."""
    return bool(CJK.search(text)) and bool(english_words(text))


def looks_english(text: str) -> bool:
    """True for a text a Chinese user would read as untranslated English (English words, no Chinese)."""
    return not CJK.search(text) and len(english_words(text)) >= 2


# --- messages of core/ -----------------------------------------------------------------------------------------
_TOKEN = re.compile(r"\{[^{}]+\}")


class MessageCatalogue:
    """Templates (msgid, with ``{expression}`` tokens as in the f-strings of core/) -> translated templates."""

    def __init__(self, entries: dict[str, str]):
        self.entries = {k: v for k, v in (entries or {}).items() if k and v}
        compiled = []
        for template in self.entries:
            tokens = _TOKEN.findall(template)
            pattern, pos = "", 0
            seen: dict[str, int] = {}
            for m in _TOKEN.finditer(template):
                pattern += re.escape(template[pos : m.start()])
                token = m.group(0)
                if token in seen:
                    pattern += f"(?P=t{seen[token]})"
                else:
                    seen[token] = len(seen)
                    pattern += f"(?P<t{seen[token]}>.+?)"
                pos = m.end()
            pattern += re.escape(template[pos:])
            literal = len(re.sub(_TOKEN, "", template))
            compiled.append((literal, template, re.compile(pattern + r"\Z", re.DOTALL), list(dict.fromkeys(tokens))))
        # the most specific templates first: the more literal text, the fewer guesses
        self._compiled = sorted(compiled, key=lambda c: -c[0])

    def __len__(self) -> int:
        return len(self.entries)

    def _whole(self, message: str) -> Optional[str]:
        for _literal, template, pattern, tokens in self._compiled:
            match = pattern.match(message)
            if match is None:
                continue
            values = {token: match.group(f"t{n}") for n, token in enumerate(tokens)}
            translated = self.entries[template]
            return _TOKEN.sub(lambda m, values=values: values.get(m.group(0), m.group(0)), translated)
        return None

    def translate(self, message: str) -> str:
        """The message in the catalogue's language; a prefix such as ``file:line: `` or ``layer: `` is kept and the
        rest translated; a message no template matches comes back unchanged."""
        if not message or not self.entries:
            return message
        lines = message.split("\n")
        if len(lines) > 1:
            return "\n".join(self.translate(line) for line in lines)
        whole = self._whole(message)
        if whole is not None:
            return whole
        start = 0
        while True:
            cut = message.find(": ", start)
            if cut < 0:
                return message
            tail = self._whole(message[cut + 2 :])
            if tail is not None:
                return f"{message[:cut]}：{tail}"
            start = cut + 2
