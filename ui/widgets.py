"""Small widgets the docks share."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton


def add_busy_row(layout, cancel_text: str):
    """A hidden progress bar and cancel button for long work, and a status line; returns the three."""
    busy = QHBoxLayout()
    progress = QProgressBar()
    progress.setRange(0, 100)
    progress.hide()
    cancel = QToolButton()
    cancel.setText(cancel_text)
    cancel.hide()
    status = QLabel()
    status.setWordWrap(True)
    busy.addWidget(progress)
    busy.addWidget(cancel)
    layout.addLayout(busy)
    layout.addWidget(status)
    return progress, cancel, status
