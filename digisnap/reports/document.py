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
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from digisnap.core.levels import Band
from digisnap.core.pdf import pdf_document
from digisnap.reports.aggregates import BANDS, Figure, ReportData, Row, report_data
from digisnap.reports.charts import BAND_COLOURS, Bar, band_bars, band_pie


def _ignore(percent: int, step: str) -> None:
    """The default progress callback: nobody is watching."""


@dataclass(frozen=True)
class ReportSpec:
    title: str
    digisnap_ids: tuple[int, ...]
    include_training: bool  # «Includeer KlasCement content»
    language: str  # "nl" / "en"
    generated_at: datetime.datetime


@dataclass(frozen=True)
class ReportFiles:
    html: str  # the report body as an HTML fragment, the same template as the PDF
    pdf: bytes
    xlsx: bytes
    respondents: int  # submitted responses counted in the report
    joined_not_submitted: int


@dataclass(frozen=True)
class AreaCharts:
    competences_svg: str
    pie_svg: str


def _bar(row: Row, label: str) -> Bar:
    if row.total.hidden:
        return Bar(label=label, percents=(0,) * len(BANDS), note=_("hidden"))
    shares = row.total.bands
    return Bar(
        label=label,
        percents=tuple(share.percent for share in shares),
        counts=tuple(share.count for share in shares),
        average=f"{number_format(row.total.average, decimal_pos=1)} {row.total.average_label}",
    )


def _charts(data: ReportData) -> tuple[str, list[AreaCharts]]:
    if not data.shown:
        return "", []
    overview = band_bars(
        bars=[_bar(row, f"{row.code} {row.title}") for row in data.overview],
        label=_("Share of teachers per band, per area"),
    )
    per_area = [
        AreaCharts(
            competences_svg=band_bars(
                bars=[_bar(row, f"{row.code} {row.title}") for row in block.competences],
                label=_("Share of teachers per band for each competence of %(area)s")
                % {"area": block.area.title},
            ),
            pie_svg=band_pie(
                counts=block.area.total.counts,
                label=_("Band distribution in %(area)s") % {"area": block.area.title},
            ),
        )
        for block in data.areas
    ]
    return overview, per_area


def _context(spec: ReportSpec, data: ReportData, overview: str, per_area: list) -> dict:
    return {
        "spec": spec,
        "data": data,
        "overview_svg": overview,
        "area_sections": list(zip(data.areas, per_area, strict=False)),
        "digisnap_rows": [
            (d, max(d.joined - d.submitted, 0), data.count_shown(d)) for d in data.digisnaps
        ],
        "school_rows": [
            (school, [row.schools[index] for row in data.overview])
            for index, school in enumerate(data.schools)
        ],
        "bands": [(band, BAND_COLOURS[band]) for band in Band],
    }


FIGURE_COLUMNS = 2 + 2 * len(BANDS)


def _figure_cells(figure: Figure | None) -> list:
    """A figure as a fixed number of sheet cells: respondents, count and share per band, average;
    when hidden, the explanation instead of the numbers."""
    if figure is None:
        return [None] * FIGURE_COLUMNS
    if figure.hidden:
        return [figure.respondents or None, figure.hidden] + [None] * (FIGURE_COLUMNS - 2)
    cells: list = [figure.respondents]
    for share in figure.bands:
        cells += [share.count, share.count / figure.respondents if figure.respondents else None]
    return [*cells, float(figure.average) if figure.average is not None else None]


def _figure_header(prefix: str = "") -> list[str]:
    header = [prefix + _("Respondents")]
    for band in Band:
        header += [f"{prefix}{band.value} ({band.label})", f"{prefix}{band.value} %"]
    return [*header, prefix + _("Average level")]


def _sheet(workbook: Workbook, title: str, header: list[str]) -> Worksheet:
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return sheet


def _percent_format(sheet: Worksheet) -> None:
    for row in sheet.iter_rows(min_row=2):
        for cell, head in zip(row, sheet[1], strict=False):
            if isinstance(head.value, str) and head.value.endswith("%"):
                cell.number_format = "0%"


