"""The GB/T 4754-2017 sections and divisions (resources/data/gbt4754_divisions.yaml) for pickers and labels."""

from __future__ import annotations

import os
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
