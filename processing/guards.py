"""Checks every algorithm makes before it computes anything (called from EcoZoningAlgorithm.processAlgorithm).

- An output that would overwrite one of the run's inputs is refused: a GeoPackage written by a sink is a new
  file, so `OUTPUT=` the input GeoPackage would replace all its layers by one.
- The folder of every file output exists (it is made) and can be written, so a run does not fail only after
  the whole computation.
"""

from __future__ import annotations

import os
import re
import tempfile

from qgis.core import (
    QgsMapLayer,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
    QgsProperty,
)

from .adapter import tr

_DBNAME = re.compile(r"dbname='?([^' ]+)'?")
_LAYER_OUTPUTS = (QgsProcessingParameterFeatureSink, QgsProcessingParameterVectorDestination)
_FILE_OUTPUTS = (QgsProcessingParameterFileDestination,)
_LAYER_INPUTS = (QgsProcessingParameterFeatureSource, QgsProcessingParameterVectorLayer)


def file_of(source: str) -> str:
    """The file a layer source or an output string refers to ('' for memory layers and databases)."""
    text = str(source or "").strip()
    if not text or text.startswith(("memory:", "TEMPORARY_OUTPUT")) or text == "memory":
        return ""
    if text.startswith(("ogr:", "ogr:dbname")):
        match = _DBNAME.search(text)
        text = match.group(1) if match else ""
    text = text.split("|")[0]
    if not text or "://" in text or text.startswith(("dbname=", "service=", "host=")):
        return ""
    return os.path.realpath(os.path.abspath(text))


def input_files(algorithm, parameters, context) -> dict[str, str]:
    """{real path: parameter name} of the files the run reads.

    Read from the parameter values, never by opening a layer: this runs in processAlgorithm, on the toolbox's
    worker thread, where loading a layer races the main thread (it crashed QGIS 3.22)."""
    found: dict[str, str] = {}
    for definition in algorithm.parameterDefinitions():
        name = definition.name()
        value = parameters.get(name)
        if value in (None, ""):
            continue
        if isinstance(definition, (*_LAYER_INPUTS, QgsProcessingParameterMultipleLayers)):
            values = value if isinstance(value, (list, tuple)) else [value]
            paths = [_layer_source(item, context) for item in values]
        elif isinstance(definition, QgsProcessingParameterFile):
            paths = [algorithm.parameterAsFile(parameters, name, context)]
        else:
            continue
        for path in paths:
            real = file_of(path)
            if real:
                found.setdefault(real, name)
    return found


def _layer_source(value, context) -> str:
    """The source string a layer parameter's value stands for: a layer of the project (by id or name), a
    source definition, or a path."""
    if isinstance(value, QgsProcessingFeatureSourceDefinition):
        value = value.source
    if isinstance(value, QgsProperty):
        value = value.staticValue()
    if isinstance(value, QgsMapLayer):
        return value.source()
    text = str(value or "")
    project = context.project() if context is not None else None
    if project is not None and text:
        layer = project.mapLayer(text)
        if layer is None:
            named = project.mapLayersByName(text)
            layer = named[0] if len(named) == 1 else None
        if layer is not None:
            return layer.source()
    return text


def output_files(algorithm, parameters, context) -> list[tuple[str, str]]:
    """[(parameter name, real path)] of the files the run writes (sinks without a table of their own)."""
    found = []
    for definition in algorithm.destinationParameterDefinitions():
        name = definition.name()
        value = parameters.get(name)
        if value in (None, ""):
            continue
        if isinstance(definition, _LAYER_OUTPUTS):
            path = algorithm.parameterAsOutputLayer(parameters, name, context)
            if "table=" in str(path) or "|layername=" in str(path):
                continue  # a new table in an existing database: the others stay
        elif isinstance(definition, _FILE_OUTPUTS):
            path = algorithm.parameterAsFileOutput(parameters, name, context)
        elif isinstance(definition, QgsProcessingParameterFolderDestination):
            path = algorithm.parameterAsFileOutput(parameters, name, context)
            if path:
                found.append((name, os.path.realpath(os.path.abspath(path)) + os.sep))
            continue
        else:
            continue
        real = file_of(path)
        if real:
            found.append((name, real))
    return found


def check_outputs(algorithm, parameters, context, extra_outputs=()) -> None:
    """Refuse outputs that are inputs; make and test the folders of the outputs."""
    inputs = input_files(algorithm, parameters, context)
    outputs = output_files(algorithm, parameters, context) + list(extra_outputs)
    for name, path in outputs:
        if path.endswith(os.sep):
            # an output folder is the algorithm's to make (and to leave unmade when it refuses the input):
            # test the nearest folder that exists
            folder = path.rstrip(os.sep)
            while folder and not os.path.exists(folder) and os.path.dirname(folder) != folder:
                folder = os.path.dirname(folder)
        else:
            if path in inputs:
                raise QgsProcessingException(
                    tr(
                        "The output {output} ({path}) is the input {input}: writing it would destroy the input. "
                        "Choose another file for {output}."
                    ).format(output=name, path=path, input=inputs[path])
                )
            folder = os.path.dirname(path)
        _writable(folder, name)


def _writable(folder: str, name: str) -> None:
    if not folder:
        return
    try:
        os.makedirs(folder, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".ecozoning-write-test-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise QgsProcessingException(
            tr(
                "The folder of output {output} ({folder}) cannot be written: {reason}. Choose a folder you may write to."
            ).format(output=name, folder=folder, reason=exc.strerror or exc)
        ) from None