def _xlsx(spec: ReportSpec, data: ReportData) -> bytes:
    """A sheet per table; a hidden figure is written as its explanation, never as numbers."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = _("Report")[:31]
    cover.append([spec.title])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([_("Date"), date_format(spec.generated_at, "j F Y")])
    cover.append([_("Respondents in the figures"), data.respondents])
    if data.left_out_text:
        cover.append([_("Not counted"), data.left_out_text])
    cover.append([_("Joined but not submitted"), data.joined_not_submitted])
    cover.append([_("Minimum respondents per digisnap"), data.minimum])
    if data.hidden:
        cover.append([_("Figures"), data.hidden])
    cover.append([])
    cover.append([_("Digisnap"), _("School"), _("Respondents"), _("Joined but not submitted")])
    for digisnap in data.digisnaps:
        cover.append(
            [
                digisnap.name,
                digisnap.institution.name,
                digisnap.submitted if data.count_shown(digisnap) else data.fewer_than,
                max(digisnap.joined - digisnap.submitted, 0),
            ]
        )
    cover.column_dimensions["A"].width = 40
    cover.column_dimensions["B"].width = 40

    platform = _("All digisnaps") + ": "
    for title, rows in ((_("Areas"), data.overview), (_("Competences"), data.competences)):
        header = [_("Code"), _("Title"), *_figure_header()]
        if data.platform_respondents:
            header += _figure_header(platform)
        with_change = data.change_teachers and rows is not data.overview
        if with_change:
            header += [_("Previous round"), _("Now"), _("Change")]
        sheet = _sheet(workbook, title, header)
        for row in rows:
            cells = [row.code, row.title, *_figure_cells(row.total)]
            if data.platform_respondents:
                cells += _figure_cells(row.platform)
            if with_change and row.change:
                change = row.change
                cells += [float(change.before), float(change.now), float(change.difference)]
            sheet.append(cells)
        _percent_format(sheet)
        sheet.column_dimensions["B"].width = 40

    if data.compares_schools:
        sheet = _sheet(
            workbook, _("Schools"), [_("School"), _("Code"), _("Title"), *_figure_header()]
        )
        for index, school in enumerate(data.schools):
            for row in [*data.overview, *data.competences]:
                sheet.append([school.name, row.code, row.title, *_figure_cells(row.schools[index])])
        _percent_format(sheet)
        sheet.column_dimensions["A"].width = 30
        sheet.column_dimensions["C"].width = 40

    need_header = [_("Code"), _("Title"), _("Average level"), _("Next level")]
    if data.largest_need:
        training_header = [_("Training"), _("Provider"), _("Link")] if spec.include_training else []
        sheet = _sheet(workbook, _("Largest need"), need_header + training_header)
        for need in data.largest_need:
            cells = [
                need.row.code,
                need.row.title,
                float(need.row.total.average),
                need.target.label,
            ]
            if not spec.include_training:
                sheet.append(cells)
            for training in need.trainings if spec.include_training else []:
                sheet.append([*cells, training.title, training.provider, training.url])
            if spec.include_training and not need.trainings:
                sheet.append(cells)
        sheet.column_dimensions["B"].width = 40
        sheet.column_dimensions["E"].width = 40
    if data.smallest_need:
        sheet = _sheet(workbook, _("Smallest need"), need_header)
        for need in data.smallest_need:
            total = need.row.total
            sheet.append([need.row.code, need.row.title, float(total.average), need.target.label])
        sheet.column_dimensions["B"].width = 40

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pages(*, spec: ReportSpec, data: ReportData) -> tuple[str, str]:
    """The report body as an HTML fragment, and the whole page the PDF is made from."""
    context = _context(spec, data, *_charts(data))
    html = render_to_string("reports/document/body.html", context)
    return html, render_to_string("reports/document/pdf.html", {**context, "body": html})


def report_pdf(*, page: str) -> bytes:
    return pdf_document(html=page, base_url=settings.SITE_URL + "/").write_pdf()


def report_build(
    *, spec: ReportSpec, progress: Callable[[int, str], None] = _ignore
) -> ReportFiles:
    """Aggregate, draw and write the report in the spec's language."""
    with translation.override(spec.language):
        progress(10, _("Adding up the results"))
        data = report_data(
            digisnap_ids=spec.digisnap_ids,
            include_training=spec.include_training,
            language=spec.language,
        )
        progress(35, _("Drawing the charts"))
        html, page = report_pages(spec=spec, data=data)
        progress(55, _("Making the PDF"))
        pdf = report_pdf(page=page)
        progress(85, _("Making the spreadsheet"))
        xlsx = _xlsx(spec, data)
    return ReportFiles(
        html=html,
        pdf=pdf,
        xlsx=xlsx,
        respondents=data.respondents,
        joined_not_submitted=data.joined_not_submitted,
    )
