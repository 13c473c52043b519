"""PDFs with WeasyPrint: stylesheets and images read from disk, never over HTTP.

Shared by every app that prints (the personal result, the digisnap poster).
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import CSS, HTML
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


# A stylesheet link exactly as the PDF templates write it; a document with any other <link>
# keeps all its links for WeasyPrint to read, so the order of the cascade never changes.
_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"<>]+)">')
_PARSED: dict[tuple[str, str], CSS] = {}
_PARSED_LOCK = threading.Lock()
_PARSED_MAX = 64


def _parsed_stylesheet(url: str, fetcher: StaticFileFetcher) -> CSS:
    """A stylesheet parsed once per process and content: parsing digisnap.css and print.css
    took about 25 ms of every PDF. Keyed by the content's hash too, so an edited file in
    development (its URL does not change) is parsed again."""
    try:
        body = fetcher.fetch(url).read()
    except Exception as exc:  # as WeasyPrint does when it reads a link itself
        raise FatalURLFetchingError(f'Error fetching "{url}"') from exc
    key = (url, hashlib.sha256(body).hexdigest())
    with _PARSED_LOCK:
        sheet = _PARSED.get(key)
    if sheet is None:
        sheet = CSS(string=body.decode(), base_url=url, url_fetcher=fetcher)
        with _PARSED_LOCK:
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            _PARSED[key] = sheet
    return sheet


def _with_parsed_stylesheets(html: str, base_url: str, fetcher: StaticFileFetcher):
    """The HTML without its stylesheet links and the parsed stylesheets, in their order. As the
    only stylesheets besides WeasyPrint's own they cascade exactly as the links did."""
    links = re.findall(r"<link\b", html)
    found = _STYLESHEET_LINK.findall(html)
    if not found or len(found) != len(links):
        return html, []
    sheets = [_parsed_stylesheet(urljoin(base_url, href), fetcher) for href in found]
    return _STYLESHEET_LINK.sub("", html), sheets


def pdf_document(*, html: str, base_url: str) -> Document:
    """HTML laid out in pages, stylesheets and images read through StaticFileFetcher."""
    fetcher = StaticFileFetcher()
    try:
        html, stylesheets = _with_parsed_stylesheets(without_emoji(html), base_url, fetcher)
        return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=stylesheets
        )
    except FatalURLFetchingError as exc:
        # WeasyPrint's fatal error is a BaseException, which would get past Django's handler.
        raise PdfResourceMissing(f"{exc}: {exc.__cause__}") from exc
