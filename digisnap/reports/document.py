"""The directors' report as files: an HTML fragment, a PDF from the same template, and an XLSX.

The outputs are built once and stored by the caller, so deleting a teacher later never changes a
report that was already generated.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from digisnap.core.pdf import pdf_document
from digisnap.reports.aggregates import ReportData, report_data


def _ignore(percent: int, step: str) -> None:
    """The default progress callback: nobody is watching."""


@dataclass(frozen=True)
class ReportSpec:
    title: str
    digisnap_ids: tuple[int, ...]
    include_training: bool
    language: str
    generated_at: datetime.datetime


@dataclass(frozen=True)
class ReportFiles:
    html: str
    pdf: bytes
    xlsx: bytes
    respondents: int
    joined_not_submitted: int


def _context(spec: ReportSpec, data: ReportData, *, for_pdf: bool) -> dict:
    return {"spec": spec, "data": data, "for_pdf": for_pdf}


def _xlsx(spec: ReportSpec, data: ReportData) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Cover")[:31]
    sheet.append([spec.title])
    sheet.append([_("Respondents"), data.respondents])
    sheet.append([_("Joined but not submitted"), data.joined_not_submitted])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_build(
    *, spec: ReportSpec, progress: Callable[[int, str], None] = _ignore
) -> ReportFiles:
    """Aggregate, draw and write the report in the spec's language."""
    with translation.override(spec.language):
        progress(10, _("Adding up the results"))
        data = report_data(digisnap_ids=spec.digisnap_ids, include_training=spec.include_training)
        progress(40, _("Drawing the charts"))
        html = render_to_string("reports/document/body.html", _context(spec, data, for_pdf=False))
        progress(60, _("Making the PDF"))
        page = render_to_string("reports/document/pdf.html", _context(spec, data, for_pdf=True))
        pdf = pdf_document(html=page, base_url=settings.SITE_URL + "/").write_pdf()
        progress(90, _("Making the spreadsheet"))
        xlsx = _xlsx(spec, data)
    return ReportFiles(
        html=html,
        pdf=pdf,
        xlsx=xlsx,
        respondents=data.respondents,
        joined_not_submitted=data.joined_not_submitted,
    )
