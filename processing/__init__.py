"""QGIS Processing glue. Shadows ``qgis.processing`` when the repo root is on sys.path:
import QGIS's module as ``from qgis import processing``."""
