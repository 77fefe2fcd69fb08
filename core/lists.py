"""Admission lists (生态环境准入清单): a folder of YAML files with "1+3+13+N" inheritance (docs/domain-rules.md §5).

    library.yaml            name, version, province, dimensions {key: {zh, en}}, regions {id: {name, cities}}
    province.yaml           level: province, clauses: [...]
    regions/<id>.yaml       level: region,   clauses: [...]
    cities/<6-digit>.yaml   level: city,     clauses: [...]
    units/<6-digit>.yaml    {unit code: {clauses: [...]}} for the units of one prefecture

A unit's effective list = province + its regions + its prefecture + its own clauses, each filtered by the
unit's class and subtypes, minus the clauses a lower level replaces. Loading is safe YAML only and never
drops a clause, even an invalid one; saving is atomic, keeps a backup, and refuses to overwrite a file that
changed on disk since it was loaded.
"""

from __future__ import annotations

# The library is split by concern; every name stays importable from here.
from .lists_load import (  # noqa: F401
    _as_list,
    _clause,
    _clauses,
    _construct_mapping,
    _digest,
    _line_in,
    _LineLoader,
    _read,
    _strip,
    load_library,
)
from .lists_model import (  # noqa: F401
    ALIAS_BUDGET,
    CITY_CODE_RE,
    CLAUSE_KEYS,
    DEFAULT_DIMENSION_LABELS,
    DIMENSIONS,
    DUPLICATE_KEYS,
    KEY_LINES,
    KIND_LABELS,
    KIND_LABELS_EN,
    KINDS,
    LEVEL_COLORS,
    LEVEL_LABELS,
    LEVEL_LABELS_EN,
    LEVELS,
    LINE_KEY,
    STRUCTURAL_KINDS,
    Clause,
    ConflictError,
    EffectiveClause,
    Library,
    LibraryError,
    ListFile,
    Problem,
    _relpath,
    city_of,
)
from .lists_save import (  # noqa: F401
    _Dumper,
    _represent_list,
    _represent_str,
    atomic_write,
    changed_on_disk,
    disk_digest,
    dump_yaml,
    file_document,
    library_document,
    new_library,
    save_library,
    save_library_meta,
)
from .lists_validate import validate_library  # noqa: F401
