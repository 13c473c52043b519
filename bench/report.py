"""Benchmark: the directors' report for a school community, small and large.

Run from the project root:  .venv/bin/python bench/report.py [--schools N] [--teachers N] [--runs N]

Builds two school communities with manage.py synthetic_data — the large one (default 20 schools
× 150 teachers, every teacher submitted) and one tenth of it (2 × 150 by default) — and builds
the report over all digisnaps of each, with KlasCement content. Prints the SQL queries of the
aggregation for each (they must be equal: the aggregation groups in the database), the median
aggregation time of the large one, the time of the large report's PDF (layout and writing; also
as CPU time, which a busy machine does not inflate), and
scale_ratio = aggregation time large / small, as the last line:
`report: queries_small=… queries_large=… aggregate_ms_large=… pdf_ms_large=… scale_ratio=…`.
Targets (DESIGN.md §7): equal query counts, scale_ratio ≤ 10, PDF within 3 s. The script
measures, it does not assert.

The database is a throwaway one, as in bench/answer_save.py: a temporary SQLite file, or a new
database on the PostgreSQL server that DATABASE_URL names, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from answer_save import capture_queries, throwaway_database

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=20, help="large community (default 20)")
    parser.add_argument("--teachers", type=int, default=150, help="per school (default 150)")
    parser.add_argument("--runs", type=int, default=5, help="timed aggregations (default 5)")
    args = parser.parse_args(argv)
    if args.schools < 1 or args.teachers < 1 or args.runs < 1:
        parser.error("--schools, --teachers and --runs must be ≥ 1")
    return args


def sizes(args: argparse.Namespace) -> dict[str, tuple[int, int]]:
    """The large community and one tenth of it: fewer schools, or fewer teachers per school."""
    large = (args.schools, args.teachers)
    if args.schools >= 10:
        small = (args.schools // 10, args.teachers)
    else:
        small = (args.schools, max(1, args.teachers // 10))
    return {"small": small, "large": large}


def median_ms(work, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def run(args: argparse.Namespace, where: str) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digisnap.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone, translation

    from digisnap.reports import document
    from digisnap.reports.aggregates import report_data
    from digisnap.schools.models import Digisnap

    call_command("migrate", verbosity=0, interactive=False)
    ids, queries, aggregate_ms = {}, {}, {}
    for label, (schools, teachers) in sizes(args).items():
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
        ids[label] = tuple(
            Digisnap.objects.filter(institution__community__name=name).values_list("pk", flat=True)
        )

    def aggregate(label: str):
        return report_data(digisnap_ids=ids[label], include_training=True, language="nl")

    translation.activate("nl")
    with override_settings(DEBUG=False):
        for label in ids:
            queries[label] = capture_queries(connection, lambda label=label: aggregate(label))
            aggregate(label)  # warm-up
            aggregate_ms[label] = median_ms(lambda label=label: aggregate(label), args.runs)

        spec = document.ReportSpec(
            title="Directierapport",
            digisnap_ids=ids["large"],
            include_training=True,
            language="nl",
            generated_at=timezone.now(),
        )
        _html, page = document.report_pages(spec=spec, data=aggregate("large"))
        start, cpu_start = time.perf_counter(), time.process_time()
        pdf = document.report_pdf(page=page)
        pdf_ms = (time.perf_counter() - start) * 1000
        pdf_cpu_ms = (time.process_time() - cpu_start) * 1000

        start = time.perf_counter()
        files = document.report_build(spec=spec)
        build_ms = (time.perf_counter() - start) * 1000

    print(f"database: {connection.vendor} ({where}); {args.runs} timed aggregations each")
    print(
        f"large report: {files.respondents} respondents, PDF {len(pdf)} bytes, "
        f"XLSX {len(files.xlsx)} bytes, whole build {build_ms:.0f} ms"
    )
    print(f"aggregate_ms_small={aggregate_ms['small']:.1f}")
    # On a busy machine wall time mostly measures the wait for a core; CPU time does not.
    print(f"pdf_cpu_ms_large={pdf_cpu_ms:.0f} (this process's CPU time for the same PDF)")
    print(
        f"report: queries_small={len(queries['small'])} queries_large={len(queries['large'])} "
        f"aggregate_ms_large={aggregate_ms['large']:.1f} pdf_ms_large={pdf_ms:.0f} "
        f"scale_ratio={aggregate_ms['large'] / aggregate_ms['small']:.2f}"
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
