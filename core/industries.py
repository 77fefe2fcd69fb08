"""The GB/T 4754-2017 sections and divisions (resources/data/gbt4754_divisions.yaml) for pickers and labels, and the
industry words of clause texts (resources/data/industry_keywords.yaml) for importing published tables."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import yaml

TABLE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "data", "gbt4754_divisions.yaml")


@dataclass(frozen=True)
class Industry:
    code: str  # "C" (a section) or "C25" (a division)
    zh: str
    section: str


@lru_cache(maxsize=4)
def load_industries(path: str = TABLE) -> tuple[Industry, ...]:
    """Sections and divisions in the standard's order: A, A01 … A05, B, B06, …"""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    out = []
    for letter, names in data["sections"].items():
        out.append(Industry(letter, names["zh"], letter))
        out.extend(Industry(code, name, letter) for code, name in data["divisions"].items() if code[0] == letter)
    return tuple(out)


def industry_name(code: str) -> str:
    """The Chinese name of a section or division code (of the division for a group or class code), or ''."""
    names = {i.code: i.zh for i in load_industries()}
    code = (code or "").strip().upper()
    return names.get(code) or names.get(code[:3], "")


# --- industry words of clause texts (resources/data/industry_keywords.yaml) ------------------------------------
KEYWORDS = os.path.join(os.path.dirname(TABLE), "industry_keywords.yaml")


class KeywordTableError(ValueError):
    pass


@lru_cache(maxsize=4)
def load_keywords(path: str = KEYWORDS) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(word, codes) of the keyword table, longest word first; every code must be a GB/T 4754 section, or a
    division of resources/data/gbt4754_divisions.yaml or a group/class under one."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    known = {i.code for i in load_industries()}
    table = []
    for word, codes in (data.get("keywords") or {}).items():
        codes = [codes] if isinstance(codes, str) else list(codes or [])
        bad = [c for c in codes if not isinstance(c, str) or (c if len(c) == 1 else c[:3]) not in known]
        if not str(word).strip() or not codes or bad:
            raise KeywordTableError(f"{path}: keyword '{word}' has no or unknown GB/T 4754 codes {bad or codes}")
        table.append((str(word).strip(), tuple(c.upper() for c in codes)))
    return tuple(sorted(table, key=lambda item: -len(item[0])))


def industry_words(text: str, path: str = KEYWORDS) -> list[tuple[str, tuple[str, ...]]]:
    """The industry words a clause text names, in reading order, each once, with their codes. A longer word wins over
    a shorter one inside it (化学原料药, not 化学原料); whitespace inside a word ('炼 焦') is ignored."""
    table = load_keywords(path)
    if not table or not text:
        return []
    codes = dict(table)
    pattern = _keyword_pattern(path)
    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    found: list[tuple[str, tuple[str, ...]]] = []
    for match in pattern.finditer(plain):
        word = match.group(0)
        if word not in (w for w, _ in found):
            found.append((word, codes[word]))
    return found


@lru_cache(maxsize=4)
def _keyword_pattern(path: str) -> re.Pattern:
    return re.compile("|".join(re.escape(word) for word, _ in load_keywords(path)))
