"""Benchmark: server time of the demo teacher's result page, against a bare page in the same layout.

Run from the project root:  .venv/bin/python bench/result_page.py [--requests N]

Both pages go through the project's full middleware stack, for the same signed-in teacher, on the
same database, interleaved, with DEBUG off and production static files (collected into a
temporary STATIC_ROOT by the manifest storage). The time measured is the handler stack
(BaseHandler.get_response). The bare page extends base.html with one heading: what any personal
page in our layout costs. Budget (issue 11): ratio real/floor ≤ 3. The script measures, it does
not assert. Last line: `result_page: real_ms=… floor_ms=… ratio=… queries=…`.

The database is a throwaway one (see answer_save.py): the demo data and the sample catalogue,
as `make run` loads them.
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
from contextlib import contextmanager
from pathlib import Path

from answer_save import capture_queries, ms, p90, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
FLOOR_URL = "/bench/bare/"
SAMPLE_CATALOGUE = ROOT / "digisnap" / "learning" / "catalogue" / "sample-catalogue.json"
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
DEMO_TEACHER = "leerkracht@digisnap.example"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per page first")
    parser.add_argument("--show-queries", action="store_true", help="print the result's SQL")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be ≥ 1 and --warmup ≥ 0")
    return args


def bare_view(request):
    """The floor: a signed-in, personal page in our layout with nothing on it."""
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string(
        '{% extends "base.html" %}{% block content %}<h1>Bench</h1>{% endblock %}'
    )
    return HttpResponse(template.render({}, request))


def install_urlconf() -> None:
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.urls import clear_url_caches, include, path

    from digisnap.core.access import personal

    module = types.ModuleType("bench_result_page_urls")
    module.urlpatterns = [
        path("", include(settings.ROOT_URLCONF)),
        path(FLOOR_URL.strip("/") + "/", personal(login_required(bare_view))),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


@contextmanager
def production_static(static_root: Path):
    """DEBUG off and static files collected by the manifest storage, as in production."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=static_root,
        STORAGES=storages,
        WHITENOISE_USE_FINDERS=False,
        ALLOWED_HOSTS=["localhost"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


class Timed:
    """A test client that records the handler-stack time of every request."""

    def __init__(self):
        from django.test import Client

        self.client = Client(SERVER_NAME="localhost", HTTP_ACCEPT_LANGUAGE="nl")
        self.handler_ns = 0
        get_response = self.client.handler.get_response

        def timed(request):
            start = time.perf_counter_ns()
            try:
                return get_response(request)
            finally:
                self.handler_ns = time.perf_counter_ns() - start

        self.client.handler.get_response = timed

    def get(self, url: str, expect: int = 200, **headers):
        response = self.client.get(url, **headers)
        if response.status_code != expect:
            raise RuntimeError(f"GET {url}: {response.status_code} {response.content[:300]!r}")
        return self.handler_ns, response


def run(args: argparse.Namespace, where: str, static_root: Path) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digisnap.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from digisnap.questionnaires.models import Response

    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo_data", verbosity=0)
    call_command("import_catalogue", str(SAMPLE_CATALOGUE), verbosity=0)
    install_urlconf()
    response = Response.objects.get(user__email=DEMO_TEACHER, status=Response.Status.SUBMITTED)
    real_url = f"/resultaat/{response.pk}/"
    rose_url = f"/resultaat/{response.pk}/roos.svg"

    with production_static(static_root):
        client = Timed()
        client.client.force_login(response.user)
        rose_cold_ns, rose = client.get(rose_url)  # draws the rose into the shared cache
        rose_304_ns, _ = client.get(rose_url, expect=304, HTTP_IF_NONE_MATCH=rose["ETag"])
        _, page = client.get(real_url)
        queries = capture_queries(connection, lambda: client.get(real_url))
        for _ in range(args.warmup):
            client.get(real_url)
            client.get(FLOOR_URL)
        gc.collect()
        real_ns: list[int] = []
        floor_ns: list[int] = []
        for i in range(args.requests):
            order = (real_url, FLOOR_URL) if i % 2 else (FLOOR_URL, real_url)
            for url in order:
                (real_ns if url == real_url else floor_ns).append(client.get(url)[0])

    real_ms = ms(statistics.median(real_ns))
    floor_ms = ms(statistics.median(floor_ns))
    print(f"database: {connection.vendor} ({where})")
    print(f"requests: {args.requests} per page after {args.warmup} warm-up, interleaved")
    print(f"result page: {len(page.content)} bytes; rose image: {len(rose.content)} bytes")
    print(
        f"rose image: first_ms={ms(rose_cold_ns):.1f} (drawn) "
        f"revalidated_ms={ms(rose_304_ns):.1f} (304 on its ETag)"
    )
    print(f"handler p90: real_ms={ms(p90(real_ns)):.3f} floor_ms={ms(p90(floor_ns)):.3f}")
    if args.show_queries:
        for query in queries:
            print(f"  {query[:160]}")
    print(
        f"result_page: real_ms={real_ms:.3f} floor_ms={floor_ms:.3f} "
        f"ratio={real_ms / floor_ms:.2f} queries={len(queries)}"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DEBUG", "true")  # for start-up only; the measuring runs with DEBUG off
    with tempfile.TemporaryDirectory(prefix="digisnap-bench-") as tmp:
        os.environ["DIGISNAP_VAR_DIR"] = tmp
        for name in ("media", "static"):
            (Path(tmp) / name).mkdir()
        os.environ["MEDIA_ROOT"] = str(Path(tmp) / "media")
        os.environ["STATIC_ROOT"] = str(Path(tmp) / "static")
        with throwaway_database(Path(tmp)) as where:
            run(args, where, Path(tmp) / "static")
    return 0


if __name__ == "__main__":
    sys.exit(main())
