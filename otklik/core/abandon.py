"""Long work a worker may abandon when asked to stop, because running it again is harmless.

`db_worker` stops gracefully: SIGTERM lets the current task finish. For a retraining that takes
a minute or two of a core that means a deployment or a test waits minutes for nothing — the
model file is replaced atomically at the end, so an abandoned run leaves the old model, and the
next periodic run trains again. Inside `abandoned_on_stop()` the stop signal still tells the
worker to stop after this task (its own handler runs first) and then raises `WorkAbandoned`,
which ends the task at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class WorkAbandoned(Exception):  # not an error: the work is dropped on purpose
    """Raised in the middle of abandonable work when the process is asked to stop."""


@contextmanager
def abandoned_on_stop(what: str) -> Iterator[None]:
    """Run the block so that SIGTERM or SIGINT abandon it (see the module's note).

    Only where a handler of the process is installed (the worker's): a command run by hand keeps
    the default behaviour of its signals. Signals are handled in the main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in STOP_SIGNALS}
    if not any(callable(h) for h in previous.values()):
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        handler = previous[signal.Signals(signum)]
        if callable(handler):
            handler(signum, frame)  # the worker learns it must stop after this task
        logging.getLogger(__name__).warning("остановка: %s прервано, повторится при следующем запуске", what)
        raise WorkAbandoned(what)

    for s in STOP_SIGNALS:
        signal.signal(s, stop)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
