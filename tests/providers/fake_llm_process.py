"""The fake LLM server in a process of its own, for benchmarks.

In the same process as the client, the server's threads (parsing requests, rendering
replies) compete with the client for the GIL, a cost no remote API adds. Here the server
runs in a child process, driven over a pipe: ``url``, ``count()`` and ``reset()`` as on
:class:`~tests.providers.fake_llm_server.FakeLLMServer`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from multiprocessing.connection import Connection
from typing import Any

from .fake_llm_server import FakeLLMServer


def _serve(conn: Connection, latency: float) -> None:
    with FakeLLMServer(latency=latency) as server:
        conn.send(server.url)
        while True:
            command = conn.recv()
            if command == "count":
                conn.send(server.count())
            elif command == "reset":
                server.reset()
                conn.send(None)
            else:  # "stop"
                conn.send(None)
                return


class FakeLLMServerProcess:
    """``with FakeLLMServerProcess(latency=0.3) as server: server.url`` -- served by a child process."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self._conn: Connection | None = None
        self._process: Any = None
        self.url = ""

    def __enter__(self) -> FakeLLMServerProcess:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child, self.latency), daemon=True)
        self._process.start()
        child.close()
        try:
            if not self._conn.poll(30):
                raise EOFError
            self.url = self._conn.recv()
        except EOFError:
            self._process.kill()
            self._process.join()
            raise RuntimeError(
                f"the fake LLM server process did not start (exit code {self._process.exitcode}); "
                "a script that uses it needs an `if __name__ == '__main__':` guard"
            ) from None
        return self

    def _ask(self, command: str) -> Any:
        assert self._conn is not None, "use FakeLLMServerProcess as a context manager"
        self._conn.send(command)
        return self._conn.recv()

    def count(self) -> int:
        """Requests the server received since the last reset."""
        return int(self._ask("count"))

    def reset(self) -> None:
        """Forget the requests received so far."""
        self._ask("reset")

    def __exit__(self, *exc: Any) -> None:
        if self._process is None:
            return
        with contextlib.suppress(EOFError, OSError):  # the child already gone
            self._ask("stop")
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        assert self._conn is not None
        self._conn.close()
