"""The element-zone taxonomy (docs/domain-rules.md §2) as data: load, validate, query.

Validation errors name the file and line so a province can maintain its own taxonomy file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import yaml

from .errors import TaxonomyError

DEFAULT_TAXONOMY = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "taxonomy", "national.yaml")
ELEMENTS = ("ecology", "water", "air", "soil", "resource", "sea", "development")
CLASSES = (1, 2, 3)
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
ZONE_FIELDS = {"element", "zone_class", "raises_to", "rank", "zh", "en", "color", "named", "protected"}
REQUIRED_ZONE_FIELDS = ("element", "zone_class", "raises_to", "rank", "zh", "en")
# Name of the dominant subtype of land no zone raises (class 3 with no zone at all).
UNCOVERED = "general"


@dataclass(frozen=True)
class ZoneType:
    key: str
    element: str
    zone_class: int
    raises_to: int
    rank: int
    zh: str
    en: str
    color: str = "#999999"
    named: bool = False
    protected: bool = False


@dataclass(frozen=True)
class Element:
    key: str
    digit: int
    zh: str
    en: str


@dataclass
class Taxonomy:
    name: str
    version: str
    zones: dict[str, ZoneType]
    elements: dict[str, Element]
    class_labels: dict[int, dict[str, str]] = field(default_factory=dict)
    path: str = ""

    def zone(self, key: str) -> ZoneType:
        try:
            return self.zones[key]
        except KeyError:
            known = ", ".join(sorted(self.zones))
            raise KeyError(f"Unknown element-zone subtype '{key}'. Known subtypes: {known}") from None

    def resolve_key(self, text: str) -> str:
        """The key of a subtype given by its key, its Chinese name (生态保护红线) or its English name, any case."""
        text = (text or "").strip()
        if text in self.zones:
            return text
        wanted = text.casefold()
        for key, zone in self.zones.items():
            if wanted in (key.casefold(), zone.zh.casefold(), zone.en.casefold()):
                return key
        return self.zone(text).key  # raises the KeyError that lists the known subtypes

    def precedence(self, key: str) -> tuple[int, int, int]:
        """Sort key of a subtype: the unit class it raises to first (1 over 2 over 3), then named
        subtypes (parks, urban areas: each feature is its own unit, so it must not be cut up by
        other zones of its class), then rank (docs/domain-rules.md §2)."""
        zone = self.zones[key]
        return (zone.raises_to, 0 if zone.named else 1, zone.rank)

    def ordered_keys(self) -> list[str]:
        return sorted(self.zones, key=self.precedence)

    def class_label(self, unit_class: int, lang: str = "zh") -> str:
        return self.class_labels.get(unit_class, {}).get(lang, str(unit_class))

    def subtype_label(self, key: str, lang: str = "zh") -> str:
        if key == UNCOVERED:
            return "一般管控区" if lang == "zh" else "General control"
        zone = self.zones.get(key)
        return (zone.zh if lang == "zh" else zone.en) if zone else key


def _line(node) -> int:
    return node.start_mark.line + 1


def _mapping(node, where: str, problems: list[str], path: str) -> list[tuple]:
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{path}:{_line(node)}: {where} must be a mapping")
        return []
    seen: dict[str, int] = {}
    pairs = []
    for key_node, value_node in node.value:
        key = key_node.value
        if key in seen:
            problems.append(f"{path}:{_line(key_node)}: duplicate key '{key}' in {where} (first at line {seen[key]})")
            continue
        seen[key] = _line(key_node)
        pairs.append((key_node, value_node))
    return pairs


def _scalar(node, tag_type, where, problems, path):
    if not isinstance(node, yaml.ScalarNode):
        problems.append(f"{path}:{_line(node)}: {where} must be a single value")
        return None
    value = yaml.safe_load(yaml.serialize(node)) if node.value != "" else ""
    if tag_type is int and (isinstance(value, bool) or not isinstance(value, int)):
        problems.append(f"{path}:{_line(node)}: {where} must be an integer, got '{node.value}'")
        return None
    if tag_type is bool and not isinstance(value, bool):
        problems.append(f"{path}:{_line(node)}: {where} must be true or false, got '{node.value}'")
        return None
    if tag_type is str:
        value = str(value)
    return value


def load_taxonomy(path: str | None = None) -> Taxonomy:
    """Load and validate a taxonomy file; raise TaxonomyError listing every problem with its line."""
    path = path or DEFAULT_TAXONOMY
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise TaxonomyError([f"cannot read the file: {exc.strerror}"], path) from exc
    return parse_taxonomy(text, path)


def parse_taxonomy(text: str, path: str = "<taxonomy>") -> Taxonomy:
    problems: list[str] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "unknown line"
        raise TaxonomyError([f"{path}:{where}: not valid YAML ({getattr(exc, 'problem', exc)})"], path) from exc
    if root is None:
        raise TaxonomyError([f"{path}: the file is empty"], path)
    top = dict((k.value, (k, v)) for k, v in _mapping(root, "the file", problems, path))
    for key in top:
        if key not in ("name", "version", "elements", "classes", "zones"):
            problems.append(f"{path}:{_line(top[key][0])}: unknown top-level key '{key}'")

    elements: dict[str, Element] = {}
    if "elements" in top:
        digits: dict[int, str] = {}
        for key_node, value_node in _mapping(top["elements"][1], "elements", problems, path):
            key = key_node.value
            if key not in ELEMENTS:
                problems.append(f"{path}:{_line(key_node)}: unknown element '{key}' (use one of {', '.join(ELEMENTS)})")
                continue
            values = {k.value: v for k, v in _mapping(value_node, f"element '{key}'", problems, path)}
            digit = (
                _scalar(values["digit"], int, f"digit of element '{key}'", problems, path)
                if "digit" in values
                else None
            )
            if digit is None:
                problems.append(f"{path}:{_line(key_node)}: element '{key}' needs an integer 'digit' (1-9)")
                continue
            if digit in digits:
                problems.append(f"{path}:{_line(key_node)}: element '{key}' repeats digit {digit} of '{digits[digit]}'")
            digits[digit] = key
            zh = _scalar(values["zh"], str, "zh", problems, path) if "zh" in values else key
            en = _scalar(values["en"], str, "en", problems, path) if "en" in values else key
            elements[key] = Element(key, digit, zh, en)
    else:
        problems.append(f"{path}: missing 'elements' section")

    class_labels: dict[int, dict[str, str]] = {}
    if "classes" in top:
        for key_node, value_node in _mapping(top["classes"][1], "classes", problems, path):
            cls = _scalar(key_node, int, "class key", problems, path)
            if cls not in CLASSES:
                problems.append(f"{path}:{_line(key_node)}: unit class must be 1, 2 or 3, got '{key_node.value}'")
                continue
            values = {k.value: v for k, v in _mapping(value_node, f"class {cls}", problems, path)}
            class_labels[cls] = {k: _scalar(v, str, f"{k} of class {cls}", problems, path) for k, v in values.items()}

    zones: dict[str, ZoneType] = {}
    if "zones" in top:
        ranks: dict[int, tuple[str, int]] = {}
        for key_node, value_node in _mapping(top["zones"][1], "zones", problems, path):
            key = key_node.value
            line = _line(key_node)
            if not KEY_RE.match(key):
                problems.append(f"{path}:{line}: zone key '{key}' must be lowercase ASCII letters, digits and _")
                continue
            pairs = _mapping(value_node, f"zone '{key}'", problems, path)
            values = {k.value: v for k, v in pairs}
            for k_node, _ in pairs:
                if k_node.value not in ZONE_FIELDS:
                    problems.append(
                        f"{path}:{_line(k_node)}: unknown field '{k_node.value}' in zone '{key}' "
                        f"(allowed: {', '.join(sorted(ZONE_FIELDS))})"
                    )
            missing = [f for f in REQUIRED_ZONE_FIELDS if f not in values]
            if missing:
                problems.append(f"{path}:{line}: zone '{key}' is missing {', '.join(missing)}")
                continue
            element = _scalar(values["element"], str, f"element of '{key}'", problems, path)
            if element not in elements:
                problems.append(
                    f"{path}:{_line(values['element'])}: zone '{key}' has unknown element '{element}'"
                    " (declare it under 'elements')"
                )
            bad = False
            nums = {}
            for fld in ("zone_class", "raises_to"):
                value = _scalar(values[fld], int, f"{fld} of '{key}'", problems, path)
                if value not in CLASSES:
                    if value is not None:
                        problems.append(f"{path}:{_line(values[fld])}: {fld} of '{key}' must be 1, 2 or 3, got {value}")
                    bad = True
                nums[fld] = value
            rank = _scalar(values["rank"], int, f"rank of '{key}'", problems, path)
            if rank is None:
                bad = True
            elif rank in ranks:
                other, other_line = ranks[rank]
                problems.append(
                    f"{path}:{_line(values['rank'])}: rank {rank} of '{key}' is already used by '{other}'"
                    f" (line {other_line}); ranks must be unique"
                )
                bad = True
            else:
                ranks[rank] = (key, line)
            color = _scalar(values["color"], str, "color", problems, path) if "color" in values else "#999999"
            if color and not COLOR_RE.match(color):
                problems.append(f"{path}:{_line(values['color'])}: color of '{key}' must look like #1b5e20")
            flags = {}
            for fld in ("named", "protected"):
                flags[fld] = (
                    bool(_scalar(values[fld], bool, f"{fld} of '{key}'", problems, path)) if fld in values else False
                )
            if bad or element not in elements:
                continue
            zones[key] = ZoneType(
                key=key,
                element=element,
                zone_class=nums["zone_class"],
                raises_to=nums["raises_to"],
                rank=rank,
                zh=_scalar(values["zh"], str, "zh", problems, path),
                en=_scalar(values["en"], str, "en", problems, path),
                color=color,
                named=flags["named"],
                protected=flags["protected"],
            )
        if UNCOVERED in zones:
            problems.append(f"{path}: '{UNCOVERED}' is reserved for land no zone covers; rename that zone")
    else:
        problems.append(f"{path}: missing 'zones' section")
    if not zones and not problems:
        problems.append(f"{path}: no zones defined")
    if problems:
        raise TaxonomyError(problems, path)
    name = _scalar(top["name"][1], str, "name", problems, path) if "name" in top else os.path.basename(path)
    version = _scalar(top["version"][1], str, "version", problems, path) if "version" in top else ""
    return Taxonomy(name=name, version=version, zones=zones, elements=elements, class_labels=class_labels, path=path)
