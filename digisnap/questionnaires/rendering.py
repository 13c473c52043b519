"""The personal result as HTML context and as PDF (WeasyPrint, same template, files from disk)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from digisnap.core.charts import competence_rose
from digisnap.questionnaires.models import Response
from digisnap.questionnaires.selectors import result_summary

ROSE_CACHE_SECONDS = 7 * 24 * 3600


def result_sections(*, response: Response, for_pdf: bool) -> list[dict]:
    """Sections that higher apps add to the result (RESULT_SECTIONS in settings), so this app
    shows, say, learning routes without importing the app that computes them."""
    return [
        import_string(path)(response=response, for_pdf=for_pdf) for path in settings.RESULT_SECTIONS
    ]


def result_context(*, response: Response, for_pdf: bool = False) -> dict:
    summary = result_summary(response=response)
    rows = summary.competences

    def draw() -> str:
        return competence_rose(
            labels=[row.result.competence.code for row in rows],
            levels=[row.result.level for row in rows],
            groups=[row.result.competence.area.position - 1 for row in rows],
        )

    # A submitted result never changes, so its chart is drawn once and shared by page and PDF.
    key = f"rose:{response.pk}:{response.submitted_at.timestamp()}"
    rose = cache.get_or_set(key, draw, ROSE_CACHE_SECONDS)
    return {
        "response": response,
        "summary": summary,
        "rose_svg": rose,
        "sections": result_sections(response=response, for_pdf=for_pdf),
        "for_pdf": for_pdf,
    }


class StaticFileFetcher(URLFetcher):
    """Serve /static/ files from disk: a PDF must never wait for HTTP to its own server."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        marker = "/static/"
        if marker in url:
            path = finders.find(url.split(marker, 1)[1].split("?")[0])
            if path:
                mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                body = Path(path).read_bytes()
                return URLFetcherResponse(url, body, {"Content-Type": mime_type})
        raise ValueError(f"PDF rendering does not fetch {url}")


def result_pdf_bytes(*, response: Response, base_url: str) -> bytes:
    context = result_context(response=response, for_pdf=True)
    html = render_to_string("questionnaires/result_pdf.html", context)
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFileFetcher()).write_pdf()
