"""«Mijn account»: a person's name, links to allauth's e-mail and password pages, and their data
rights — download everything as JSON or CSV, delete the account. Here, at the top of the
teacher's stack, because the download gathers rounds (questionnaires) and marks (learning)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from digisnap.accounts.forms import AccountDeleteForm, NameForm
from digisnap.accounts.services import (
    AccountDeletionRefused,
    account_deletion_refusal,
    user_delete,
    user_name_change,
)
from digisnap.core.access import personal
from digisnap.learning.personal_data import personal_data, personal_data_csv, personal_data_json


@require_http_methods(["GET", "POST"])
@login_required
@personal
def account(request):
    user = request.user
    if request.method == "POST":
        form = NameForm(request.POST)
        if form.is_valid():
            user_name_change(user=user, **form.cleaned_data)
            messages.success(request, _("Your name is saved."))
            return redirect("myaccount:home")
    else:
        form = NameForm(initial={"first_name": user.first_name, "last_name": user.last_name})
    return render(
        request,
        "learning/account/home.html",
        {"form": form.describe(), "refusal": account_deletion_refusal(user=user)},
    )


def _download(content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    filename = f"digisnap-mijn-gegevens-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
@personal
def export_json(request):
    data = personal_data_json(personal_data(user=request.user))
    return _download(data, "application/json; charset=utf-8", "json")


@require_GET
@login_required
@personal
def export_csv(request):
    data = personal_data_csv(personal_data(user=request.user))
    return _download(data, "text/csv; charset=utf-8", "csv")


@require_http_methods(["GET", "POST"])
@login_required
@personal
def delete(request):
    user = request.user
    refusal = account_deletion_refusal(user=user)
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            user_delete(user=user)
        except AccountDeletionRefused:  # a right granted between the page and the click
            refusal = account_deletion_refusal(user=user)
        else:
            logout(request)
            messages.success(request, _("Your account and all your data are deleted."))
            return redirect("questionnaires:home")
    status = 403 if request.method == "POST" and refusal else 200
    return render(
        request,
        "learning/account/delete.html",
        {"form": form.describe(), "refusal": refusal},
        status=status,
    )
