"""Run independent county tasks in parallel: local worker processes, or the workers of a Dask cluster.

``map_tasks(function, tasks, scheduler="")`` calls ``function(*task)`` for every task and yields
``(index, result)`` as tasks finish (in any order):

* ``scheduler`` empty: this machine. With more than one core and more than one task, worker *processes*
  (GEOS work in threads serialises on the GIL between calls: processes give ~1.9× on 2 cores where threads
  gave ~1.5×). They are spawned with an explicit Python interpreter, never ``sys.executable`` blindly: inside
  QGIS that can be the QGIS program itself (it is on Windows), which would start a second QGIS.
* ``scheduler`` ``tcp://host:port``: the tasks go to that ``dask.distributed`` scheduler's workers (the
  existing engine; nothing is scheduled here). Workers need the same Python packages as this process
  (shapely, numpy, pyyaml, dask/distributed of the same versions) and this plugin importable under the
  same package name (README: running a cluster).

``function`` must be a module-level function of this package (it is pickled by name), its arguments
picklable (shapely geometries pickle as WKB). Cancelling (``is_canceled()`` true) stops the local
processes or cancels the Dask futures within about a second, then raises :class:`CanceledError`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import EcoZoningError
from .geometry import cpu_count

POLL_S = 0.25  # how often a waiting run looks at is_canceled()


class CanceledError(EcoZoningError):
    """The user cancelled the run: no result."""


class SchedulerError(EcoZoningError):
    """The Dask scheduler given cannot be used (address, connection, missing package)."""


def python_executable() -> str:
    """A Python interpreter to run worker processes: $ECOZONING_PYTHON, else this process's interpreter when it
    is one (not a QGIS binary that embeds Python), else the python of its installation, else python3 on PATH."""
    explicit = os.environ.get("ECOZONING_PYTHON")
    if explicit:
        return explicit
    exe = Path(sys.executable or "")
    if exe.name.lower().startswith("python") and exe.exists():
        return str(exe)
    names = (
        ("python.exe", "pythonw.exe")
        if os.name == "nt"
        else (f"python{sys.version_info[0]}.{sys.version_info[1]}", "python3")
    )
    for prefix in (sys.exec_prefix, sys.base_exec_prefix):
        for sub in ("", "bin", "apps/Python3" + str(sys.version_info[1])):
            for name in names:
                candidate = Path(prefix) / sub / name
                if candidate.exists():
                    return str(candidate)
    found = shutil.which(names[-1])
    if not found:
        raise SchedulerError(
            "no Python interpreter found for the worker processes; set ECOZONING_PYTHON to one (or WORKERS=1)"
        )
    return found


def check_scheduler(address: str) -> str:
    """'' or a Dask scheduler address; anything else is refused with the form expected."""
    address = (address or "").strip()
    if address and not address.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise SchedulerError(
            f"SCHEDULER '{address}' is not a Dask scheduler address: write tcp://host:8786 (empty: this machine)"
        )
    return address


def map_tasks(
    function: Callable,
    tasks: list[tuple],
    scheduler: str = "",
    workers: int = 0,
    is_canceled: Callable[[], bool] = lambda: False,
) -> Iterator[tuple[int, object]]:
    scheduler = check_scheduler(scheduler)
    if scheduler:
        yield from _dask(function, tasks, scheduler, is_canceled)
        return
    workers = min(workers or cpu_count(), len(tasks))
    if workers <= 1:
        for n, task in enumerate(tasks):
            if is_canceled():
                raise CanceledError("cancelled")
            yield n, function(*task)
        return
    if _processes_usable():
        yield from _processes(function, tasks, workers, is_canceled)
    else:
        yield from _threads(function, tasks, workers, is_canceled)


def _processes_usable() -> bool:
    """Worker processes need geometries that pickle (shapely pickles as 4-dimensional WKB, which GEOS before
    3.12 refuses: QGIS 3.22's GEOS 3.11 inside QGIS) and a host that cancels them cleanly; inside QGIS (desktop,
    qgis_process) the counties run on threads, which GEOS frees from the GIL, as they always did."""
    import sys

    import shapely

    return shapely.geos_version >= (3, 12, 0) and "qgis.core" not in sys.modules


def _threads(function, tasks, workers: int, is_canceled) -> Iterator[tuple[int, object]]:
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = {pool.submit(function, *task): n for n, task in enumerate(tasks)}
        try:
            while pending:
                done, _ = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
                if is_canceled():
                    raise CanceledError("cancelled")
                for future in done:
                    yield pending.pop(future), future.result()
        finally:
            for future in pending:
                future.cancel()  # tasks not started yet; running ones finish their county


def _processes(function, tasks, workers: int, is_canceled) -> Iterator[tuple[int, object]]:
    import multiprocessing
    import multiprocessing.spawn
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("spawn")
    previous = getattr(multiprocessing.spawn, "_python_exe", None)
    context.set_executable(python_executable())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    finished = False
    try:
        with _main_not_reimported():
            pending = {pool.submit(function, *task): n for n, task in enumerate(tasks)}
        while pending:
            done, _ = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
            if is_canceled():
                raise CanceledError("cancelled")
            for future in done:
                yield pending.pop(future), future.result()
        finished = True
    finally:
        if not finished:  # cancelled, failed, or the consumer stopped: do not wait for the rest
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        if previous:
            context.set_executable(previous)


@contextlib.contextmanager
def _main_not_reimported():
    """Spawned children re-run the parent's main script unless it is guarded by ``if __name__ == "__main__"``
    (QGIS's console, qgis_process, a user's script often are not). The tasks need nothing from it (their
    functions are pickled by module name), so while the workers start the main module shows no file."""
    main = sys.modules.get("__main__")
    saved = {name: getattr(main, name) for name in ("__file__", "__spec__") if hasattr(main, name)}
    try:
        for name in saved:
            delattr(main, name) if name == "__file__" else setattr(main, name, None)
        yield
    finally:
        for name, value in saved.items():
            setattr(main, name, value)


def _dask(function, tasks, address: str, is_canceled) -> Iterator[tuple[int, object]]:
    try:
        from distributed import Client
    except ImportError as exc:
        raise SchedulerError(
            f"SCHEDULER {address} needs the Python package 'distributed' (pip install distributed): {exc}"
        ) from exc
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    futures = []
    try:
        # pure=False: every run computes, even when the same tasks were sent before
        token = _token()
        futures = [
            client.submit(function, *task, key=f"ecozoning-{token}-{n}", pure=False) for n, task in enumerate(tasks)
        ]
        pending = dict(enumerate(futures))
        while pending:
            if is_canceled():
                raise CanceledError("cancelled")
            done = [n for n, future in pending.items() if future.done()]
            if not done:
                time.sleep(POLL_S / 5)
            for n in done:
                yield n, pending.pop(n).result()  # re-raises a task's error here
    finally:
        if futures:
            client.cancel(futures)
        client.close()


def _token() -> str:
    return f"{os.getpid()}-{time.time_ns()}"
