"""Benchmark: server time of saving one answer, against a bare one-insert Django view.

Run from the project root:  .venv/bin/python bench/answer_save.py [--requests N]

Both paths go through the project's full middleware stack, behind the same login, on the same
database, interleaved. The time measured is the handler stack (middleware, URL resolving, view,
database), i.e. BaseHandler.get_response; the test client's own work is printed for context only.
Budget (DESIGN.md §7, issue): ratio real/floor ≤ 2. The script measures, it does not assert.

The database is always a throwaway one: a temporary SQLite file, or, when DATABASE_URL names a
PostgreSQL server, a new database on that server that is dropped at the end. The developer's
var/digisnap.sqlite3 and the database named in DATABASE_URL are never written to.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
import types
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
FLOOR_URL = "/bench/floor/"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=2000, help="timed requests per path (default 2000)"
    )
    parser.add_argument(
        "--warmup", type=int, default=200, help="untimed requests per path first (default 200)"
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL of one request of each path"
    )
    args = parser.parse_args(argv)
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be ≥ 1 and --warmup ≥ 0")
    return args


@contextmanager
def throwaway_database(tmp: Path):
    """Point DATABASE_URL at a fresh database for this run; yields a description of it."""
    url = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(url).scheme
    if not url or scheme.startswith("sqlite"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        yield "temporary SQLite file"
        return
    if scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"answer_save: unsupported DATABASE_URL scheme {scheme!r}")

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(scheme="postgresql"))
    name = f"digisnap_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield f"throwaway PostgreSQL database {name}"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def floor_view(request):
    """The floor: what any logged-in POST that stores one small row costs in this stack."""
    from django.http import JsonResponse
    from django.utils import timezone

    from digisnap.core.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=uuid.uuid4().hex,
        hostname="bench",
        pid=int(request.POST["item"]),
        started_at=now,
        seen_at=now,
    )
    return JsonResponse({"saved": True})


def install_urlconf() -> None:
    """The project's URLs, with the floor view after them (it resolves last), behind login."""
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.urls import clear_url_caches, include, path
    from django.views.decorators.http import require_POST

    module = types.ModuleType("bench_answer_save_urls")
    module.urlpatterns = [
        path("", include(settings.ROOT_URLCONF)),
        path(FLOOR_URL.strip("/") + "/", login_required(require_POST(floor_view))),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def fixtures(saves: int):
    """Item ids, and teachers with a draft response each, enough for this many saves.

    Each teacher answers every item once (inserts), then changes their mind on half of them
    (updates): two thirds of the saves are inserts, one third updates.
    """
    from digisnap.accounts.models import User
    from digisnap.questionnaires.models import Item
    from digisnap.questionnaires.services import response_start
    from digisnap.schools.models import Institution, SchoolCommunity
    from digisnap.schools.services import digisnap_create, membership_join

    community = SchoolCommunity.objects.create(name="Bench-scholengemeenschap")
    institution = Institution.objects.create(community=community, number="999999", name="Bench")
    digisnap = digisnap_create(institution=institution, name="Bench studiedag")
    item_ids = list(
        Item.objects.filter(competence__area__framework__is_current=True)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    per_teacher = len(item_ids) + len(item_ids) // 2
    pairs = []
    for n in range(-(-saves // per_teacher)):
        teacher = User.objects.create_user(f"bench{n}@example.invalid", None)
        membership_join(user=teacher, digisnap=digisnap)
        pairs.append((teacher, response_start(user=teacher, digisnap=digisnap)))
    return pairs, item_ids, per_teacher


class TimedClient:
    """A test client that records the handler-stack time of every request.

    One client and handler for all teachers; switching teacher swaps the session cookie.
    """

    def __init__(self):
        from django.test import Client

        # A host the project allows (ALLOWED_HOSTS defaults to 127.0.0.1 and localhost).
        self.client = Client(SERVER_NAME="localhost")
        self.handler_ns = 0
        get_response = self.client.handler.get_response

        def timed(request):
            start = time.perf_counter_ns()
            try:
                return get_response(request)
            finally:
                self.handler_ns = time.perf_counter_ns() - start

        self.client.handler.get_response = timed

    def login(self, user) -> str:
        from django.conf import settings

        self.client.cookies.pop(settings.SESSION_COOKIE_NAME, None)  # else login flushes it
        self.client.force_login(user)
        return self.client.cookies[settings.SESSION_COOKIE_NAME].value

    def switch(self, session_key: str) -> None:
        from django.conf import settings

        self.client.cookies[settings.SESSION_COOKIE_NAME] = session_key

    def post(self, url: str, data: dict) -> tuple[int, int]:
        """(handler ns, client round-trip ns); raises on anything but 200."""
        start = time.perf_counter_ns()
        response = self.client.post(url, data)
        total = time.perf_counter_ns() - start
        if response.status_code != 200:
            content = response.content[:300]
            raise RuntimeError(f"POST {url} {data}: {response.status_code} {content!r}")
        return self.handler_ns, total


def capture_queries(connection, request) -> list[str]:
    """The SQL one request runs (an execute wrapper: the client's signals empty the query log)."""
    sqls: list[str] = []

    def record(execute, sql, params, many, context):
        sqls.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        request()
    return sqls


def ms(ns: float) -> float:
    return ns / 1e6


def p90(values: list[int]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def run(args: argparse.Namespace, where: str) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digisnap.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from django.urls import reverse

    from digisnap.core.levels import Level
    from digisnap.questionnaires.models import Answer

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_framework", verbosity=0)
    install_urlconf()
    total = args.warmup + args.requests
    pairs, item_ids, per_teacher = fixtures(saves=total)
    client = TimedClient()
    teachers = [
        (client.login(user), reverse("questionnaires:answer", kwargs={"pk": response.pk}))
        for user, response in pairs
    ]
    levels = list(Level.values)
    changes = per_teacher - len(item_ids)

    def save(i: int) -> tuple[str, dict]:
        """Save i: which teacher, which item, which level (a different one on a change of mind)."""
        t, j = divmod(i, per_teacher)
        session_key, url = teachers[t]
        client.switch(session_key)
        if j < len(item_ids):
            k, shift = j, 0
        else:
            k, shift = 2 * (j - len(item_ids)), 1  # every other item
        # As autosave.js sends it: the moment of the click, growing with every save.
        data = {"item": item_ids[k], "level": levels[(k + t + shift) % len(levels)]}
        return url, {**data, "sequence": str(i + 1)}

    def one_pair(i: int) -> tuple[tuple[int, int], tuple[int, int]]:
        real_url, data = save(i)
        if i % 2:  # alternate the order, so neither path always runs second
            floor = client.post(FLOOR_URL, data)
            real = client.post(real_url, data)
        else:
            real = client.post(real_url, data)
            floor = client.post(FLOOR_URL, data)
        return real, floor

    # The SQL of one save of each path: the run's last save, made early (it is saved again later).
    probe_url, probe = save(total - 1)
    real_queries = capture_queries(connection, lambda: client.post(probe_url, probe))
    floor_queries = capture_queries(connection, lambda: client.post(FLOOR_URL, probe))

    real_ns: list[int] = []
    floor_ns: list[int] = []
    real_rt: list[int] = []
    floor_rt: list[int] = []
    # Production runs with DEBUG off: no per-query logging in the measured requests.
    with override_settings(DEBUG=False):
        for i in range(args.warmup):
            one_pair(i)
        gc.collect()
        for i in range(args.warmup, args.warmup + args.requests):
            (r, r_total), (f, f_total) = one_pair(i)
            real_ns.append(r)
            floor_ns.append(f)
            real_rt.append(r_total)
            floor_rt.append(f_total)

    full, rest = divmod(total, per_teacher)
    inserts = full * len(item_ids) + min(rest, len(item_ids))
    answered = Answer.objects.count()
    if answered != inserts:
        raise RuntimeError(f"expected {inserts} stored answers, found {answered}")

    real_ms = ms(statistics.median(real_ns))
    floor_ms = ms(statistics.median(floor_ns))
    print(f"database: {connection.vendor} {connection.Database.__name__} ({where})")
    print(
        f"requests: {args.requests} per path, after {args.warmup} warm-up, interleaved; "
        f"{len(teachers)} teachers, each {len(item_ids)} answers then {changes} changes of mind"
    )
    print(f"queries per request: real={len(real_queries)} floor={len(floor_queries)}")
    if args.show_queries:
        for label, captured in (("real", real_queries), ("floor", floor_queries)):
            for query in captured:
                print(f"  {label}: {query[:160]}")
    print(
        f"handler p90: real_ms={ms(p90(real_ns)):.3f} floor_ms={ms(p90(floor_ns)):.3f}; "
        f"with test client, median: real_ms={ms(statistics.median(real_rt)):.3f} "
        f"floor_ms={ms(statistics.median(floor_rt)):.3f}"
    )
    print(
        f"answer_save: real_ms={real_ms:.3f} floor_ms={floor_ms:.3f} ratio={real_ms / floor_ms:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DEBUG", "true")
    with tempfile.TemporaryDirectory(prefix="digisnap-bench-") as tmp:
        os.environ["DIGISNAP_VAR_DIR"] = tmp
        for name in ("media", "static"):  # an existing static root keeps WhiteNoise quiet
            (Path(tmp) / name).mkdir()
        os.environ["MEDIA_ROOT"] = str(Path(tmp) / "media")
        os.environ["STATIC_ROOT"] = str(Path(tmp) / "static")
        with throwaway_database(Path(tmp)) as where:
            run(args, where)
    return 0


if __name__ == "__main__":
    sys.exit(main())
