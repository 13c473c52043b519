"""PDFs with WeasyPrint: stylesheets and images read from disk, never over HTTP.

Shared by every app that prints (the personal result, the digisnap poster).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


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
            if body is None:
                # Most often collectstatic did not run after a deploy: say which file it is.
                raise ValueError(f"static file {name} is missing from the static files")
            mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})
        raise ValueError(f"PDF rendering does not fetch {url}")


def pdf_document(*, html: str, base_url: str) -> Document:
    """HTML laid out in pages, stylesheets and images read through StaticFileFetcher."""
    try:
        return HTML(string=html, base_url=base_url, url_fetcher=StaticFileFetcher()).render()
    except FatalURLFetchingError as exc:
        # WeasyPrint's fatal error is a BaseException, which would get past Django's handler.
        raise PdfResourceMissing(f"{exc}: {exc.__cause__}") from exc
