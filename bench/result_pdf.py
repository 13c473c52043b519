"""Benchmark: time to render a teacher's personal result as PDF (DESIGN.md §7: a fraction of a
second; issue 11: median ≤ 400 ms with ≤ 4 pages). Prints
`result_pdf: first_ms=… median_ms=… p90_ms=… pages=…` as its last line.

Run from the project root:  .venv/bin/python bench/result_pdf.py [--runs N]

Uses a temporary SQLite database with the demo data and the sample catalogue (as `make run`
loads them) and production static files: DEBUG off, collected into a temporary STATIC_ROOT by
the manifest storage, read from there as in production. `first` is a cold render (the
competence rose is drawn), the median and p90 are warm renders (the rose comes from the cache,
as it does for a teacher who views the page and then downloads the PDF).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CATALOGUE = ROOT / "digisnap" / "learning" / "catalogue" / "sample-catalogue.json"
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="warm renders (default 20)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DEBUG", "true")
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["STATIC_ROOT"] = str(Path(tmp) / "static")
        os.environ["DJANGO_SETTINGS_MODULE"] = "digisnap.settings"
        import django

        django.setup()
        import io

        from django.conf import settings
        from django.core.management import call_command
        from django.test.utils import override_settings
        from django.utils import translation
        from pypdf import PdfReader

        from digisnap.questionnaires.models import Response
        from digisnap.questionnaires.rendering import result_pdf_bytes

        call_command("migrate", verbosity=0)
        call_command("demo_data", verbosity=0)
        call_command("import_catalogue", str(SAMPLE_CATALOGUE), verbosity=0)
        response = Response.objects.filter(user__email="leerkracht@digisnap.example").get()
        translation.activate("nl")
        storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
        timings = []
        cpu_timings = []
        with override_settings(
            DEBUG=False,
            STATIC_ROOT=Path(tmp) / "static",
            STORAGES=storages,
            WHITENOISE_USE_FINDERS=False,
        ):
            call_command("collectstatic", interactive=False, verbosity=0)
            for _run in range(args.runs + 1):
                started, cpu_started = time.perf_counter(), time.process_time()
                pdf = result_pdf_bytes(response=response, base_url="http://127.0.0.1:8000/")
                timings.append((time.perf_counter() - started) * 1000)
                cpu_timings.append((time.process_time() - cpu_started) * 1000)
                assert pdf.startswith(b"%PDF")
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        first, warm = timings[0], sorted(timings[1:])
        p90 = warm[max(0, round(0.9 * len(warm)) - 1)]
        print(f"runs: 1 cold + {args.runs} warm, {len(pdf)} bytes, production static files")
        # CPU time is what a busy machine does not inflate (much): compare it across runs.
        print(f"warm cpu_ms: median={statistics.median(cpu_timings[1:]):.0f}")
        print(
            f"result_pdf: first_ms={first:.0f} median_ms={statistics.median(warm):.0f} "
            f"p90_ms={p90:.0f} pages={pages}"
        )


if __name__ == "__main__":
    main()
