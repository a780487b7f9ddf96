"""Make objects whose rows were just INSERTed persistent in a session, as a flush would.

After a Core executemany wrote the rows, the objects must end in the state ``Session.add``
+ ``Session.flush`` leaves them in: in the identity map, primary key set, committed state
clean, and recorded as *new in the current transaction*, so that a rollback (of the
transaction or of an enclosing SAVEPOINT) expunges them back to transient like any
flushed object. No public API does that last part: ``make_transient_to_detached`` +
``Session.add`` attaches them as pre-existing rows (a rollback only expires them, and their
rows are gone), and ``Session.merge`` copies them.

So this module performs the two steps of a flush on the objects through the two session
methods the flush itself uses, SQLAlchemy 2.0 and 2.1:

* ``Session._save_impl(state)``: what ``Session.add`` does to a transient object once its
  save-update cascade is walked (``before_attach``, ``after_attach`` and
  ``transient_to_pending`` events, entry in ``Session.new``). The callers only use this
  when that cascade has nothing to add: no loaded related object outside the session.
* ``Session._register_persistent(states)``: what ``UOWTransaction.finalize_flush_changes``
  calls after the INSERTs (identity key, identity map, committed state, ``pending_to_persistent``
  event, registration as new in the transaction).

Both are semi-private; :func:`attach_supported` checks they exist (a SQLAlchemy that lacks
them makes the caller fall back to the unit of work) and ``tests/orm/test_alchemy_attach.py``
checks, on every backend, that the result is indistinguishable from ``add`` + ``flush``.
Skipping ``Session.add``'s cascade walk and its per-object ``Session.add`` overhead halves
the cost of making 10,000 objects persistent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def attach_supported(session: Any) -> bool:
    """Whether ``session`` has the flush steps :func:`attach_as_flushed` relies on."""
    return callable(getattr(session, "_save_impl", None)) and callable(getattr(session, "_register_persistent", None))


def attach_as_flushed(session: Any, states: Sequence[Any]) -> None:
    """Move transient ``states`` (rows already inserted, primary keys set) to persistent in ``session``.

    The states' save-update cascade must have nothing to add (no loaded related object
    outside ``session``); the caller checks it. Same events, identity map entries and
    transaction bookkeeping as ``session.add(obj)`` followed by a flush that inserted them.
    """
    save = session._save_impl
    for state in states:
        save(state)
    session._register_persistent(set(states))
