"""The personal result as HTML context and as PDF (WeasyPrint, same template, files from disk)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from digisnap.core.charts import competence_rose
from digisnap.questionnaires.models import Response
from digisnap.questionnaires.selectors import result_summary

ROSE_CACHE_SECONDS = 7 * 24 * 3600
# Raised when charts.py draws differently, so a shared cache hands out no rose of the old kind.
ROSE_CACHE_VERSION = 2


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
    rose = cache.get_or_set(key, draw, ROSE_CACHE_SECONDS, version=ROSE_CACHE_VERSION)
    return {
        "response": response,
        "summary": summary,
        "rose_svg": rose,
        "sections": result_sections(response=response, for_pdf=for_pdf),
        "for_pdf": for_pdf,
    }


class PdfResourceMissing(RuntimeError):
    """A file the PDF needs (a stylesheet, an image) could not be read: better no PDF than an
    unstyled one that looks like a different document."""


def _static_file(name: str) -> bytes | None:
    """A static file's content by the name in its URL, under any staticfiles storage.

    The finders hold the sources, which is all there is in development; the storage holds the
    collected files, and only it knows the hashed names the manifest storage of production puts
    in URLs.
    """
    path = finders.find(name)
    if path:
        return Path(path).read_bytes()
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    return None


class StaticFileFetcher(URLFetcher):
    """Serve /static/ files from disk: a PDF must never wait for HTTP to its own server."""

    def __init__(self) -> None:
        # Any file that cannot be fetched stops the rendering instead of being skipped.
        super().__init__(fail_on_errors=True)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = unquote(urlsplit(url).path)
        prefix = urlsplit(settings.STATIC_URL).path
        if path.startswith(prefix):
            name = path.removeprefix(prefix)
            body = _static_file(name)
            if body is not None:
                mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": mime_type})
        raise ValueError(f"PDF rendering does not fetch {url}")


def result_pdf_document(*, response: Response, base_url: str) -> Document:
    """The result laid out in pages, stylesheets and images read through StaticFileFetcher."""
    context = result_context(response=response, for_pdf=True)
    html = render_to_string("questionnaires/result_pdf.html", context)
    try:
        return HTML(string=html, base_url=base_url, url_fetcher=StaticFileFetcher()).render()
    except FatalURLFetchingError as exc:
        # WeasyPrint's fatal error is a BaseException, which would get past Django's handler.
        raise PdfResourceMissing(f"{exc}: {exc.__cause__}") from exc


def result_pdf_bytes(*, response: Response, base_url: str) -> bytes:
    return result_pdf_document(response=response, base_url=base_url).write_pdf()
