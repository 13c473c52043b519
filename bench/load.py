"""Benchmark: a team session and a sign-in storm from one address, on gunicorn with PostgreSQL.

Run from the project root:  .venv/bin/python bench/load.py [--teachers 150] [--speed 2]

The script serves the app the way `make serve` does (gunicorn with several workers plus the task
worker, DEBUG off, collected static files) on a free 127.0.0.1 port, on a bench database it drops,
creates and migrates itself (DATABASE_URL, default the `load_bench` database on the local
PostgreSQL; the name must contain "bench"). All simulated teachers come from one address, like a
school behind NAT, and use the real HTTP endpoints with cookies and CSRF tokens.

(a) team session: N teachers open the join link within `--arrival` seconds; half create an
    account, half sign in with an existing one; each starts the questionnaire, answers every item
    (one autosave POST per answer, after a think time of 4-12 s divided by `--speed`), posts every
    page, submits and opens the result. Prints
    `load: teachers=… answers_per_s=… p50_ms=… p95_ms=… p99_ms=… errors=… lost=…`:
    the percentiles are of the autosave POSTs; `lost` counts answers acknowledged with a 200
    that are not in the database with that level afterwards.
(b) sign-in storm: N other teachers sign in, spread evenly over `--storm-seconds` (default 60).
    Prints `login: teachers=… refused=… p95_ms=…` (refused: any answer but the redirect of a
    successful sign-in, e.g. 429).

Targets (issue 6): lost=0, errors=0, refused=0, answer p95 well under a second. The script
measures, it does not assert; it stops the servers it started by their process id.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/load_bench"
PASSWORD = "Een-sterk-wachtwoord-42"
THINK_SECONDS = (4.0, 12.0)  # a teacher reads a question and its six statements


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=150, help="teachers (default 150)")
    parser.add_argument(
        "--speed", type=float, default=2.0, help="think time divided by this (default 2)"
    )
    parser.add_argument(
        "--arrival", type=float, default=60.0, help="seconds over which the team arrives (60)"
    )
    parser.add_argument(
        "--storm-seconds", type=float, default=60.0, help="sign-in storm spread (default 60)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn workers (default 2×cores+1, as make serve)",
    )
    parser.add_argument("--seed", type=int, default=6, help="random seed (default 6)")
    parser.add_argument(
        "--only", choices=("load", "login"), help="run one scenario instead of both"
    )
    args = parser.parse_args(argv)
    if args.teachers < 1 or args.speed <= 0 or args.workers < 1:
        parser.error("--teachers and --workers must be ≥ 1, --speed > 0")
    return args


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"load: refusing to drop {name!r}; use a database whose name has 'bench'")
    admin_url = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_environment(tmp: Path, database_url: str) -> dict[str, str]:
    """Production settings as `make serve` gets them, minus HTTPS (plain HTTP on 127.0.0.1)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "REDIS_URL")}
    env |= {
        "DEBUG": "false",
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-for-production-checks",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "DIGISNAP_VAR_DIR": str(tmp),
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    }
    return env


def prepare(env: dict[str, str], teachers: int) -> str:
    """Migrate, collect static files, load the framework; a digisnap and accounts to sign in with.

    Returns the digisnap's code. Accounts share one password hash: hashing 300 passwords one by
    one would take minutes and measures nothing.
    """
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digisnap.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections

    from digisnap.accounts.models import User
    from digisnap.questionnaires.loader import latest_bundled
    from digisnap.questionnaires.services import framework_load
    from digisnap.schools.models import Institution, SchoolCommunity
    from digisnap.schools.services import digisnap_create

    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    framework_load(path=latest_bundled())
    community = SchoolCommunity.objects.create(name="Bench-scholengemeenschap")
    institution = Institution.objects.create(community=community, number="099999", name="Bench")
    digisnap = digisnap_create(institution=institution, name="Bench studiedag")
    password = make_password(PASSWORD)
    User.objects.bulk_create(
        [User(email=email, password=password) for email in existing_emails(teachers)]
    )
    connections.close_all()
    return digisnap.code


