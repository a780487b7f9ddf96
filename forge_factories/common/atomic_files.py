"""Files that are whole or absent: a temporary beside the target, renamed after a clean close.

:class:`AtomicFile` buffers text, writes it with ``os.write`` and remembers the last byte
offset that ends a complete record (:meth:`AtomicFile.mark`), so a writer that fails half
way (disk full, file-size limit) can cut the file back to whole records. The temporary's
name carries the writing process's id; temporaries of processes that are gone are removed
the next time the same target is written.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from pathlib import Path

from forge_factories.common.errors import ForgeError

#: Bytes buffered before a write to the file (always flushed at a record boundary).
BUFFER_SIZE = 1 << 20


class ExportError(ForgeError, ValueError):
    """Records cannot be written as asked (unknown format, unwritable path, bad record)."""


def is_special_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` exists and is neither a regular file nor a directory (``/dev/null``,
    ``/dev/stdout``, a named pipe): such a target is written in place, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, owned by someone else
        return True
    return True


def temp_name(target: Path) -> Path:
    """A fresh temporary path beside ``target``: ``.NAME.PID.TOKEN.tmp``."""
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def clean_stale(target: Path) -> list[Path]:
    """Remove the temporaries of ``target`` left by processes that no longer run; returns them."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)(?:\.[0-9a-f]+)?\.tmp")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent if str(target.parent) else "."))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


class AtomicFile:
    """A UTF-8 text file written under a temporary name and moved into place by :meth:`commit`.

    :meth:`write` buffers text; :meth:`mark` says the text so far ends a record. The data
    reaches the file in whole records only, is fsynced before the rename, and any failure
    of the commit removes the temporary and leaves the target untouched. A special target
    (a device or a named pipe, see :func:`is_special_file`) is written directly: renaming
    a file onto ``/dev/null`` would replace the device.
    """

    def __init__(self, path: str | os.PathLike[str], *, buffer_size: int | None = None) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise ExportError(f"cannot write {os.fspath(path)!r}: it is a directory")
        self.tmp: Path | None = None
        if not is_special_file(self.path):
            clean_stale(self.path)
            self.tmp = temp_name(self.path)
        flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
        if self.tmp is not None:
            flags |= os.O_CREAT | os.O_EXCL
        try:
            self.fd = os.open(self.tmp or self.path, flags, 0o666)
        except OSError as exc:
            raise ExportError(f"cannot write {os.fspath(path)!r}: {exc.strerror or exc}") from None
        self.buffer_size = BUFFER_SIZE if buffer_size is None else buffer_size
        self._parts: list[str] = []
        self._size = 0
        #: Bytes in the file that end at a record boundary, and the records they hold.
        self.boundary = 0
        self.records = self._marked = 0
        #: The I/O error that broke the file, if any (nothing more is written after it).
        self.failed: OSError | None = None
        self.done = False

    def write(self, text: str) -> int:
        """Buffer ``text`` (written to the file at the next record boundary past the buffer size)."""
        self._parts.append(text)
        self._size += len(text)
        return len(text)

    def write_record(self, text: str, records: int) -> None:
        """``write(text)`` then ``mark(records)`` in one call (the writers' hot path)."""
        self._parts.append(text)
        self._size += len(text)
        self._marked = records
        if self._size >= self.buffer_size:
            self.flush()

    def mark(self, records: int) -> None:
        """The text written so far ends record number ``records``: a safe place to cut the file."""
        self._marked = records
        if self._size >= self.buffer_size:
            self.flush()

    def flush(self) -> None:
        """Write the buffered text (which must end at a record boundary) to the file."""
        if self.failed is not None:
            raise self.failed
        if not self._parts:
            return
        data = "".join(self._parts).encode("utf-8")
        self._parts.clear()
        self._size = 0
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self.fd, view):]
        except OSError as exc:
            self.failed = exc
            raise
        self.boundary += len(data)
        self.records = self._marked

    def rewind(self) -> bool:
        """Drop buffered text and cut the file back to its last record boundary (``False`` when a
        special file cannot be cut)."""
        self._parts.clear()
        self._size = 0
        try:
            os.ftruncate(self.fd, self.boundary)
            os.lseek(self.fd, self.boundary, os.SEEK_SET)
        except OSError:
            return False
        self.failed = None
        return True

    def overwrite(self, offset: int, text: str) -> None:
        """Write ``text`` at ``offset`` of the file (a header reserved earlier)."""
        data = text.encode("utf-8")
        written = 0
        while written < len(data):
            written += os.pwrite(self.fd, data[written:], offset + written)

    def commit(self) -> None:
        """Flush, fsync, close and move the file to its final name.

        A failed write leaves the file open (to be rewound or discarded); any later failure
        removes the temporary and raises."""
        if self.done:
            return
        self.flush()  # a write error here leaves the file open: see rewind()
        try:
            if self.tmp is not None:
                os.fsync(self.fd)
            fd, self.fd = self.fd, -1
            os.close(fd)
            if self.tmp is not None:
                os.replace(self.tmp, self.path)
                _fsync_dir(self.path.parent)
        except BaseException:
            self.discard()
            raise
        self.done = True

    def discard(self) -> None:
        """Close and delete the temporary file (the target is left untouched)."""
        if self.done:
            return
        self.done = True
        self._parts.clear()
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1
        if self.tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.tmp)


    def __del__(self) -> None:
        if not getattr(self, "done", True):  # dropped unfinished: never a stray temporary
            self.discard()


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (best effort: some file systems refuse a directory fsync)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory if str(directory) else ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
