"""Admission lists: loading a library folder with safe YAML, keeping the line of every clause for messages."""

from __future__ import annotations

import hashlib
import os
import re

import yaml

from .lists_model import (
    ALIAS_BUDGET,
    CLAUSE_KEYS,
    DEFAULT_DIMENSION_LABELS,
    DUPLICATE_KEYS,
    KEY_LINES,
    LINE_KEY,
    STRUCTURAL_KINDS,
    Clause,
    Library,
    LibraryError,
    ListFile,
    Problem,
)


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser: ~4x faster
    """Safe loader that records the line of every mapping (for messages that name the line)."""


_YAML11_NUMBER = re.compile(r"^[-+]?(0[0-9_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])+|.*_.*)$")


def _construct(loader, node):
    # YAML 1.1 reads 0012 as octal 10, 1:20 as 80 and 1_000 as 1000: such scalars stay the text written
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int" and _YAML11_NUMBER.match(node.value):
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = {}
    key_lines = {}
    duplicates = []
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        if key in mapping:
            duplicates.append((key, key_node.start_mark.line + 1))
        mapping[key] = _construct(loader, value_node)
        key_lines[key] = key_node.start_mark.line + 1
    mapping[LINE_KEY] = node.start_mark.line + 1
    mapping[KEY_LINES] = key_lines
    if duplicates:
        mapping[DUPLICATE_KEYS] = duplicates
    return mapping


def _alias_expansion(text: str) -> int:
    """How many nodes the document's aliases expand to (counted on parser events, without building them)."""
    sizes: dict[str, int] = {}
    stack: list[list] = [[None, 0]]
    total = 0
    for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor, 1)
            stack[-1][1] += size
            total += size
            if total > ALIAS_BUDGET:
                return total
        elif isinstance(event, yaml.ScalarEvent):
            stack[-1][1] += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            stack.append([event.anchor, 1])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size
            stack[-1][1] += size
    return total


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read(path: str) -> tuple[bytes, object, str]:
    """(raw bytes, parsed data or None, error text)."""
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8")
        if "*" in text and "&" in text and _alias_expansion(text) > ALIAS_BUDGET:
            return raw, None, f"its aliases (*name) expand to more than {ALIAS_BUDGET} values: write the clauses out"
        # _LineLoader is a (C)SafeLoader subclass: no arbitrary objects are constructed
        data = yaml.load(text, Loader=_LineLoader)  # nosec B506
    except UnicodeDecodeError as exc:
        return raw, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        return raw, None, f"{where}{getattr(exc, 'problem', None) or exc}"
    return raw, data, ""


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _strip(data):
    if isinstance(data, dict):
        return {k: _strip(v) for k, v in data.items() if k not in (LINE_KEY, KEY_LINES, DUPLICATE_KEYS)}
    if isinstance(data, list):
        return [_strip(v) for v in data]
    return data


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _clause(data, relpath: str, problems: list[Problem]) -> Clause | None:
    if not isinstance(data, dict):
        problems.append(Problem(relpath, 0, "bad_clause", "", f"a clause must be a mapping, got {data!r}"))
        return None
    line = data.get(LINE_KEY, 0)
    for key, key_line in data.get(DUPLICATE_KEYS, []):
        problems.append(
            Problem(relpath, key_line, "duplicate_key", str(key), f"key '{key}' is written twice in one clause")
        )
    plain = _strip(data)
    extra = {k: v for k, v in plain.items() if k not in CLAUSE_KEYS}
    classes = []
    for value in _as_list(plain.get("classes")):
        classes.append(int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else value)
    return Clause(
        id=str(plain.get("id") or ""),
        dimension=str(plain.get("dimension") or ""),
        kind=str(plain.get("kind") or ""),
        text=str(plain.get("text") or "").strip(),
        classes=classes,
        subtypes=[str(v) for v in _as_list(plain.get("subtypes"))],
        industries=[str(v) for v in _as_list(plain.get("industries"))],
        replaces=str(plain.get("replaces") or ""),
        source=str(plain.get("source") or ""),
        extra=extra,
        line=line,
    )


def _clauses(data, relpath: str, problems: list[Problem]) -> list[Clause]:
    items = data.get("clauses") if isinstance(data, dict) else None
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(Problem(relpath, data.get(LINE_KEY, 0), "bad_file", "", "'clauses' must be a list"))
        return []
    line = data.get(KEY_LINES, {}).get("clauses", 0)
    clauses = []
    for item in items:
        before = len(problems)
        clause = _clause(item, relpath, problems)
        for n in range(before, len(problems)):  # a clause that is no mapping has no line of its own
            if not problems[n].line:
                problems[n].line = line
        if clause is not None:
            clauses.append(clause)
    return clauses