def existing_emails(teachers: int) -> list[str]:
    team = [f"team{n}@bench.example" for n in range(teachers) if n % 2]
    storm = [f"storm{n}@bench.example" for n in range(teachers)]
    return team + storm


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(env: dict[str, str], workers: int, log: Path) -> Iterator[str]:
    """gunicorn and the task worker, as `make serve` starts them; stopped by PID at the end."""
    port = free_port()
    bin_dir = Path(sys.executable).parent
    with log.open("w") as out:
        web = subprocess.Popen(  # noqa: S603 — our own virtual environment's gunicorn
            [str(bin_dir / "gunicorn"), "digisnap.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", str(workers), "--access-logfile", "-", "--no-control-socket"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(  # noqa: S603 — our own manage.py
            [sys.executable, "manage.py", "worker", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, web)
            yield base
        finally:
            for process in (web, worker):
                process.send_signal(signal.SIGTERM)
            for process in (web, worker):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def wait_until_healthy(base: str, web: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if web.poll() is not None:
            raise SystemExit("load: gunicorn ended before it served; see its log")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:  # noqa: S310
                if json.load(answer).get("worker") == "ok":
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise SystemExit("load: the server did not become healthy within 120 s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Answer:
    status: int
    url: str
    body: str
    ms: float


class Browser:
    """One teacher's browser: its own cookies; follows redirects unless told not to."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.following = urllib.request.build_opener(cookies)
        self.staying = urllib.request.build_opener(cookies, _NoRedirect)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def go(self, path: str, data: dict | None = None, *, follow: bool = True) -> Answer:
        url = path if path.startswith("http") else self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"X-CSRFToken": self.csrf(), "Referer": url} if data is not None else {}
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
        opener = self.following if follow else self.staying
        start = time.perf_counter()
        try:
            with opener.open(request, timeout=120) as answer:
                text, status, final = answer.read().decode(), answer.status, answer.geturl()
        except urllib.error.HTTPError as error:
            text, status = error.read().decode(errors="replace"), error.code
            final = error.headers.get("Location", error.geturl())
        return Answer(status, final, text, (time.perf_counter() - start) * 1000)

    def post(self, path: str, data: dict, *, follow: bool = True) -> Answer:
        return self.go(path, {"csrfmiddlewaretoken": self.csrf(), **data}, follow=follow)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    answer_ms: list[float] = field(default_factory=list)
    acknowledged: dict[tuple[int, int], int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    slow_at: list[float] = field(default_factory=list)  # when autosaves over a second ended

    def error(self, teacher: int, what: str, answer: Answer) -> None:
        with self.lock:
            self.errors.append(f"teacher {teacher}: {what}: {answer.status} {answer.url}")


class Unexpected(Exception):
    pass


def expect(tally: Tally, teacher: int, what: str, answer: Answer, ok: bool) -> Answer:
    if not ok:
        tally.error(teacher, what, answer)
        raise Unexpected
    return answer


def teacher_session(n: int, base: str, code: str, args, tally: Tally, rng: random.Random) -> None:
    browser = Browser(base)
    join = f"/join/{code}/"

    def think() -> None:
        time.sleep(rng.uniform(*THINK_SECONDS) / args.speed)

    signup = browser.go(join)
    expect(
        tally, n, "join link", signup, signup.status == 200 and "/accounts/signup/" in signup.url
    )
    think()
    if n % 2 == 0:
        account = {"email": f"team{n}@bench.example", "password1": PASSWORD}
        joined = browser.post(signup.url, account)
    else:
        login = browser.go(f"/accounts/login/?{urllib.parse.urlencode({'next': join})}")
        joined = browser.post(login.url, {"login": f"team{n}@bench.example", "password": PASSWORD})
    expect(tally, n, "sign-up/in", joined, joined.status == 200 and joined.url.endswith(join))
    think()
    page = browser.post(join, {})
    match = re.search(r"/vragenlijst/(\d+)/deel/", page.url)
    expect(tally, n, "start", page, page.status == 200 and match is not None)
    pk = int(match.group(1))
    while "/deel/" in page.url:
        items = list(dict.fromkeys(int(i) for i in re.findall(r'data-item="(\d+)"', page.body)))
        chosen = {}
        for item in items:
            think()
            level = rng.randint(0, 6)
            saved = browser.post(
                f"/vragenlijst/{pk}/antwoord/", {"item": item, "level": level}, follow=False
            )
            with tally.lock:
                tally.answer_ms.append(saved.ms)
                if saved.ms > 1000:
                    tally.slow_at.append(time.perf_counter())
            expect(tally, n, "autosave", saved, saved.status == 200 and '"saved"' in saved.body)
            with tally.lock:
                tally.acknowledged[(pk, item)] = level
            chosen[f"item-{item}"] = level
        go = "next" if 'value="next"' in page.body else "review"
        page = browser.post(page.url, {**chosen, "go": go})
        expect(tally, n, "page", page, page.status == 200)
    expect(tally, n, "review", page, page.url.endswith(f"/vragenlijst/{pk}/overzicht/"))
    think()
    result = browser.post(page.url, {})
    expect(tally, n, "submit", result, result.status == 200 and f"/resultaat/{pk}/" in result.url)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def stored_answers(env: dict[str, str]) -> dict[tuple[int, int], int]:
    from digisnap.questionnaires.models import Answer as StoredAnswer

    rows = StoredAnswer.objects.values_list("response_id", "item_id", "level")
    return {(response, item): level for response, item, level in rows}


def team_session(base: str, code: str, args, env: dict[str, str]) -> None:
    tally = Tally()
    rng = random.Random(args.seed)

    def one(n: int, delay: float, seed: int) -> None:
        time.sleep(delay)
        try:
            teacher_session(n, base, code, args, tally, random.Random(seed))
        except Unexpected:
            pass
        except Exception as exc:  # a broken connection is an error the teacher would see
            with tally.lock:
                tally.errors.append(f"teacher {n}: {exc!r}")

    threads = [
        threading.Thread(
            target=one, args=(n, rng.uniform(0, args.arrival), rng.randrange(2**32)), daemon=True
        )
        for n in range(args.teachers)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    stored = stored_answers(env)
    lost = sum(stored.get(key) != level for key, level in tally.acknowledged.items())
    for line in tally.errors[:10]:
        print(f"  error: {line}", file=sys.stderr)
    print(
        f"  team session: {len(tally.acknowledged)} answers acknowledged in {seconds:.0f} s, "
        f"median {statistics.median(tally.answer_ms or [0]):.0f} ms"
    )
    if tally.slow_at:
        offsets = [at - start for at in tally.slow_at]
        print(
            f"  {len(offsets)} autosaves over 1 s, ending between {min(offsets):.0f} s "
            f"and {max(offsets):.0f} s into the session"
        )
    print(
        f"load: teachers={args.teachers} answers_per_s={len(tally.answer_ms) / seconds:.1f} "
        f"p50_ms={percentile(tally.answer_ms, 0.5):.0f} "
        f"p95_ms={percentile(tally.answer_ms, 0.95):.0f} "
        f"p99_ms={percentile(tally.answer_ms, 0.99):.0f} "
        f"errors={len(tally.errors)} lost={lost}",
        flush=True,
    )


def sign_in_storm(base: str, args) -> None:
    results: list[Answer] = []
    lock = threading.Lock()

    def one(n: int) -> None:
        time.sleep(n * args.storm_seconds / args.teachers)
        browser = Browser(base)
        try:
            form = browser.go("/accounts/login/")
            answer = browser.post(
                form.url, {"login": f"storm{n}@bench.example", "password": PASSWORD}, follow=False
            )
        except OSError as exc:
            answer = Answer(0, "", repr(exc), 0.0)
        with lock:
            results.append(answer)

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(args.teachers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [a for a in results if a.status != 302]
    statuses = sorted({a.status for a in refused})
    if refused:
        print(f"  sign-in storm: refused with {statuses}", file=sys.stderr)
    print(
        f"login: teachers={args.teachers} refused={len(refused)} "
        f"p95_ms={percentile([a.ms for a in results], 0.95):.0f}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not urllib.parse.urlsplit(database_url).scheme.startswith("postgres"):
        raise SystemExit("load: DATABASE_URL must name a PostgreSQL database")
    recreate_database(database_url)
    with tempfile.TemporaryDirectory(prefix="digisnap-load-") as tmp:
        env = server_environment(Path(tmp), database_url)
        code = prepare(env, args.teachers)
        print(
            f"  gunicorn workers={args.workers} teachers={args.teachers} speed={args.speed} "
            f"arrival={args.arrival:.0f}s on {urllib.parse.urlsplit(database_url).path[1:]}"
        )
        with serving(env, args.workers, Path(tmp) / "server.log") as base:
            if args.only in (None, "load"):
                team_session(base, code, args, env)
            if args.only in (None, "login"):
                sign_in_storm(base, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
