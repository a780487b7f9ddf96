"""The two kinds of parent pool the FK registry keeps per model.

* :class:`ObjectPool`: objects that live only in memory (plain factories, ``build``). The
  registry holds them; with a limit it keeps a uniform sample of everything registered.
* :class:`RowPool`: rows saved in one database. Only their primary keys are kept (an
  ``array`` of 8-byte ints for integer keys), so a million parents cost about 8 MB. A pick
  draws a position with the seeded generator (O(1) whatever the pool's size) and the row is
  loaded in the caller's current session or database, together with the rows of the next
  draws (one ``SELECT ... WHERE pk IN (...)`` per :data:`LOAD_BATCH` picks). A key that no
  longer loads (a rolled-back or deleted row) is dropped from the pool.
"""

from __future__ import annotations

import random
from array import array
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Protocol

#: Rows loaded together: the picked one and those of the next draws.
LOAD_BATCH = 256


class RowSource(Protocol):
    """Where a row pool's keys are loaded from: one session (SQLAlchemy) or database alias (Django)."""

    #: Identifies the session / connection the loaded objects belong to.
    token: Hashable

    def load(self, keys: Sequence[Any]) -> Mapping[Any, Any]:
        """The objects whose primary keys are in ``keys`` (missing keys are left out)."""

    def scan(self) -> Iterable[Any]:
        """Every primary key of the table, in key order (read in chunks)."""


class ObjectPool:
    """In-memory parents of one model: each object once, oldest first (a sample past ``limit``)."""

    __slots__ = ("objects", "_ids", "_seen", "_sampler")

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self._ids: set[int] = set()
        self._seen = 0  # objects offered, for the reservoir sample past the limit
        self._sampler: random.Random | None = None  # seeded on first use past the limit

    def add(self, obj: Any, limit: int | None, rng: Callable[[], random.Random]) -> None:
        """Keep ``obj`` (once); past ``limit``, keep a uniform sample of all objects offered."""
        key = id(obj)
        if key in self._ids:
            return
        self._seen += 1
        if limit is None or len(self.objects) < limit:
            self.objects.append(obj)
            self._ids.add(key)
            return
        if self._sampler is None:
            self._sampler = rng()
        slot = self._sampler.randrange(self._seen)
        if slot < limit:
            self._ids.discard(id(self.objects[slot]))
            self.objects[slot] = obj
            self._ids.add(key)

    def __len__(self) -> int:
        return len(self.objects)

    def truncate(self, size: int) -> None:
        """Forget objects registered after the pool had ``size`` of them."""
        for obj in self.objects[size:]:
            self._ids.discard(id(obj))
        del self.objects[size:]
        self._seen = min(self._seen, size)
        self._sampler = None


class RowPool:
    """Primary keys of the saved rows of one model in one database."""

    __slots__ = ("keys", "dead", "scanned", "_buffer", "_buffer_size", "_loaded", "_loaded_for")

    def __init__(self) -> None:
        self.keys: array[int] | list[Any] = array("q")
        self.dead: set[int] = set()  # positions whose row no longer loads
        self.scanned = False  # keys were read from the table itself
        self._buffer: deque[int] = deque()  # positions drawn ahead
        self._buffer_size = -1  # pool size the buffer was drawn for
        self._loaded: dict[Any, Any] = {}  # key -> object, for the buffer's rows
        self._loaded_for: Hashable = None

    def __len__(self) -> int:
        return len(self.keys) - len(self.dead)

    def add(self, key: Any) -> None:
        """Remember one saved row's primary key."""
        keys = self.keys
        if isinstance(keys, array):
            if type(key) is int and -(2**63) <= key < 2**63:
                keys.append(key)
                return
            self.keys = keys = list(keys)
        keys.append(key)

    def replace(self, keys: Iterable[Any]) -> None:
        """Make the pool the given keys (the table's rows, read by primary key)."""
        self.keys = array("q")
        self.dead = set()
        for key in keys:
            self.add(key)
        self.scanned = True
        self.forget_loaded()

    def truncate(self, size: int) -> None:
        """Forget keys registered after the pool had ``size`` positions (a rollback)."""
        del self.keys[size:]
        self.dead = {p for p in self.dead if p < size}
        self.forget_loaded()

    def forget_loaded(self) -> None:
        """Drop draws made ahead and the objects loaded for them."""
        self._buffer.clear()
        self._buffer_size = -1
        self._loaded = {}
        self._loaded_for = None

    def live_keys(self) -> list[Any]:
        """The keys of every position not known to be dead, in registration order."""
        dead = self.dead
        return [k for p, k in enumerate(self.keys) if p not in dead]

    def pick(self, source: RowSource, rng: Callable[[], random.Random]) -> Any:
        """A row drawn uniformly (seeded), loaded in ``source``'s session; ``None`` when none loads."""
        if self._loaded_for != source.token:
            self.forget_loaded()
            self._loaded_for = source.token
        while len(self) > 0:
            if self._buffer_size != len(self.keys) or not self._buffer:
                self._draw(rng())
            pos = self._buffer.popleft()
            if pos in self.dead:
                continue
            key = self.keys[pos]
            if key not in self._loaded:
                self._load(source, pos)
            obj = self._loaded.get(key)
            if obj is not None:
                return obj
        return None

    def _draw(self, chooser: random.Random) -> None:
        size = len(self.keys)
        self._buffer = deque(chooser.randrange(size) for _ in range(LOAD_BATCH))
        self._buffer_size = size
        if len(self._loaded) > 4 * LOAD_BATCH:  # keep a small pool's rows; a large one's, per buffer
            self._loaded = {}

    def _load(self, source: RowSource, first: int) -> None:
        wanted: dict[Any, list[int]] = {self.keys[first]: [first]}
        for pos in self._buffer:
            if pos in self.dead:
                continue
            key = self.keys[pos]
            if key not in self._loaded:
                wanted.setdefault(key, []).append(pos)
        found = source.load(list(wanted))
        for key, positions in wanted.items():
            obj = found.get(key)
            if obj is None:
                self.dead.update(positions)
                self._loaded.pop(key, None)
            else:
                self._loaded[key] = obj
