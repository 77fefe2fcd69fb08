"""Admission lists: saving — atomic writes with a backup, refusing files that changed on disk since loaded."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterable

import yaml

from .lists_load import _digest
from .lists_model import DIMENSIONS, ConflictError, Library, ListFile


class _Dumper(yaml.SafeDumper):
    pass


def _represent_list(dumper, data):
    flow = all(isinstance(v, (int, float, str)) and len(str(v)) < 40 for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def dump_yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)


def file_document(list_file: ListFile) -> dict:
    if list_file.level == "unit":
        doc: dict = {"level": "unit"}
        for code in sorted(list_file.units):
            doc[code] = {"clauses": [c.to_yaml() for c in list_file.units[code]]}
        return doc
    header = {k: v for k, v in list_file.header.items() if k not in ("level", "clauses")}
    return {"level": list_file.level, **header, "clauses": [c.to_yaml() for c in list_file.clauses]}


def library_document(library: Library) -> dict:
    doc = {
        "name": library.name,
        "version": library.version,
        "province": library.province,
        "dimensions": {k: dict(library.dimension_labels[k]) for k in DIMENSIONS},
        "regions": {
            rid: {"name": r.get("name", ""), "cities": [str(c) for c in r.get("cities", [])]}
            for rid, r in sorted(library.regions.items())
        },
    }
    doc.update(library.meta_extra)
    return doc


def atomic_write(path: str, text: str, backup: bool = True) -> str:
    """Write via a temporary file in the same folder and rename, keeping the file's mode and writing through a
    symlink to its target; with `backup`, the file as it was is kept as <name>.bak first."""
    path = os.path.realpath(path)  # a symlinked list file stays a symlink: its target is replaced
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    data = text.encode("utf-8")
    if os.path.exists(path):
        mode = stat.S_IMODE(os.stat(path).st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".yaml", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if backup and os.path.exists(path):
            shutil.copy2(path, path + ".bak")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return _digest(data)


def disk_digest(path: str) -> str:
    if not os.path.exists(path):
        return ""
    with open(path, "rb") as handle:
        return _digest(handle.read())


def changed_on_disk(library: Library, relpaths: Iterable[str] | None = None) -> list[str]:
    relpaths = list(relpaths) if relpaths is not None else [p for p, f in library.files.items() if f.dirty]
    return [p for p in relpaths if disk_digest(os.path.join(library.root, p)) != library.files[p].digest]


def save_library(library: Library, force: bool = False, all_files: bool = False) -> list[str]:
    """Write the dirty files (or all of them). Raises ConflictError, writing nothing, when one of them
    changed on disk since it was loaded, unless `force`. Broken files are never written."""
    targets = [p for p, f in sorted(library.files.items()) if (f.dirty or all_files) and not f.broken]
    if not force:
        conflicts = changed_on_disk(library, targets)
        if conflicts:
            raise ConflictError(conflicts)
    written = []
    for relpath in targets:
        list_file = library.files[relpath]
        # <name>.bak keeps the file as it was loaded: later saves of the same session do not replace it
        list_file.digest = atomic_write(
            os.path.join(library.root, relpath), dump_yaml(file_document(list_file)), backup=not list_file.backed_up
        )
        list_file.backed_up = True
        list_file.dirty = False
        written.append(relpath)
    return written


def save_library_meta(library: Library) -> None:
    library.meta_digest = atomic_write(os.path.join(library.root, "library.yaml"), dump_yaml(library_document(library)))


def new_library(root: str, name: str, province: str, version: str = "1", regions: dict | None = None) -> Library:
    library = Library(
        root=os.path.abspath(root), name=name, province=province, version=version, regions=dict(regions or {})
    )
    save_library_meta(library)
    return library
