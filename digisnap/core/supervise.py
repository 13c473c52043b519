"""Keep one child process running: start it again when it stops, stop it when we are stopped.

`manage.py worker --supervise` uses it so `make run` survives a crashed worker. Ctrl-C or
SIGTERM is passed on to the child, which is waited for, so no orphan is left behind.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from types import FrameType

logger = logging.getLogger(__name__)

FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 30.0
# A child that ran at least this long had not crashed on start-up: restart it quickly.
STEADY_SECONDS = 60.0


def supervise(command: Sequence[str], *, first_delay: float = FIRST_DELAY_SECONDS) -> int:
    """Run `command` until we receive SIGINT or SIGTERM; returns the exit status for the shell."""
    stopping = threading.Event()
    child: subprocess.Popen | None = None

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    delay = first_delay
    try:
        while not stopping.is_set():
            started = time.monotonic()
            # Its own process group: a Ctrl-C reaches only us, and the child gets one SIGTERM
            # (a second signal would make db_worker abandon the task it is running).
            child = subprocess.Popen(command, process_group=0)  # noqa: S603 — our own command
            logger.warning("Supervisor started the worker (pid %d).", child.pid)
            status = child.wait()
            if stopping.is_set():
                break
            if time.monotonic() - started >= STEADY_SECONDS:
                delay = first_delay
            logger.warning(
                "The worker (pid %d) stopped with status %d; starting it again in %.0f s.",
                child.pid,
                status,
                delay,
            )
            stopping.wait(delay)
            delay = min(delay * 2, MAX_DELAY_SECONDS)
    finally:
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
