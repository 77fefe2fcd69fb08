#!/usr/bin/env bash
# Source this: environment for running qgis_process.bin / QGIS headless with this checkout as the plugin.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$_root/build/plugins" "$_root/build/qgis-profile"
ln -sfn "$_root" "$_root/build/plugins/ecozoning"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
export QGIS_PLUGINPATH="$_root/build/plugins"
export QGIS_CUSTOM_CONFIG_PATH="$_root/build/qgis-profile"
_site="$(ls -d "$_root"/.venv/lib/python3*/site-packages 2>/dev/null | head -n 1)"
export PYTHONPATH="${_site}${PYTHONPATH:+:$PYTHONPATH}"
export QGIS_PROCESS="/usr/bin/qgis_process.bin"
