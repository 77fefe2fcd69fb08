#!/usr/bin/env bash
# Build the installable plugin archive: scripts/package.sh VERSION  ->  dist/ecozoning-VERSION.zip
#
# The zip has one top folder, `ecozoning/`, holding only what a QGIS user needs (the folder name is the plugin
# id: QGIS installs the zip by unpacking it into <profile>/python/plugins/). It is reproducible: entries are
# sorted, every timestamp is SOURCE_DATE_EPOCH (default: the time of the last commit), permissions are fixed.
# DIST_DIR overrides the output folder (default: dist/ of this checkout).
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 VERSION   (e.g. $0 \$(sed -n 's/^version=//p' metadata.txt))" >&2
  exit 2
fi
VERSION="$1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST_DIR="${DIST_DIR:-$ROOT/dist}"

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH="$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || true)"
fi
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-315532800}" # 1980-01-01, the earliest time a zip can store

PYTHON=""
for candidate in "$ROOT/.venv/bin/python" /usr/bin/python3 python3; do
  if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
done
[ -n "$PYTHON" ] || { echo "package.sh: no python3 found" >&2; exit 1; }

if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  dirty="$(git -C "$ROOT" status --porcelain --untracked-files=all -- metadata.txt __init__.py plugin.py \
    dependencies.py requirements.txt README.md LICENSE core processing ui resources 2>/dev/null | head -n 5)"
  if [ -n "$dirty" ]; then
    echo "package.sh: warning: packaging uncommitted changes, e.g.:" >&2
    echo "$dirty" | sed 's/^/    /' >&2
  fi
fi

mkdir -p "$DIST_DIR"
exec "$PYTHON" - "$ROOT" "$VERSION" "$DIST_DIR/ecozoning-$VERSION.zip" <<'PY'
import configparser
import os
import stat
import sys
import time
import zipfile

root, version, target = sys.argv[1:4]
PLUGIN = "ecozoning"
# What users need, relative to the repository root. Anything else (tests, benchmarks, scripts, .ci, build,
# caches, the venv, dotfiles) is left out.
FILES = ["metadata.txt", "__init__.py", "plugin.py", "dependencies.py", "requirements.txt", "README.md", "LICENSE"]
REQUIRED = {"metadata.txt", "__init__.py", "plugin.py", "dependencies.py"}
DIRS = ["core", "processing", "ui", "resources"]
SKIP_DIRS = {"__pycache__"}
SKIP_SUFFIXES = (".pyc", ".pyo", "~", ".orig", ".rej", ".swp", ".gpkg-wal", ".gpkg-shm", ".gpkg-journal")


def fail(message):
    sys.exit(f"package.sh: {message}")


metadata = configparser.ConfigParser(interpolation=None)
metadata.read(os.path.join(root, "metadata.txt"), encoding="utf-8")
declared = metadata.get("general", "version", fallback="").strip()
if declared != version:
    fail(f"metadata.txt declares version {declared!r} but {version!r} was asked for; bump metadata.txt first")

members = []
for name in FILES:
    path = os.path.join(root, name)
    if os.path.isfile(path):
        members.append(name)
    elif name in REQUIRED:
        fail(f"{name} is missing")
    elif name == "LICENSE":
        print("package.sh: warning: no LICENSE file; plugins.qgis.org refuses zips without ecozoning/LICENSE",
              file=sys.stderr)
for top in DIRS:
    base = os.path.join(root, top)
    if not os.path.isdir(base):
        continue
    for folder, dirnames, filenames in os.walk(base):  # does not follow directory symlinks
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS]
        for filename in filenames:
            if filename.startswith(".") or filename.endswith(SKIP_SUFFIXES):
                continue
            path = os.path.join(folder, filename)
            if os.path.islink(path) and not os.path.isfile(path):
                continue  # dangling link
            members.append(os.path.relpath(path, root).replace(os.sep, "/"))

# Every Python file must at least compile: a syntax error would only show up when a user enables the plugin.
for name in members:
    if name.endswith(".py"):
        with open(os.path.join(root, name), "rb") as handle:
            try:
                compile(handle.read(), name, "exec")
            except SyntaxError as error:
                fail(f"{name}:{error.lineno}: {error.msg}")

epoch = max(int(os.environ["SOURCE_DATE_EPOCH"]), 315532800)
stamp = time.gmtime(epoch)[:6]
folders = set()
for name in members:
    parts = name.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        folders.add("/".join(parts[:depth]))

entries = [(f"{PLUGIN}/", None)] + [(f"{PLUGIN}/{d}/", None) for d in folders]
entries += [(f"{PLUGIN}/{m}", m) for m in members]
entries.sort(key=lambda entry: entry[0])

tmp = target + ".part"
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for arcname, source in entries:
        info = zipfile.ZipInfo(arcname, date_time=stamp)
        info.create_system = 3  # unix, so that the permission bits below are honoured
        if source is None:
            info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10
            archive.writestr(info, b"")
        else:
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(os.path.join(root, source), "rb") as handle:
                archive.writestr(info, handle.read(), compresslevel=9)
os.replace(tmp, target)
print(f"{target}: {len(members)} files, version {version}")
PY
