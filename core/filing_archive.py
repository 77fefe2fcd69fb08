"""Safe extraction of a received filing package: a received archive is untrusted, so `safe_extract` refuses
absolute paths, drive letters, '..' components, links, special files, encrypted entries and archives over a
size or entry bound, all before it writes anything."""

from __future__ import annotations

import os
import re
import stat
import zipfile

from .errors import EcoZoningError

DEFAULT_MAX_TOTAL_BYTES = 2 * 1024**3
DEFAULT_MAX_ENTRIES = 10_000
_CHUNK = 1024 * 1024


class PackageError(EcoZoningError):
    """The package cannot be read at all (not a zip, corrupt, missing)."""


class UnsafeArchiveError(PackageError):
    """The archive holds an entry that could write outside the extraction folder, or is too large."""


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name; names written without the UTF-8 flag by Chinese Windows tools are GBK (or UTF-8)."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    raw = name.encode("cp437")
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def safe_parts(name: str) -> list[str]:
    """The components of a relative archive path; raises UnsafeArchiveError for anything that could leave the
    extraction folder (absolute path, drive letter, '..', a colon, a NUL byte)."""
    if "\x00" in name:
        raise UnsafeArchiveError(f"entry {name!r} has a NUL byte in its name; the package is refused")
    normalized = name.replace("\\", "/")
    if normalized.startswith("/"):
        raise UnsafeArchiveError(f"entry {name!r} has an absolute path; the package is refused")
    if re.match(r"^[A-Za-z]:", normalized):
        raise UnsafeArchiveError(f"entry {name!r} starts with a drive letter; the package is refused")
    parts = [p for p in normalized.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchiveError(f"entry {name!r} has a '..' component (path outside the package); refused")
    if any(":" in p for p in parts):
        raise UnsafeArchiveError(f"entry {name!r} has a ':' in its path (drive or stream name); refused")
    if not parts:
        raise UnsafeArchiveError(f"entry {name!r} has an empty path; the package is refused")
    return parts


def _check_entry_type(info: zipfile.ZipInfo, name: str) -> None:
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        raise UnsafeArchiveError(f"entry {name!r} is a symbolic link; the package is refused")
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        raise UnsafeArchiveError(f"entry {name!r} is a special file (mode {oct(mode)}); the package is refused")
    if info.flag_bits & 0x1:
        raise UnsafeArchiveError(f"entry {name!r} is encrypted; a filing package must not be")


def safe_extract(
    zip_path: str,
    dest: str,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_entries: int = DEFAULT_MAX_ENTRIES,
) -> list[str]:
    """Extract `zip_path` into the folder `dest`; returns the relative paths of the files written ('/'-separated).

    Every entry is checked before anything is written; UnsafeArchiveError names the first refused entry.
    PackageError: not a readable zip. On a failure while writing, the files written so far are removed."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"{zip_path} is not a readable zip archive ({exc})") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > max_entries:
            raise UnsafeArchiveError(
                f"{zip_path} has {len(infos)} entries, more than the bound of {max_entries}; the package is refused"
            )
        plan: list[tuple[zipfile.ZipInfo, list[str]]] = []
        files: dict[str, str] = {}  # case-folded path -> entry name
        folders: set[str] = set()
        total = 0
        for info in infos:
            name = _entry_name(info)
            parts = safe_parts(name)
            _check_entry_type(info, name)
            key = "/".join(parts).casefold()
            folders.update("/".join(parts[:n]).casefold() for n in range(1, len(parts)))
            if info.is_dir():
                folders.add(key)
                continue
            if key in files:
                raise UnsafeArchiveError(
                    f"entries {files[key]!r} and {name!r} would be written to the same file; the package is refused"
                )
            files[key] = name
            total += info.file_size
            if total > max_total_bytes:
                raise UnsafeArchiveError(
                    f"entry {name!r} brings the uncompressed size to {total} bytes, over the bound of "
                    f"{max_total_bytes} bytes; the package is refused"
                )
            plan.append((info, parts))
        clash = sorted(set(files) & folders)
        if clash:
            raise UnsafeArchiveError(f"entry {files[clash[0]]!r} is both a file and a folder; the package is refused")

        root = os.path.realpath(dest)
        os.makedirs(root, exist_ok=True)
        written: list[str] = []
        try:
            written_bytes = 0
            for info, parts in plan:
                target = os.path.join(root, *parts)
                if os.path.commonpath([root, os.path.realpath(os.path.dirname(target))]) != root:
                    raise UnsafeArchiveError(f"entry {info.filename!r} resolves outside the extraction folder")
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with archive.open(info) as source, open(target, "xb") as out:
                    written.append(target)
                    size = 0
                    while chunk := source.read(_CHUNK):
                        size += len(chunk)
                        written_bytes += len(chunk)
                        if size > info.file_size or written_bytes > max_total_bytes:
                            raise UnsafeArchiveError(
                                f"entry {info.filename!r} expands beyond its declared size; the package is refused"
                            )
                        out.write(chunk)
        except FileExistsError as exc:
            _remove(written)
            raise PackageError(f"{exc.filename} already exists: extract into an empty folder") from exc
        except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as exc:
            _remove(written)
            raise PackageError(f"{zip_path}: could not extract ({exc}); the archive is damaged") from exc
        except BaseException:
            _remove(written)
            raise
    return ["/".join(parts) for _, parts in plan]


def _remove(paths: list[str]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            continue
