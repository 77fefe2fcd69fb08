"""Where an admission-list library lives: one storage interface for the folder library and the database library.

The dock and the algorithms load a `Library` (core/lists.py) through a store, edit it in memory and give it
back to the store to save:

- `FolderStore`: the folder of YAML files (the embedded default; atomic writes, .bak copies, refuses to overwrite
  a file changed on disk since it was loaded);
- `DatabaseStore` (core/db_library.py): the team database on PostgreSQL/PostGIS, with row versions, roles
  enforced by the database, history and change notifications.

What a store cannot do says so: `supports_history`, `supports_notifications`, `can_edit` with a reason.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Optional

from .errors import EcoZoningError
from .lists import Library, load_library, save_library


class StoreError(EcoZoningError):
    """A store could not do what was asked; the message says why and what to do."""


class DatabaseConnectionError(StoreError):
    """The database could not be reached or refused the login. `reason`: wrong_password, server_down,
    no_database, no_postgis, not_a_library, no_rights, lost, other."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(message)


class SchemaTooNewError(StoreError):
    def __init__(self, database_version: int, plugin_version: int):
        self.database_version = database_version
        self.plugin_version = plugin_version
        super().__init__(
            f"the database holds EcoZoning schema version {database_version}, newer than version {plugin_version} "
            f"of this plugin: update the EcoZoning plugin before opening it (nothing was changed)"
        )


@dataclass
class RefusedWrite:
    clause_id: str
    level: str
    scope: str
    reason: str


class PermissionRefusedError(StoreError):
    """The connected role may not change some of the edited clauses: nothing was written."""

    def __init__(self, refused: list[RefusedWrite]):
        self.refused = refused
        lines = [f"{r.clause_id} ({r.level} {r.scope}): {r.reason}" for r in refused]
        super().__init__("the database refused the save, nothing was written:\n" + "\n".join(lines))


@dataclass
class ClauseConflict:
    """A clause changed (or was deleted) by someone else since it was loaded. `mine`: the values in the dock;
    `theirs`: the values in the database now (None: they deleted it)."""

    uid: int
    clause_id: str
    level: str
    scope: str
    mine: dict
    theirs: Optional[dict]
    their_version: int = 0
    by: str = ""
    at: str = ""
    clause: object = None  # the Clause object of the library in memory


class ClauseConflictError(StoreError):
    def __init__(self, conflicts: list[ClauseConflict]):
        self.conflicts = conflicts
        names = ", ".join(f"{c.clause_id} ({c.by or '?'}, {c.at or '?'})" for c in conflicts)
        super().__init__("changed by someone else since loaded, nothing was written: " + names)


@dataclass
class HistoryEntry:
    id: int
    at: str
    who: str
    application: str
    op: str  # insert, update, delete
    clause_id: str
    level: str
    scope: str
    before: Optional[dict] = None
    after: Optional[dict] = None

    def state(self) -> Optional[dict]:
        """The clause as this entry left it (as it was before, for a delete)."""
        return self.before if self.op == "delete" else self.after


@dataclass
class RemoteChange:
    clause_id: str
    op: str
    by: str
    kept_local: bool = False  # the clause has unsaved edits here: they were kept, the save will ask


@dataclass
class Permissions:
    """What the connected user may change: everything (a folder, the database owner), the province and region
    lists, one prefecture's lists, or nothing (a reviewer)."""

    kind: str = "owner"  # owner, province, prefecture, reviewer
    cities: list[str] = field(default_factory=list)
    who: str = ""

    def can_edit(self, level: str, scope: str) -> tuple[bool, str]:
        from .lists import city_of

        if self.kind == "owner":
            return True, ""
        if self.kind == "reviewer":
            return False, "read_only"
        if self.kind == "province":
            return (True, "") if level in ("province", "region") else (False, "prefecture_only")
        city = scope if level == "city" else city_of(scope) if level == "unit" else ""
        if level in ("city", "unit") and city in self.cities:
            return True, ""
        return False, "province_only" if level in ("province", "region") else "other_prefecture"


class LibraryStore:
    """The interface both libraries implement."""

    kind = ""
    supports_history = False
    supports_notifications = False

    def label(self) -> str:
        raise NotImplementedError

    def load(self) -> Library:
        raise NotImplementedError

    def save(self, library: Library, force: bool = False) -> list[str]:
        """Write what changed; returns what was written (files or clause ids)."""
        raise NotImplementedError

    def revision(self) -> str:
        """Which state of the lists this is, for reports and filing packages."""
        raise NotImplementedError

    def permissions(self) -> Permissions:
        return Permissions()

    def history(self, clause_uid: Optional[int] = None, scope: Optional[str] = None) -> list[HistoryEntry]:
        return []

    def close(self) -> None:
        pass


def folder_digest(root: str) -> str:
    """SHA-256 over the relative paths and bytes of the YAML files of a library folder."""
    digest = hashlib.sha256()
    for folder, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if name.endswith((".yaml", ".yml")):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, root).replace(os.sep, "/").encode("utf-8") + b"\0")
                with open(path, "rb") as handle:
                    digest.update(handle.read())
    return digest.hexdigest()


def library_digest(root: str) -> str:
    """The revision stamp of a library: the digest of a folder, the label of a team database library."""
    return folder_digest(root) if os.path.isdir(root) else root


class FolderStore(LibraryStore):
    kind = "folder"

    def __init__(self, root: str):
        self.root = root

    def label(self) -> str:
        return self.root

    def load(self) -> Library:
        return load_library(self.root)

    def save(self, library: Library, force: bool = False) -> list[str]:
        return save_library(library, force=force)

    def revision(self) -> str:
        return "sha256:" + folder_digest(self.root)
