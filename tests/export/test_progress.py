"""The progress bar (tqdm behind common.progress) draws on a terminal only."""

from __future__ import annotations

import io
import threading

from forge_factories.common.progress import Progress
from forge_factories.datasets.stream import create_stream

from .models import UserFactory


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_draws_on_a_terminal_only() -> None:
    tty, pipe = FakeTTY(), io.StringIO()
    for stream in (tty, pipe):
        bar = Progress(10, "users", stream=stream)
        for _ in range(10):
            bar.update()
        bar.close()
    assert "10/10" in tty.getvalue() and tty.getvalue().endswith("\n")
    assert "users: 100%|" in tty.getvalue()  # tqdm's rendering
    assert pipe.getvalue() == ""


def test_no_bar_object_or_thread_when_nothing_is_drawn() -> None:
    threads = threading.active_count()
    quiet = Progress(10_000, "rows", stream=FakeTTY(), threshold=20_000)  # a terminal, but a short run
    assert not quiet.enabled and quiet._bar is None
    loud = Progress(3, "rows", stream=FakeTTY(), enabled=True)
    loud.advance("UserFactory", 3)
    assert threading.active_count() == threads  # no tqdm monitor thread
    loud.close()
    assert loud._bar is None and not loud.enabled


def test_stream_progress_auto_is_off_without_terminal(capsys) -> None:  # type: ignore[no-untyped-def]
    list(create_stream(UserFactory, 50, progress=None))  # auto: stderr is captured, not a terminal
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    list(create_stream(UserFactory, 50, progress=True))  # forced
    captured = capsys.readouterr()
    assert "50/50" in captured.err and captured.out == ""
