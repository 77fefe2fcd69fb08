#!/usr/bin/env bash
# `make demo`: the main job on the bundled sample (environment from scripts/qgis_env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python scripts/demo.py "$@"
