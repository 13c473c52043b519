"""The personal result as HTML context and as PDF (WeasyPrint, same template, files from disk)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from weasyprint.document import Document

from digisnap.core.charts import competence_rose
from digisnap.core.pdf import PdfResourceMissing as PdfResourceMissing  # raised through here
from digisnap.core.pdf import pdf_document
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


def result_pdf_document(*, response: Response, base_url: str) -> Document:
    """The result laid out in pages, stylesheets and images read through StaticFileFetcher."""
    context = result_context(response=response, for_pdf=True)
    html = render_to_string("questionnaires/result_pdf.html", context)
    return pdf_document(html=html, base_url=base_url)


def result_pdf_bytes(*, response: Response, base_url: str) -> bytes:
    return result_pdf_document(response=response, base_url=base_url).write_pdf()
