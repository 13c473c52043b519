"""`manage.py worker --supervise` (used by `make run`): a crashed worker is started again, and
stopping the supervisor stops its worker too, leaving no orphan process."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def wait_for(condition, *, seconds: float = 20.0) -> bool:
    """Poll until `condition()` holds; False if it never does (the assertion then says what)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that exited but was not reaped yet is a zombie: not running any more.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def started_pids(log: Path) -> list[int]:
    return [int(line) for line in log.read_text().split()] if log.exists() else []


def start_supervisor(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    """A supervisor whose child writes its pid and then waits, as a worker does."""
    log = tmp_path / "children.txt"
    child = (
        f"import os, time; open({str(log)!r}, 'a').write(f'{{os.getpid()}}\\n'); time.sleep(600)"
    )
    script = textwrap.dedent(
        f"""
        import sys
        from digisnap.core.supervise import supervise
        sys.exit(supervise([sys.executable, "-c", {child!r}], first_delay=0.1))
        """
    )
    supervisor = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT)  # noqa: S603
    return supervisor, log


def test_a_crashed_worker_is_started_again_and_stopping_leaves_no_orphan(tmp_path):
    supervisor, log = start_supervisor(tmp_path)
    try:
        assert wait_for(lambda: len(started_pids(log)) == 1), "the first worker never started"
        first = started_pids(log)[0]
        os.kill(first, signal.SIGKILL)  # the worker crashes
        assert wait_for(lambda: len(started_pids(log)) == 2), "the worker was not started again"
        second = started_pids(log)[1]
        assert second != first
        assert alive(second)

        supervisor.send_signal(signal.SIGTERM)  # what `make run` does on Ctrl-C
        assert supervisor.wait(timeout=20) == 0
        assert wait_for(lambda: not alive(second)), "the worker outlived its supervisor"
        assert len(started_pids(log)) == 2  # stopping is not mistaken for a crash
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        for pid in started_pids(log):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_ctrl_c_stops_the_supervisor_and_its_worker(tmp_path):
    supervisor, log = start_supervisor(tmp_path)
    try:
        assert wait_for(lambda: len(started_pids(log)) == 1), "the worker never started"
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=20) == 0
        assert wait_for(lambda: not alive(started_pids(log)[0]))
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        for pid in started_pids(log):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
