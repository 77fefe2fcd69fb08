"""EcoZoning 生态环境分区管控: QGIS plugin entry point."""


def classFactory(iface):  # noqa: N802 (QGIS API name)
    """Return the plugin instance; ``iface`` is None under qgis_process."""
    from .plugin import EcoZoningPlugin

    return EcoZoningPlugin(iface)
