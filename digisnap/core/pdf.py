"""PDFs with WeasyPrint: stylesheets and images read from disk, never over HTTP.

Shared by every app that prints (the personal result, the digisnap poster).
"""

from __future__ import annotations

import mimetypes
import re
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


# Pictographs the fonts Debian installs for WeasyPrint (DejaVu, Liberation) do not have: the
# emoji planes, the symbols Unicode draws as emoji by default (✅ ✨ ⭐ ⚡ …), and the joiners,
# variation selectors, keycaps and tags that build emoji sequences. Debian's colour emoji font
# is not one WeasyPrint draws reliably, so a name or title with emoji prints without them rather
# than with blank boxes. Symbols DejaVu has (✓ ☀ ❤) stay.
_EMOJI_CHARACTERS = (
    "\U0001f000-\U0001faff\U000e0020-\U000e007f\u200d\ufe0e\ufe0f\u20e3"
    "\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653"
    "\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea"
    "\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e"
    "\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55"
)
_EMOJI = re.compile(f"[ \u00a0]*[{_EMOJI_CHARACTERS}]+")


def without_emoji(text: str) -> str:
    """The text with emoji dropped, each with the space before it."""
    return _EMOJI.sub("", text)


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
        return HTML(
            string=without_emoji(html), base_url=base_url, url_fetcher=StaticFileFetcher()
        ).render()
    except FatalURLFetchingError as exc:
        # WeasyPrint's fatal error is a BaseException, which would get past Django's handler.
        raise PdfResourceMissing(f"{exc}: {exc.__cause__}") from exc
