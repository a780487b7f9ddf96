"""The two kinds of parent pool the FK registry keeps per model.

* :class:`ObjectPool`: objects that live only in memory (plain factories, ``build``), held by
  weak reference: the registry never keeps them alive. With a limit it keeps a uniform sample
  of everything registered.
* :class:`RowPool`: rows saved in one database. Only their primary keys are kept (an
  ``array`` of 8-byte ints for integer keys), so a million parents cost about 8 MB. A pick
  draws a position with the seeded generator (O(1) whatever the pool's size) and the row is
  loaded in the caller's current session or database, together with the rows of the next
  draws (one ``SELECT ... WHERE pk IN (...)`` per :data:`LOAD_BATCH` picks). A key that no
  longer loads (a rolled-back or deleted row) is dropped from the pool.
"""

from __future__ import annotations

import random
import weakref
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


class _Held:
    """A strong handle on an object that takes no weak reference (bounded by the pool's limit)."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __call__(self) -> Any:
        return self.obj


def _value_of(obj: Any, attribute: str) -> Any:
    return getattr(obj, attribute, None)


class ObjectPool:
    """In-memory parents of one model, held by weak reference: each object once, oldest first.

    Past ``limit`` the pool keeps a uniform sample of all objects offered. An object the caller
    dropped leaves the pool (its slot is skipped, then swept). What children read of a parent by
    value (``Order.customer_id`` reads ``Customer.id``, see :meth:`read`) is kept as a value
    beside the reference, so it outlives the object. Objects without weak references are held,
    at most ``limit`` of them.
    """

    __slots__ = ("handles", "ids", "serials", "values", "_ids", "_seen", "_sampler", "_rng", "_next", "_sweep_at")

    def __init__(self, rng: Callable[[], random.Random] | None = None) -> None:
        #: Makes the seeded generator of the sample past the limit (on first use).
        self._rng = rng or random.Random
        self.handles: list[Callable[[], Any]] = []  # weakref.ref or _Held, per kept object
        self.ids: array[int] = array("q")  # id() of each kept object, to forget it when replaced
        self.serials: array[int] = array("q")  # registration number of each, for rollbacks
        self.values: dict[str, list[Any]] = {}  # attribute children read -> its value per kept object
        self._ids: dict[int, Callable[[], Any]] = {}
        self._seen = 0  # objects offered, for the reservoir sample past the limit
        self._sampler: random.Random | None = None  # seeded on first use past the limit
        self._next = 0
        self._sweep_at = 1024

    @property
    def objects(self) -> list[Any]:
        """The kept objects still alive, oldest first."""
        return [obj for obj in (h() for h in self.handles) if obj is not None]

    def add(self, obj: Any, limit: int | None, handle: Any = None) -> None:
        """Keep ``obj`` (once); past ``limit``, keep a uniform sample of all objects offered.

        ``handle`` is a weak reference (or holder) of ``obj`` to keep instead of a new one.
        """
        key = id(obj)
        known = self._ids.get(key)
        if known is not None and known() is obj:
            return
        if handle is None:
            try:
                handle = weakref.ref(obj)
            except TypeError:
                handle = _Held(obj)
        self._seen += 1
        serial, self._next = self._next, self._next + 1
        if limit is None or len(self.handles) < limit:
            if len(self.handles) >= self._sweep_at:
                self.sweep()
                self._sweep_at = max(1024, 2 * len(self.handles))
            self.handles.append(handle)
            self.ids.append(key)
            self.serials.append(serial)
            if self.values:
                for attribute, column in self.values.items():
                    column.append(_value_of(obj, attribute))
            self._ids[key] = handle
            return
        if self._sampler is None:
            self._sampler = self._rng()
        slot = self._sampler.randrange(self._seen)
        if slot < limit and slot < len(self.handles):
            old = self.ids[slot]
            if self._ids.get(old) is self.handles[slot]:
                del self._ids[old]
            self.handles[slot], self.ids[slot], self.serials[slot] = handle, key, serial
            for attribute, column in self.values.items():
                column[slot] = _value_of(obj, attribute)
            self._ids[key] = handle

    def read(self, attribute: str) -> None:
        """Keep ``attribute``'s value of every object from now on (children read it by value)."""
        if attribute not in self.values:
            self.values[attribute] = [_value_of(h(), attribute) if h() is not None else None for h in self.handles]

    def __len__(self) -> int:
        return len(self.handles)

    def pick(self, chooser: random.Random, usable: Callable[[Any], bool] | None = None) -> Any:
        """A live object drawn with ``chooser``; ``None`` if none is left.

        With every object alive (the caller kept them) this is one draw over the pool, so the
        pick depends on the seed alone; a dead slot is swept and the draw repeated.
        """
        if usable is not None:
            candidates = [obj for obj in self.objects if usable(obj)]
            return candidates[chooser.randrange(len(candidates))] if candidates else None
        while self.handles:
            obj = self.handles[chooser.randrange(len(self.handles))]()
            if obj is not None:
                return obj
            if self.values:  # slots of dead objects still hold values children read: keep them
                live = self.objects
                return live[chooser.randrange(len(live))] if live else None
            self.sweep()
        return None

    def pick_value(self, attribute: str, chooser: random.Random) -> Any:
        """The ``attribute`` value of a kept object (alive or not), drawn with ``chooser``."""
        self.read(attribute)
        column = self.values[attribute]
        known = [v for v in column if v is not None] if None in column else column
        return known[chooser.randrange(len(known))] if known else None

    def sweep(self) -> None:
        """Forget dead objects (unless children read values of them)."""
        if self.values:
            return
        keep = [i for i, h in enumerate(self.handles) if h() is not None]
        if len(keep) == len(self.handles):
            return
        self._keep(keep)

    def _keep(self, positions: list[int]) -> None:
        self.handles = [self.handles[i] for i in positions]
        self.ids = array("q", (self.ids[i] for i in positions))
        self.serials = array("q", (self.serials[i] for i in positions))
        self.values = {a: [c[i] for i in positions] for a, c in self.values.items()}
        self._ids = {self.ids[i]: h for i, h in enumerate(self.handles)}

    def mark(self) -> int:
        """A point to :meth:`truncate` back to."""
        return self._next

    def truncate(self, mark: int) -> None:
        """Forget objects registered since ``mark`` (a rollback)."""
        self._keep([i for i, s in enumerate(self.serials) if s < mark])
        self._seen = min(self._seen, len(self.handles))
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

    def mark(self) -> int:
        """A point to :meth:`truncate` back to."""
        return len(self.keys)

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
