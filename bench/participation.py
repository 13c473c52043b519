"""Benchmark: the director's home with participation counts, small and large.

Run from the project root:  .venv/bin/python bench/participation.py [--requests N]

Builds two school communities with manage.py synthetic_data (2 schools × 15 teachers, and
20 schools × 150 teachers, every teacher submitted), plus a director registered on every digisnap
of a community with a valid «Digisnap Beheerder» right on each institution, and requests the
director's home (GET /directie/) through the full middleware stack. Prints the queries of one
request for each, and the median server time of the large one:
`participation: queries_small=… queries_large=… ms_large=…`. The counts are aggregated in SQL,
so the two query counts are equal. The script measures, it does not assert.

The database is a throwaway one, as in bench/answer_save.py: a temporary SQLite file, or a new
database on the PostgreSQL server that DATABASE_URL names, dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from answer_save import capture_queries, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"small": (2, 15), "large": (20, 150)}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=50, help="timed requests of the large home (default 50)"
    )
    args = parser.parse_args(argv)
    if args.requests < 1:
        parser.error("--requests must be ≥ 1")
    return args


def director_of(community_name: str, email: str):
    """A director registered on every digisnap of the community, with a right on each school."""
    from digisnap.accounts.models import User
    from digisnap.rights.access import today
    from digisnap.rights.models import Right
    from digisnap.schools.models import Digisnap, Membership

    user = User.objects.create_user(email, None)
    for digisnap in Digisnap.objects.filter(institution__community__name=community_name):
        Membership.objects.create(user=user, digisnap=digisnap, role=Membership.Role.DIRECTOR)
        Right.objects.create(
            user=user,
            institution=digisnap.institution,
            starts_on=today() - datetime.timedelta(days=1),
            ends_on=today() + datetime.timedelta(days=30),
            reason="bench",
        )
    return user


def run(args: argparse.Namespace, where: str) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digisnap.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from digisnap.reports.selectors import director_digisnaps

    call_command("migrate", verbosity=0, interactive=False)
    url = reverse("reports:home")
    clients, queries = {}, {}
    for label, (schools, teachers) in SIZES.items():
        name = f"Bench {label}"
        start = time.perf_counter()
        call_command(
            "synthetic_data",
            schools=schools,
            teachers_per_school=teachers,
            name=name,
            seed=len(label),
            stdout=open(os.devnull, "w"),  # noqa: SIM115 — closed with the process
        )
        print(
            f"{label}: {schools} schools × {teachers} teachers in {time.perf_counter() - start:.1f} s"
        )
        director = director_of(name, f"directie-{label}@example.invalid")
        digisnaps = director_digisnaps(director)
        joined = {d.joined for d in digisnaps}
        if len(digisnaps) != schools or joined != {teachers}:
            raise RuntimeError(f"{label}: {len(digisnaps)} digisnaps, joined counts {joined}")
        client = Client(SERVER_NAME="localhost")
        client.force_login(director)
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{label}: the home page answered {response.status_code}")
        clients[label] = client
        queries[label] = capture_queries(connection, lambda c=client: c.get(url))

    handler_ns: list[int] = []
    client = clients["large"]
    get_response = client.handler.get_response

    def timed(request):
        start = time.perf_counter_ns()
        try:
            return get_response(request)
        finally:
            handler_ns.append(time.perf_counter_ns() - start)

    client.handler.get_response = timed
    with override_settings(DEBUG=False):
        for _ in range(5):  # warm-up
            client.get(url)
        handler_ns.clear()
        for _ in range(args.requests):
            client.get(url)
    large_ms = statistics.median(handler_ns) / 1e6
    print(f"database: {connection.vendor} ({where}); {args.requests} timed requests of {url}")
    print(
        f"participation: queries_small={len(queries['small'])} "
        f"queries_large={len(queries['large'])} ms_large={large_ms:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DEBUG", "true")
    with tempfile.TemporaryDirectory(prefix="digisnap-bench-") as tmp:
        os.environ["DIGISNAP_VAR_DIR"] = tmp
        for name in ("media", "static"):
            (Path(tmp) / name).mkdir()
        os.environ["MEDIA_ROOT"] = str(Path(tmp) / "media")
        os.environ["STATIC_ROOT"] = str(Path(tmp) / "static")
        with throwaway_database(Path(tmp)) as where:
            run(args, where)
    return 0


if __name__ == "__main__":
    sys.exit(main())
