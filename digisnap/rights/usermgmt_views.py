"""Gebruikersbeheer: the user manager's staff list, the three-step grant, and rights to extend
or end. Every view starts with rights.access.institution_for_user_manager."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from digisnap.core.access import personal
from digisnap.rights.access import institution_for_user_manager, today
from digisnap.rights.models import Right
from digisnap.rights.services import right_change, right_end
from digisnap.rights.usermgmt_csv import staff_csv_read, staff_csv_template, staff_csv_write
from digisnap.rights.usermgmt_forms import (
    GrantForm,
    RightChangeForm,
    RightEndForm,
    StaffSearchForm,
    StaffUploadForm,
    staff_pks_clean,
)
from digisnap.rights.usermgmt_selectors import (
    right_for_institution,
    right_history,
    rights_for_institution,
    staff_chosen,
    staff_search,
)
from digisnap.rights.usermgmt_services import staff_add_teachers, staff_import, staff_right_grant

RIGHT_DESCRIPTIONS = {
    Right.Kind.DIGISNAP_BEHEERDER: gettext_lazy(
        "This right gives access to Digisnap as its administrator: register as director of the "
        "institution's digisnaps and read the directors' report."
    ),
}


def _csv(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
@personal
def staff_list(request, pk: int):
    institution = institution_for_user_manager(request.user, pk)
    # Teachers who joined since the last visit appear without a separate step; idempotent.
    staff_add_teachers(institution=institution)
    form = StaffSearchForm(request.GET or None)
    staff = staff_search(institution=institution, filters=form.filters())
    return render(
        request,
        "rights/usermgmt/staff_list.html",
        {
            "institution": institution,
            "form": form,
            "staff": staff,
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@login_required
@personal
def staff_download(request, pk: int):
    institution = institution_for_user_manager(request.user, pk)
    staff = staff_search(institution=institution, filters=StaffSearchForm(request.GET).filters())
    return _csv(staff_csv_write(staff), f"personeel-{institution.number}.csv")


@require_GET
@login_required
def staff_template(request, pk: int):
    institution_for_user_manager(request.user, pk)
    return _csv(staff_csv_template(), "personeel-sjabloon.csv")


@login_required
@personal
def staff_upload(request, pk: int):
    institution = institution_for_user_manager(request.user, pk)
    errors = []
    form = StaffUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = staff_csv_read(form.cleaned_data["file"].read())
        errors = result.errors
        if not errors:
            count = staff_import(institution=institution, rows=result.rows)
            messages.success(
                request,
                ngettext(
                    "%(count)d person added or updated.",
                    "%(count)d people added or updated.",
                    count,
                )
                % {"count": count},
            )
            return redirect("usermgmt:staff_list", pk=institution.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "rights/usermgmt/staff_upload.html",
        {"institution": institution, "form": form, "errors": errors},
        status=status,
    )


@require_POST
@login_required
@personal
def grant(request, pk: int):
    """Three steps, one POST each, nothing stored in between: `step` names the step submitted
    (0: the selection on the list; 1 the right; 2 the details; 3 the confirmation)."""
    institution = institution_for_user_manager(request.user, pk)
    try:
        pks = staff_pks_clean(request.POST.getlist("staff"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("usermgmt:staff_list", pk=institution.pk)
    chosen = staff_chosen(institution=institution, pks=pks)
    if len(chosen) != len(pks):
        raise Http404  # an id of another institution's staff, edited into the form
    submitted = request.POST.get("step", "0")
    submitted = int(submitted) if submitted in {"0", "1", "2", "3"} else 0
    if submitted == 0:
        form = GrantForm(initial={"kind": Right.Kind.DIGISNAP_BEHEERDER}, step=1)
        return _grant_step(request, institution, chosen, form, 1)
    form = GrantForm(request.POST, step=submitted)
    if "back" in request.POST:
        return _grant_step(request, institution, chosen, form, submitted - 1)
    if not form.is_valid():
        return _grant_step(request, institution, chosen, form, min(submitted, 2), status=400)
    if submitted < 3:
        return _grant_step(request, institution, chosen, form, submitted + 1)
    data = form.cleaned_data
    try:
        staff_right_grant(
            institution=institution,
            staff=chosen,
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            reason=data["reason"],
            granted_by=request.user,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _grant_step(request, institution, chosen, form, 2, status=400)
    messages.success(
        request,
        ngettext(
            "The right is granted to %(count)d person, who receives an e-mail.",
            "The right is granted to %(count)d people; each receives an e-mail.",
            len(chosen),
        )
        % {"count": len(chosen)},
    )
    return redirect("usermgmt:rights", pk=institution.pk)


def _grant_step(request, institution, chosen, form, step: int, *, status: int = 200):
    if step < 1:
        return redirect("usermgmt:staff_list", pk=institution.pk)
    kind = form["kind"].value() or Right.Kind.DIGISNAP_BEHEERDER
    return render(
        request,
        "rights/usermgmt/grant.html",
        {
            "institution": institution,
            "chosen": chosen,
            "form": form,
            "step": step,
            "kind_label": dict(Right.Kind.choices).get(kind, ""),
            "description": RIGHT_DESCRIPTIONS.get(kind, ""),
            "descriptions": RIGHT_DESCRIPTIONS,
        },
        status=status,
    )


@require_GET
@login_required
@personal
def rights(request, pk: int):
    institution = institution_for_user_manager(request.user, pk)
    return render(
        request,
        "rights/usermgmt/rights.html",
        {
            "institution": institution,
            "rights": rights_for_institution(institution=institution),
            "today": today(),
        },
    )


@login_required
@personal
def right_detail(request, pk: int, right_pk: int):
    """One right with its history; POST extends (or shortens) it, or ends it."""
    institution = institution_for_user_manager(request.user, pk)
    right = right_for_institution(institution=institution, pk=right_pk)
    if right is None:
        raise Http404
    change_form = RightChangeForm(initial={"ends_on": right.ends_on}, prefix="change")
    end_form = RightEndForm(prefix="end")
    status = 200
    if request.method == "POST" and right.source != Right.Source.LOCAL:
        # A right from ACM/IDM is managed there; a copy changed here would be overwritten.
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "change":
            change_form = RightChangeForm(request.POST, prefix="change")
            form = change_form
        else:
            end_form = RightEndForm(request.POST, prefix="end")
            form = end_form
        if form.is_valid():
            try:
                if action == "change":
                    right_change(
                        right=right,
                        ends_on=form.cleaned_data["ends_on"],
                        reason=form.cleaned_data["reason"],
                        changed_by=request.user,
                    )
                else:
                    right_end(
                        right=right, reason=form.cleaned_data["reason"], ended_by=request.user
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The right is saved."))
                return redirect("usermgmt:right_detail", pk=institution.pk, right_pk=right.pk)
        status = 400
    return render(
        request,
        "rights/usermgmt/right_detail.html",
        {
            "institution": institution,
            "right": right,
            "events": right_history(right=right),
            "change_form": change_form,
            "end_form": end_form,
        },
        status=status,
    )
