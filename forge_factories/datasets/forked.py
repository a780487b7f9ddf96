"""``fn(0), fn(1), ...`` in order, some of them computed in forked worker processes.

For work items that are pure functions of their index (column-wise chunks: each draws from
generators seeded by its chunk number, see :func:`~forge_factories.datasets.rowbuild.chunk_rng`)
the results do not depend on which process computed them, so :func:`ordered_map` gives the
same sequence with or without workers.

Scheduling: items are handed out in increasing order. Each worker keeps up to two items
queued; the caller's process computes the item it needs next itself when no worker holds it,
and, while the worker holding it is busy, takes the next free item (at most a few finished
items wait in memory). A worker writes each result (``bytes``) to a file in a private
temporary folder and tells the caller through a pipe; results travel as files so that a
worker never waits for the caller to read.

Workers are ``os.fork()`` children: they see the caller's memory as it was at the fork and
end with ``os._exit`` (no ``atexit`` handler, no finalizer: a connection object inherited
from the caller is never closed or used by them). Where ``fork`` is not available (Windows)
or would not pay (fewer than two items), or while other threads run (a forked child gets the
calling thread only, and any lock another thread held stays held), everything runs in the
caller's process.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import struct
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

from forge_factories.common.errors import ForgeError

_MSG = struct.Struct("!qq")  # item index (-1: stop), payload length (-1: the item failed)
#: Items queued per worker.
AHEAD = 2
#: Finished items that may wait in the caller's memory for their turn.
BUFFERED = 3


class WorkerError(ForgeError):
    """A forked worker failed computing an item (its traceback is in the message)."""


def default_workers() -> int:
    """Worker processes to use: one less than the CPUs this process may run on (at most 3)."""
    if not hasattr(os, "fork") or sys.platform == "win32":
        return 0
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(0, min(cpus - 1, 3))


@dataclass
class _Worker:
    pid: int
    tasks: int  # fd the caller writes item numbers to
    results: int  # fd the caller reads notices from
    pending: list[int] = field(default_factory=list)


def _read_exact(fd: int, size: int) -> bytes:
    parts: list[bytes] = []
    while size:
        part = os.read(fd, size)
        if not part:
            raise EOFError("pipe closed")
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _serve(fn: Callable[[int], bytes], tasks: int, results: int, folder: str) -> None:
    """The worker's loop: compute each item it is given, until told to stop."""
    while True:
        index, _ = _MSG.unpack(_read_exact(tasks, _MSG.size))
        if index < 0:
            return
        path = os.path.join(folder, f"{index}.bin")
        try:
            data = fn(index)
            size = len(data)
        except BaseException:  # noqa: BLE001 - reported to the caller, which raises it
            data = traceback.format_exc().encode("utf-8", "replace")
            size = -1
        with open(path, "wb") as fh:
            fh.write(data)
        _write_all(results, _MSG.pack(index, size))
        if size < 0:
            return


def _start(fn: Callable[[int], bytes], folder: str) -> _Worker:
    task_r, task_w = os.pipe()
    result_r, result_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the worker: never returns into the caller's code
        code = 0
        try:
            os.close(task_w)
            os.close(result_r)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _serve(fn, task_r, result_w, folder)
        except BaseException:  # noqa: BLE001 - the caller sees the closed pipe
            code = 1
        finally:
            os._exit(code)
    os.close(task_r)
    os.close(result_w)
    return _Worker(pid, task_w, result_r)


def _receive(worker: _Worker, folder: str) -> tuple[int, bytes]:
    try:
        index, size = _MSG.unpack(_read_exact(worker.results, _MSG.size))
    except EOFError:
        raise WorkerError("a forked worker ended without its result") from None
    worker.pending.remove(index)
    path = os.path.join(folder, f"{index}.bin")
    with open(path, "rb") as fh:
        data = fh.read()
    os.unlink(path)
    if size < 0:
        raise WorkerError(f"a forked worker failed on item {index}:\n{data.decode('utf-8', 'replace')}")
    return index, data


def _ready(worker: _Worker) -> bool:
    return bool(select.select([worker.results], [], [], 0)[0])


def _stop(workers: list[_Worker], folder: str) -> None:
    for worker in workers:
        with contextlib.suppress(OSError):
            if worker.pending:
                os.kill(worker.pid, signal.SIGKILL)  # abandoned work: no need to finish it
            else:
                _write_all(worker.tasks, _MSG.pack(-1, 0))
        for fd in (worker.tasks, worker.results):
            with contextlib.suppress(OSError):
                os.close(fd)
    for worker in workers:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker.pid, 0)
    shutil.rmtree(folder, ignore_errors=True)


def ordered_map(fn: Callable[[int], bytes], count: int, *,
                workers: int | None = None) -> Generator[bytes, None, None]:
    """``fn(i)`` for ``i`` in ``range(count)``, in order, computed by this process and up to
    ``workers`` forked ones (default :func:`default_workers`; ``0``: this process only).

    ``fn`` must be a pure function of ``i`` (its result must not depend on what this process
    computed before), as the items are shared out by timing. A worker's exception is raised
    here as :class:`WorkerError`. Closing the iterator early ends the workers.
    """
    if workers is None:
        workers = default_workers()
    workers = min(workers, count - 1) if hasattr(os, "fork") else 0
    if threading.active_count() > 1:  # a fork copies this thread only: a lock another one holds would stay held
        workers = 0
    if workers <= 0:
        for index in range(count):
            yield fn(index)
        return
    shm = "/dev/shm"
    folder = tempfile.mkdtemp(prefix="forge-forked-", dir=shm if os.path.isdir(shm) else None)
    procs: list[_Worker] = []
    try:
        for _ in range(workers):
            procs.append(_start(fn, folder))  # one by one: a failed fork still stops those started
        owner: dict[int, _Worker] = {}
        done: dict[int, bytes] = {}
        free = 0  # the next item nobody holds

        def top_up() -> None:
            nonlocal free
            for worker in procs:
                while len(worker.pending) < AHEAD and free < count:
                    _write_all(worker.tasks, _MSG.pack(free, 0))
                    worker.pending.append(free)
                    owner[free] = worker
                    free += 1

        for index in range(count):
            while index not in done:
                if index == free:  # nobody holds it: compute it here, the workers take the next ones
                    free += 1
                    top_up()
                    done[index] = fn(index)
                    continue
                worker = owner[index]
                top_up()
                if free < count and len(done) < BUFFERED and not _ready(worker):
                    mine = free  # the worker is busy: take the next free item meanwhile
                    free += 1
                    done[mine] = fn(mine)
                    continue
                got, data = _receive(worker, folder)
                del owner[got]
                done[got] = data
            yield done.pop(index)
    finally:
        _stop(procs, folder)