def load_library(root: str) -> Library:
    """Load a library folder. Problems that stop a file from being read are in `load_problems`; such files
    are kept as `broken` and never overwritten by `save_library`."""
    if not os.path.isdir(root):
        raise LibraryError(f"{root} is not a folder: choose the admission-list library folder (it holds library.yaml)")
    library = Library(root=os.path.abspath(root))
    problems = library.load_problems
    meta_path = os.path.join(root, "library.yaml")
    if not os.path.exists(meta_path):
        raise LibraryError(f"{root} has no library.yaml: is it an admission-list library folder?")
    raw, meta, error = _read(meta_path)
    library.meta_digest = _digest(raw)
    if error:
        raise LibraryError(f"library.yaml: {error}")
    meta = _strip(meta) if isinstance(meta, dict) else {}
    library.name = str(meta.get("name") or "")
    library.version = str(meta.get("version") or "")
    library.province = str(meta.get("province") or "")
    for key in ("dimensions", "regions"):
        if not isinstance(meta.get(key) or {}, dict):
            raise LibraryError(
                f"library.yaml: '{key}' must be a mapping (key: value), not a {type(meta[key]).__name__}"
            )
    bad_regions = [str(k) for k, v in (meta.get("regions") or {}).items() if not isinstance(v or {}, dict)]
    if bad_regions:
        raise LibraryError(f"library.yaml: regions {', '.join(bad_regions)} must be mappings with name and cities")
    for key, labels in (meta.get("dimensions") or {}).items():
        if key in DEFAULT_DIMENSION_LABELS and isinstance(labels, dict):
            library.dimension_labels[key].update({k: str(v) for k, v in labels.items()})
    library.regions = {str(k): dict(v or {}) for k, v in (meta.get("regions") or {}).items()}
    library.meta_extra = {
        k: v for k, v in meta.items() if k not in ("name", "version", "province", "dimensions", "regions")
    }

    entries = [("province.yaml", "province", "province")]
    for sub, level in (("regions", "region"), ("cities", "city"), ("units", "unit")):
        folder = os.path.join(root, sub)
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.endswith((".yaml", ".yml")):
                    entries.append((f"{sub}/{name}", level, os.path.splitext(name)[0]))
    for relpath, level, scope in entries:
        path = os.path.join(root, relpath)
        if not os.path.exists(path):
            continue
        raw, data, error = _read(path)
        first_problem = len(problems)
        list_file = ListFile(relpath, level, scope, digest=_digest(raw))
        library.files[relpath] = list_file
        if error:
            list_file.broken = error
            problems.append(Problem(relpath, _line_in(error), "yaml_error", "", f"cannot be read: {error}"))
            continue
        if data is None:
            continue
        if not isinstance(data, dict):
            list_file.broken = "the file must hold a mapping"
            problems.append(Problem(relpath, 1, "bad_file", "", "the file must hold a mapping (key: value)"))
            continue
        if level == "unit":
            list_file.header = {k: v for k, v in _strip(data).items() if k == "level"}
            key_lines = data.get(KEY_LINES, {})
            for code, code_line in data.get(DUPLICATE_KEYS, []):
                problems.append(
                    Problem(
                        relpath, code_line, "duplicate_key", str(code), f"unit {code} is written twice in this file"
                    )
                )
            for code, body in data.items():
                if code in (LINE_KEY, KEY_LINES, DUPLICATE_KEYS, "level"):
                    continue
                list_file.unit_lines[str(code)] = key_lines.get(code, 0)
                code = str(code)
                if body is not None and not isinstance(body, dict):
                    problems.append(
                        Problem(
                            relpath,
                            key_lines.get(code, 0),
                            "bad_unit",
                            code,
                            f"unit {code} must be a mapping 'clauses: [...]', got a {type(body).__name__}",
                        )
                    )
                list_file.units[code] = _clauses(body, relpath, problems) if isinstance(body, dict) else []
        else:
            declared = data.get("level")
            if declared and declared != level:
                problems.append(
                    Problem(
                        relpath,
                        data.get(LINE_KEY, 1),
                        "bad_level",
                        "",
                        f"says level '{declared}' but lies in the {level} folder",
                    )
                )
            list_file.header = {k: v for k, v in _strip(data).items() if k != "clauses"}
            list_file.clauses = _clauses(data, relpath, problems)
        structural = [p for p in problems[first_problem:] if p.kind in STRUCTURAL_KINDS]
        if structural and not list_file.broken:
            # the model does not hold all the file says: never save over it
            list_file.broken = structural[0].message
    return library


def _line_in(error: str) -> int:
    match = re.match(r"line (\d+)", error)
    return int(match.group(1)) if match else 0
