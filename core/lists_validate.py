"""Admission lists: validation of a loaded library against itself and the unit layer."""

from __future__ import annotations

from collections.abc import Iterable

from .lists_model import CITY_CODE_RE, DIMENSIONS, KINDS, LEVELS, Library, Problem, _relpath, city_of
from .schema import INDUSTRY_RE, UNIT_CODE_RE


def validate_library(
    library: Library, unit_codes: Iterable[str] | None = None, subtype_keys: Iterable[str] | None = None
) -> list[Problem]:
    """Every problem, naming file and line: duplicate ids, unknown dimension or kind, `replaces` pointing
    nowhere, malformed unit codes, unit codes missing from the unit layer, units with no list of their own,
    empty texts. `unit_codes`: codes of the unit layer, when one is given."""
    problems = list(library.load_problems)
    known_subtypes = set(subtype_keys) if subtype_keys is not None else None
    seen: dict[str, tuple[str, int]] = {}
    index: dict[str, str] = {}  # id -> level of its first occurrence
    for clause, level, _scope, _file in library.iter_clauses():
        index.setdefault(clause.id, level)
    for clause, level, _scope, list_file in library.iter_clauses():
        where = (list_file.relpath, clause.line)
        ref = clause.id
        if not clause.id:
            problems.append(Problem(*where, "missing_id", ref, "clause has no id"))
        elif clause.id in seen:
            other = seen[clause.id]
            problems.append(
                Problem(*where, "duplicate_id", ref, f"id '{clause.id}' is already used at {other[0]}:{other[1]}")
            )
        else:
            seen[clause.id] = where
        if clause.dimension not in DIMENSIONS:
            problems.append(
                Problem(
                    *where,
                    "unknown_dimension",
                    ref,
                    f"clause {ref}: unknown dimension '{clause.dimension}' (use {', '.join(DIMENSIONS)})",
                )
            )
        if clause.kind not in KINDS:
            problems.append(
                Problem(
                    *where, "unknown_kind", ref, f"clause {ref}: unknown kind '{clause.kind}' (use {', '.join(KINDS)})"
                )
            )
        if not clause.text:
            problems.append(Problem(*where, "empty_text", ref, f"clause {ref} has no text"))
        bad_classes = [c for c in clause.classes if c not in (1, 2, 3)]
        if bad_classes:
            problems.append(
                Problem(*where, "bad_class", ref, f"clause {ref}: classes must be 1, 2 or 3, got {bad_classes}")
            )
        if known_subtypes is not None:
            unknown = [s for s in clause.subtypes if s not in known_subtypes and s != "general"]
            if unknown:
                problems.append(Problem(*where, "unknown_subtype", ref, f"clause {ref}: unknown subtypes {unknown}"))
        bad_industries = [i for i in clause.industries if not INDUSTRY_RE.match(i.upper())]
        if bad_industries:
            problems.append(
                Problem(
                    *where, "bad_industry", ref, f"clause {ref}: {bad_industries} are not GB/T 4754 codes such as C25"
                )
            )
        if clause.replaces:
            target_level = index.get(clause.replaces)
            if target_level is None:
                problems.append(
                    Problem(
                        *where,
                        "bad_replaces",
                        ref,
                        f"clause {ref} replaces '{clause.replaces}', which is not in the library",
                    )
                )
            elif LEVELS.index(target_level) >= LEVELS.index(level):
                problems.append(
                    Problem(
                        *where,
                        "bad_replaces",
                        ref,
                        f"clause {ref} replaces '{clause.replaces}' of level {target_level}; only a higher level can be replaced",
                    )
                )
    for relpath, list_file in sorted(library.files.items()):
        if list_file.level == "unit":
            for code in list_file.units:
                line = list_file.unit_lines.get(code, 0)
                if not UNIT_CODE_RE.match(code):
                    problems.append(
                        Problem(
                            relpath,
                            line,
                            "bad_unit_code",
                            code,
                            f"'{code}' is not a unit code (ZH + 6 digits + class + 4-5 digits)",
                        )
                    )
                elif city_of(code) != list_file.scope:
                    problems.append(
                        Problem(relpath, line, "wrong_file", code, f"unit {code} belongs in units/{city_of(code)}.yaml")
                    )
        if list_file.level == "city" and not CITY_CODE_RE.match(list_file.scope):
            problems.append(
                Problem(relpath, 0, "bad_file", list_file.scope, "prefecture files are named after the 6-digit code")
            )
    for rid, region in sorted(library.regions.items()):
        for city in region.get("cities", []):
            if not CITY_CODE_RE.match(str(city)):
                problems.append(
                    Problem(
                        "library.yaml", 0, "bad_region", rid, f"region {rid}: '{city}' is not a 6-digit prefecture code"
                    )
                )
    if unit_codes is not None:
        unit_codes = [str(c or "").strip() for c in unit_codes]
        problems += _layer_code_problems(unit_codes)
        layer_codes = {c for c in unit_codes if c}
        listed = set(library.unit_codes())
        for relpath, list_file in sorted(library.files.items()):
            if list_file.level != "unit":
                continue
            for code in list_file.units:
                if UNIT_CODE_RE.match(code) and code not in layer_codes:
                    problems.append(
                        Problem(
                            relpath,
                            list_file.unit_lines.get(code, 0),
                            "unit_not_in_layer",
                            code,
                            f"unit {code} is not in the unit layer",
                        )
                    )
        for code in sorted(layer_codes - listed):
            problems.append(
                Problem(
                    _relpath("unit", city_of(code)),
                    0,
                    "unit_without_list",
                    code,
                    f"unit {code} has no list of its own",
                    "warning",
                )
            )
        for code in sorted(listed & layer_codes):
            list_file = library.files[_relpath("unit", city_of(code))]
            if not list_file.units.get(code):
                problems.append(
                    Problem(
                        list_file.relpath,
                        list_file.unit_lines.get(code, 0),
                        "unit_without_list",
                        code,
                        f"unit {code} has an empty list",
                        "warning",
                    )
                )
    return problems


def _layer_code_problems(codes: list[str]) -> list[Problem]:
    """Empty and repeated codes of the unit layer: a list cannot be told to such units."""
    from collections import Counter

    problems = []
    empty = sum(1 for c in codes if not c)
    if empty:
        problems.append(
            Problem(
                "<unit layer>", 0, "unit_without_code", "", f"{empty} units of the unit layer have no HJGKDYBM code"
            )
        )
    for code, n in sorted(Counter(c for c in codes if c).items()):
        if n > 1:
            problems.append(
                Problem(
                    "<unit layer>",
                    0,
                    "duplicate_unit_code",
                    code,
                    f"unit code {code} is used by {n} units of the layer",
                )
            )
    return problems
