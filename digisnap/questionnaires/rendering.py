"""The personal result as HTML context and as PDF (WeasyPrint, same template, files from disk)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe
from weasyprint.document import Document

from digisnap.core.charts import competence_rose
from digisnap.core.pdf import PdfResourceMissing as PdfResourceMissing  # raised through here
from digisnap.core.pdf import pdf_document
from digisnap.questionnaires.models import Response
from digisnap.questionnaires.selectors import ResultSummary, result_summary

ROSE_CACHE_SECONDS = 7 * 24 * 3600
# Raised when charts.py draws differently, so a shared cache hands out no rose of the old kind.
ROSE_CACHE_VERSION = 4


def result_sections(*, summary: ResultSummary, for_pdf: bool) -> list[dict]:
    """Sections that higher apps add to the result (RESULT_SECTIONS in settings), so this app
    shows, say, learning routes without importing the app that computes them. They get the
    competence results already fetched, so the page reads them once."""
    return [
        import_string(path)(
            response=summary.response,
            for_pdf=for_pdf,
            competence_results=summary.competence_results,
        )
        for path in settings.RESULT_SECTIONS
    ]


def rose_etag(response: Response) -> str:
    """Names one drawing of one submitted result: a submitted result never changes, and a new
    way of drawing (ROSE_CACHE_VERSION) gives a new tag."""
    return f'"rose-{response.pk}-{response.submitted_at.timestamp():.0f}-{ROSE_CACHE_VERSION}"'


def result_rose(*, summary: ResultSummary, for_print: bool = False) -> str:
    """The competence rose of a result as SVG, with the previous round as an outline; drawn
    once and kept in the shared cache, one for the page's image and a leaner one for the PDF
    (`for_print`, see competence_rose)."""
    rows = summary.competences
    response = summary.response

    def draw() -> str:
        return competence_rose(
            labels=[row.result.competence.code for row in rows],
            levels=[row.result.level for row in rows],
            groups=[row.result.competence.area.position - 1 for row in rows],
            previous=[row.previous_level or 0 for row in rows] if summary.previous else None,
            for_print=for_print,
        )

    previous = summary.previous.pk if summary.previous else 0
    kind = "print" if for_print else "screen"
    key = f"rose:{response.pk}:{response.submitted_at.timestamp()}:{previous}:{kind}"
    return cache.get_or_set(key, draw, ROSE_CACHE_SECONDS, version=ROSE_CACHE_VERSION)


def result_context(*, response: Response, for_pdf: bool = False) -> dict:
    """The page and the PDF share this; the page shows the rose as an image from its own URL,
    the PDF embeds the drawing."""
    summary = result_summary(response=response)
    return {
        "response": response,
        "summary": summary,
        "rose_svg": result_rose(summary=summary, for_print=True) if for_pdf else "",
        "sections": result_sections(summary=summary, for_pdf=for_pdf),
        "for_pdf": for_pdf,
    }


# A submitted result never changes, so its page body is kept rendered in the shared cache.
# What may change — the teacher's marks, the catalogue — is in the key through each section's
# `version`, so a changed mark or a catalogue import shows at once; what a deploy changes —
# templates, translations — through `deployed_version()`. Raise this for any other change of
# what the body shows.
RESULT_BODY_CACHE_VERSION = 1
RESULT_BODY_CACHE_SECONDS = 24 * 3600
# Stands for the request's CSRF token in the cached HTML; each request puts its own in.
_CSRF_PLACEHOLDER = "csrf-token-of-this-request"


@functools.cache
def deployed_version() -> str:
    """A fingerprint of the templates and compiled translations this process renders with:
    after a deploy that changes one of them, no app server hands out a cached page of the old
    kind (the cache is shared by all app servers, old and new). Read once per process."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR) / "digisnap"
    for path in sorted(root.rglob("*")):
        if path.suffix in {".html", ".txt", ".mo"} and path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def result_sections_version(*, response: Response) -> str | None:
    """What the sections of RESULT_SECTIONS show that may change after submitting, as a
    string (each section callable tells through its `version` attribute); None when one
    cannot tell, and then nothing is cached."""
    parts = []
    for path in settings.RESULT_SECTIONS:
        version = getattr(import_string(path), "version", None)
        if version is None:
            return None
        parts.append(version(response=response))
    return "|".join(parts)


def result_body_html(*, request, response: Response) -> SafeString:
    """The result page's body (summary, tables, sections) rendered once per result, language,
    address and version of its sections, then served from the shared cache.

    The key holds the round's pk, and `response_for_owner` checked that it is the user's own,
    so no one gets someone else's result; the CSRF token of the forms is the request's own.
    """

    def render() -> str:
        context = {**result_context(response=response), "csrf_token": _CSRF_PLACEHOLDER}
        return render_to_string("questionnaires/_result_body.html", context, request=request)

    version = result_sections_version(response=response)
    if version is None:
        html = render()
    else:
        language = translation.get_language() or ""
        hashed = hashlib.sha256(
            f"{language}|{request.path}|{version}|{deployed_version()}".encode()
        ).hexdigest()
        key = (
            f"result-body:{response.pk}:{response.user_id}:"
            f"{response.submitted_at.timestamp()}:{hashed[:32]}"
        )
        html = cache.get(key, version=RESULT_BODY_CACHE_VERSION)
        if html is None:
            html = render()
            cache.set(key, html, RESULT_BODY_CACHE_SECONDS, version=RESULT_BODY_CACHE_VERSION)
    if _CSRF_PLACEHOLDER in html:
        html = html.replace(_CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 — rendered by our own template with autoescape


def result_pdf_document(*, response: Response, base_url: str) -> Document:
    """The result laid out in pages, stylesheets and images read through StaticFileFetcher."""
    context = result_context(response=response, for_pdf=True)
    html = render_to_string("questionnaires/result_pdf.html", context)
    return pdf_document(html=html, base_url=base_url)


def result_pdf_bytes(*, response: Response, base_url: str) -> bytes:
    return result_pdf_document(response=response, base_url=base_url).write_pdf()
