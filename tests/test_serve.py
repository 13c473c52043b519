"""`make serve`: production settings, gunicorn with several workers and the task worker; TERM
stops every process it started."""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 — our own local server
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def group_is_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def served(tmp_path):
    """`make serve` on a fresh SQLite database and a free port, as production would start it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "REDIS_URL", "DATABASE_URL")}
    env |= {
        "SECRET_KEY": "a-test-key-that-is-long-enough-for-the-deploy-checks",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    make = subprocess.Popen(  # noqa: S603 — make and our own Makefile
        ["make", "--no-print-directory", "serve"],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    health: dict = {}
    while time.monotonic() < deadline and health.get("worker") != "ok":
        time.sleep(0.5)
        try:
            health = json.loads(get(f"{base}/healthz")[1])
        except (OSError, ValueError):
            continue
    yield make, base, health
    if group_is_alive(make.pid):
        os.killpg(make.pid, signal.SIGKILL)
    make.wait(timeout=10)


# One start serves both checks: starting (migrate, collectstatic, gunicorn) takes several seconds.
def test_it_serves_with_the_task_worker_and_term_stops_everything_it_started(served):
    make, base, health = served
    assert health["status"] == "ok"
    assert health["worker"] == "ok"
    status, body = get(f"{base}/bestaat-niet/")
    assert status == 404
    assert "URLconf" not in body  # DEBUG is off unless the environment turns it on
    make.send_signal(signal.SIGTERM)
    make.wait(timeout=30)
    deadline = time.monotonic() + 30
    while group_is_alive(make.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not group_is_alive(make.pid)
