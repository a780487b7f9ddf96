"""psycopg 3 internals: ``psycopg._copy_base.format_row_binary``, the row encoder of binary COPY.

``Copy.write_row`` encodes one row and buffers it; it needs the open ``COPY`` of a cursor.
Encoding rows to bytes away from the cursor (in a forked worker, see
:mod:`forge_factories.datasets.forked`) takes the function ``write_row`` calls, with a
``Transformer`` set to the target column types. The bytes are the tuples of PostgreSQL's
binary COPY format; the stream's header and trailer (:data:`COPY_HEADER`,
:data:`COPY_TRAILER`) are written by the caller, as PostgreSQL's documentation of the
format gives them, through the public ``Copy.write``.

Probe: the bytes of a row of an ``int4``, a ``text``, a ``NULL`` and a ``date`` equal the
tuple written out by hand from the format's documentation. Fallback: :func:`binary_rows`
returns ``None`` and the caller writes rows with ``Copy.write_row`` in one process (the
same rows, slower).
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from . import Probe

__all__ = ["COPY_HEADER", "COPY_TRAILER", "FORMAT_ROW_BINARY", "binary_rows"]

#: PostgreSQL's binary COPY header: the signature, a flags field and a header extension length (both 0).
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
#: The file trailer: a field count of -1.
COPY_TRAILER = struct.pack("!h", -1)


def _format_row_binary() -> Any:
    from psycopg import _copy_base

    return _copy_base.format_row_binary


def _encoder(context: Any, oids: Sequence[int]) -> Callable[[Iterable[Sequence[Any]]], bytes]:
    from psycopg.adapt import Transformer
    from psycopg.pq import Format

    tx = Transformer(context)
    tx.set_dumper_types(list(oids), Format.BINARY)
    format_row = _format_row_binary()

    def encode(rows: Iterable[Sequence[Any]]) -> bytes:
        out = bytearray()
        for row in rows:
            format_row(row, tx, out)
        return bytes(out)

    return encode


def _check() -> bool:
    encode = _encoder(None, [23, 25, 25, 1082])  # int4, text, text, date
    got = encode([(7, "ab", None, dt.date(2000, 1, 2))])
    expected = (struct.pack("!h", 4) + struct.pack("!ii", 4, 7) + struct.pack("!i", 2) + b"ab"
                + struct.pack("!i", -1) + struct.pack("!ii", 4, 1))  # dates: days since 2000-01-01
    return got == expected


FORMAT_ROW_BINARY = Probe("psycopg._copy_base.format_row_binary", _check)


def binary_rows(context: Any, oids: Sequence[int]) -> Callable[[Iterable[Sequence[Any]]], bytes] | None:
    """A function encoding rows to the tuples of a binary COPY into columns of type ``oids``
    (with the adapters of ``context``, a psycopg connection or ``None``), or ``None`` when the
    private encoder is not usable (the caller then writes rows with ``Copy.write_row``)."""
    if not FORMAT_ROW_BINARY():
        return None
    return _encoder(context, oids)
