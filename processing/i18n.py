"""Translation glue: Qt's translator for our own strings, the catalogue of core/ for the messages core/ produces.

`translate(context, text)` is QCoreApplication.translate, except that a legacy bilingual source ("问题 Problems")
that has no translation shows its English half: a Chinese QGIS shows Chinese (the .qm), any other English.
`core_message(text)` translates a message of core/ (English) when QGIS runs in Chinese, from the ``core``
section of resources/i18n/zh_CN.yaml (see core/i18n.py).
"""

from __future__ import annotations

import os
from functools import lru_cache

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale

from ..core.i18n import MessageCatalogue, english_part

DICTIONARY = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "i18n", "zh_CN.yaml")


def user_language() -> str:
    locale = str(QgsSettings().value("locale/userLocale", "") or QLocale().name())
    return "zh" if locale.lower().startswith("zh") else "en"


def translate(context: str, text: str) -> str:
    translated = QCoreApplication.translate(context, text)
    return english_part(text) if translated == text else translated


@lru_cache(maxsize=2)
def _catalogue(path: str) -> MessageCatalogue:
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError):
        data = {}
    return MessageCatalogue(data.get("core") or {})


def core_message(text) -> str:
    """A message of core/ in the user's language (Chinese in a Chinese QGIS, else as core wrote it)."""
    text = "" if text is None else str(text)
    if user_language() != "zh":
        return text
    return _catalogue(DICTIONARY).translate(text)
