"""The quick-screen dock's background work: reading the unit layer, the element zones and the library into the
spatial indexes of core/screening.py, through the one screening path of processing/screening_io.py."""

from __future__ import annotations

import time
import traceback
from typing import Optional

from qgis.core import QgsMessageLog, QgsTask

from ..core.lists import Library, LibraryError, load_library
from ..core.screening import Index
from ..processing.screening_io import PreparedLayer, UnitData, read_units, read_zones
from .list_model import tr


class IndexTask(QgsTask):
    """Builds the spatial indexes (and loads the library) in the background. Parts left None are kept as they
    are; `done(task, ok)` runs in the main thread. The layers come prepared (feature sources made on the main
    thread); every exception ends the task with its message instead of escaping on the worker thread."""

    def __init__(
        self, units: Optional[PreparedLayer], zones: Optional[list[PreparedLayer]], folder: Optional[str], done
    ):
        super().__init__(tr("建立研判索引 Indexing for quick screening"), QgsTask.Flag.CanCancel)
        self.units, self.zones, self.folder, self.done = units, zones, folder, done
        self.unit_data: Optional[UnitData] = None
        self.unit_index: Optional[Index] = None
        self.zone_index: Optional[Index] = None
        self.library: Optional[Library] = None
        self.error = ""
        self.seconds = 0.0
        self.parts: set[str] = set()

    def run(self):
        started = time.perf_counter()
        try:
            if self.units is not None:
                self.unit_data = read_units(self.units, self.isCanceled)
                if not self.unit_data.targets and not self.isCanceled():
                    raise ValueError(
                        tr("“{}”中没有带几何的单元 '{}' has no units with a geometry").format(
                            self.units.name, self.units.name
                        )
                    )
                self.unit_index = Index(self.unit_data.targets)
            self.setProgress(60)
            if self.zones:
                self.zone_index = Index(read_zones(self.zones, self.isCanceled))
            self.setProgress(80)
            if self.folder:
                self.library = load_library(self.folder)
        except (LibraryError, ValueError) as exc:
            self.error = str(exc)
            return False
        except Exception as exc:  # noqa: BLE001 - a worker thread must not let anything escape
            QgsMessageLog.logMessage(traceback.format_exc(), "EcoZoning")
            self.error = f"{type(exc).__name__}: {exc}"
            return False
        self.seconds = time.perf_counter() - started
        return not self.isCanceled()

    def finished(self, result):
        self.done(self, result)
