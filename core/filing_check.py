"""Check a filing package (备案包, docs/domain-rules.md) received from elsewhere: safe extraction, manifest hashes and
sizes, files missing or extra, metadata, unit codes, coverage of the admin area and the 附表1 list table.

A received archive is untrusted: `safe_extract` refuses absolute paths, drive letters, '..' components, links,
special files, encrypted entries and archives over a size or entry bound, all before it writes anything.
Checks that need the data layers take plain data (fid, shapely geometry, attributes) read by the caller.
"""

from __future__ import annotations

# Split by concern (archive safety, the checks, the report); every name stays importable from here.
from .filing_archive import (  # noqa: F401
    _CHUNK,
    DEFAULT_MAX_ENTRIES,
    DEFAULT_MAX_TOTAL_BYTES,
    PackageError,
    UnsafeArchiveError,
    _check_entry_type,
    _entry_name,
    _remove,
    safe_extract,
    safe_parts,
)
from .filing_report import (  # noqa: F401
    KIND_LABELS,
    count_by_kind,
    report_html,
)
from .filing_rules import (  # noqa: F401
    _DATE,
    _HEX64,
    ADMIN_GPKG,
    COVERAGE_KINDS,
    FILING_CRS,
    FILING_KINDS,
    LAYER_FIELDS,
    LAYERS,
    LIST_TABLE,
    MANIFEST,
    MAX_XLSX_MEMBER_BYTES,
    METADATA,
    METADATA_FIELDS,
    REQUIRED_FILES,
    SCHEME_LEVELS,
    SHAPEFILE_PARTS,
    UNITS_GPKG,
    UPDATE_TYPES,
    ZONES_GPKG,
    Problem,
    _digit,
    _rows,
    _text,
    _xlsx_too_large,
    check_codes,
    check_copy,
    check_copy_texts,
    check_coverage,
    check_fields,
    check_files,
    check_list_table,
    check_manifest,
    check_metadata,
    check_required,
    list_files,
    load_metadata,
    sha256_file,
)
