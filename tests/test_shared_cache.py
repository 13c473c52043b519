"""Rate limits are shared by every process: the database cache by default, Redis with REDIS_URL."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS_TEST_URL = "redis://127.0.0.1:6379/2"

# One app-server process: a visitor from the school's address guesses wrong `argv[1]` times with
# a session of its own; the process then prints what the next visitor from there would get.
GUESSER = """
import sys
import django
django.setup()
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from digisnap.core.ratelimit import GuessLimits, guess_record_wrong, guess_verdict

limits = GuessLimits(per_guesser=100, per_address=6, window_seconds=900)
def visitor():
    request = RequestFactory().post("/join/", REMOTE_ADDR="198.51.100.7")
    request.user, request.session = AnonymousUser(), SessionStore()
    return request
for _guess in range(int(sys.argv[1])):
    guess_record_wrong(visitor(), action=sys.argv[2], limits=limits)
print(guess_verdict(visitor(), action=sys.argv[2], limits=limits).value)
"""


def redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def run(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 — our own interpreter and scripts
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def server_env(tmp_path_factory) -> dict:
    """The environment of an app server on a fresh SQLite database, migrated from scratch."""
    database = tmp_path_factory.mktemp("shared") / "shared.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env |= {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{database}"}
    run(env, "manage.py", "migrate", "--no-input", "-v", "0")
    return env


def test_two_processes_count_against_one_limit_in_the_database_cache(server_env):
    action = f"test-{uuid.uuid4().hex}"
    assert run(server_env, "-c", GUESSER, "3", action) == "open"
    # The second process sees the first one's three guesses: six in all, the address is used up.
    assert run(server_env, "-c", GUESSER, "3", action) == "defer"


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_two_processes_count_against_one_limit_in_redis(server_env):
    env = server_env | {"REDIS_URL": REDIS_TEST_URL}
    action = f"test-{uuid.uuid4().hex}"
    assert run(env, "-c", GUESSER, "3", action) == "open"
    assert run(env, "-c", GUESSER, "3", action) == "defer"
