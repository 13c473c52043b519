"""The director's pages: home, the team-session projector page with its live counts, and the
directors' report (form, archive, the job's page and the downloads). Counts and aggregates only:
never a teacher's name or answers."""

from __future__ import annotations

import re
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digisnap.core.access import personal
from digisnap.core.jobs import JobNotRetryable, job_status, job_sweep
from digisnap.core.qr import qr_svg
from digisnap.reports import selectors, services
from digisnap.reports.access import report_for_viewer, reports_for_viewer
from digisnap.reports.forms import ReportForm, choice_groups
from digisnap.reports.menu import menu_flag_set
from digisnap.reports.models import Report
from digisnap.rights.access import digisnap_for_director
from digisnap.schools.models import Digisnap

# The projector page asks for new counts this often (teamsession.js); without JavaScript it
# reloads itself, less often. Only the projector polls, not the teachers' phones: one small
# query every few seconds per team session.
POLL_SECONDS = 5
REFRESH_SECONDS = 15


@login_required
@personal
@require_GET
def home(request):
    digisnaps = selectors.director_digisnaps(request.user)
    menu_flag_set(request, bool(digisnaps))
    return render(request, "reports/home.html", {"digisnaps": digisnaps})


@login_required
@personal
@require_GET
def report(request):
    """«Rapportage en leersuggesties»: the way to the directors' report, as in the manual."""
    if not selectors.administers_any(request.user):
        raise Http404
    return render(request, "reports/report.html")


@login_required
@personal
@require_http_methods(["GET", "POST"])
def directors_report(request):
    """The form (digisnaps per school community, title, KlasCement, «Genereer») above the
    archive. A community's button ticks all its digisnaps and shows the form again."""
    digisnaps = selectors.director_digisnaps(request.user)
    if not digisnaps:
        raise Http404
    groups = choice_groups(digisnaps)
    selected = next((g for g in groups if g.key == request.POST.get("select")), None)
    if request.method == "POST" and selected is None:
        form = ReportForm(request.POST, digisnaps=digisnaps)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_request(
                    user=request.user,
                    digisnap_ids=data["digisnaps"],
                    title=data["title"],
                    include_training=data["include_training"],
                    token=data["token"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("reports:report_job", report.pk)
    else:
        initial = {"title": services.default_title(), "token": uuid.uuid4()}
        if selected is not None:
            ids = [digisnap.pk for digisnap in selected.digisnaps]
            initial = _typed(request.POST, initial) | {"digisnaps": ids}
        form = ReportForm(initial=initial, digisnaps=digisnaps)
    context = {
        "form": form.describe(),
        "groups": groups,
        "chosen": form.chosen(),
        "token": _token(form),
        "archive": _archive(request.user),
    }
    return render(
        request, "reports/directors_report.html", context, status=400 if form.errors else 200
    )


def _typed(data, initial: dict) -> dict:
    """What was typed besides the digisnaps, kept when a community's button is pressed."""
    try:
        token = uuid.UUID(data.get("token", ""))
    except ValueError:
        token = initial["token"]
    return {
        "title": data.get("title", initial["title"]),
        "include_training": bool(data.get("include_training")),
        "token": token,
    }


def _token(form: ReportForm) -> str:
    """The form's token, or a new one when the one sent back was not a valid token."""
    if form.is_bound and "token" in form.errors:
        return str(uuid.uuid4())
    return str(form["token"].value())


def _archive(user) -> list[Report]:
    digisnaps = Prefetch("digisnaps", queryset=Digisnap.objects.order_by("name", "pk"))
    return list(reports_for_viewer(user).prefetch_related(digisnaps).order_by("-created_at", "-pk"))


@login_required
@personal
@require_GET
def report_job(request, pk: int):
    """The report being made (a progress bar that updates itself), its failure with «Try
    again», or, once done, its downloads."""
    report = job_sweep(job=report_for_viewer(request.user, pk))
    digisnaps = report.digisnaps.select_related("institution").order_by("name", "pk")
    return render(request, "reports/report_job.html", {"report": report, "digisnaps": digisnaps})


@never_cache
@login_required
@personal
@require_GET
def report_status(request, pk: int):
    """What the progress bar on the report's page polls."""
    return JsonResponse(job_status(job_sweep(job=report_for_viewer(request.user, pk))))


@login_required
@personal
@require_POST
def report_retry(request, pk: int):
    report = report_for_viewer(request.user, pk)
    try:
        services.report_retry(report=report, user=request.user)
    except JobNotRetryable:
        messages.error(request, _("Only a report that failed can be tried again."))
    return redirect("reports:report_job", report.pk)


def _done_report(request, pk: int) -> Report:
    report = report_for_viewer(request.user, pk)
    if report.status != Report.Status.DONE:
        raise Http404
    return report


def _download(report: Report, field: str, *, content_type: str) -> FileResponse:
    """The stored file as an attachment named after the report's title and date."""
    try:
        handle = getattr(report, field).open("rb")
    except OSError as exc:  # the store lost it: say so instead of a 500
        raise Http404 from exc
    day = timezone.localdate(report.created_at).isoformat()
    name = f"{slugify(report.title)[:60] or 'report'}-{day}.{field}"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


@login_required
@personal
@require_GET
def report_pdf(request, pk: int):
    return _download(_done_report(request, pk), "pdf", content_type="application/pdf")


@login_required
@personal
@require_GET
def report_xlsx(request, pk: int):
    return _download(
        _done_report(request, pk),
        "xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@personal
@require_GET
def report_view(request, pk: int):
    """The stored report inside the site's layout, exactly as it was generated."""
    report = _done_report(request, pk)
    try:
        with report.html.open("rb") as handle:
            fragment = handle.read().decode()
    except OSError as exc:
        raise Http404 from exc
    # Our own template's output, escaped when it was rendered and stored unchanged since.
    context = {"report": report, "fragment": mark_safe(fragment)}  # noqa: S308
    return render(request, "reports/report_view.html", context)


def _qr_inline(digisnap: Digisnap) -> str:
    """The join link's QR code as inline SVG, labelled for screen readers, sized by CSS."""
    svg = qr_svg(digisnap.get_join_url())
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg, count=1)
    label = _("QR code of the link to take part")
    svg = svg.replace(
        "<svg", f'<svg class="team-qr" role="img" aria-label="{label}" focusable="false"', 1
    )
    return mark_safe(svg)  # noqa: S308 — generated by qrcode from our own URL; the label is ours


@login_required
@personal
@require_GET
def team_session(request, pk: int):
    digisnap = digisnap_for_director(request.user, pk)
    return render(
        request,
        "reports/team_session.html",
        {
            "digisnap": digisnap,
            "join_url": digisnap.get_join_url(),
            "qr": _qr_inline(digisnap),
            "counts": selectors.participation_of(digisnap),
            "poll_seconds": POLL_SECONDS,
            "refresh_seconds": REFRESH_SECONDS,
        },
    )


@login_required
@personal
@require_GET
def team_session_counts(request, pk: int):
    digisnap = digisnap_for_director(request.user, pk)
    return JsonResponse(selectors.participation_of(digisnap).as_dict())
