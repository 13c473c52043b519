"""Pages of access requests (the public form and its status page, the staff review queue) and
the printable poster of a digisnap."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digisnap.core.access import personal, staff_required
from digisnap.core.jobs import JobNotRetryable
from digisnap.core.ratelimit import GuessLimits, Verdict, guess_record_wrong, guess_verdict
from digisnap.schools import services
from digisnap.schools.access import access_request_for_link, digisnap_for_poster
from digisnap.schools.forms import AccessRequestForm, RejectForm
from digisnap.schools.models import AccessRequest
from digisnap.schools.selectors import access_requests_for_queue, institution_facts

REQUEST_ACTION = "access-request"
PAGE_SIZE = 50


def _request_limits() -> GuessLimits:
    return GuessLimits(
        per_guesser=settings.ACCESS_REQUEST_ATTEMPTS,
        per_address=settings.ACCESS_REQUEST_ADDRESS_ATTEMPTS,
        window_seconds=settings.ACCESS_REQUEST_WINDOW_SECONDS,
    )


def _email_key(email: str) -> str:
    limits = _request_limits()
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    window = int(time.time() // limits.window_seconds)  # the windows of core.ratelimit
    return f"ratelimit:{REQUEST_ACTION}:{window}:email:{digest}"


def _may_submit(request, email: str) -> bool:
    """Counted like the code guesser (see core.ratelimit): per session and account with a small
    budget, so one eager person stops long before the school's shared address does; per address
    with a budget sized for a whole school; and per e-mail address. Only a flood from one
    address that keeps dropping its session reaches the address budget, for one window."""
    limits = _request_limits()
    if guess_verdict(request, action=REQUEST_ACTION, limits=limits) is not Verdict.OPEN:
        return False
    per_email = settings.ACCESS_REQUEST_EMAIL_ATTEMPTS
    return cache.get(_email_key(email), 0) < per_email


def _count_submission(request, email: str) -> None:
    limits = _request_limits()
    guess_record_wrong(request, action=REQUEST_ACTION, limits=limits)
    key = _email_key(email)
    if not cache.add(key, 1, timeout=2 * limits.window_seconds):
        try:
            cache.incr(key)
        except ValueError:
            cache.add(key, 1, timeout=2 * limits.window_seconds)


def request_new(request):
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST":
        # The same answer for a robot and for every limit: nobody learns which rule tripped.
        email = request.POST.get("email", "")
        if form.is_robot or not _may_submit(request, email):
            messages.error(
                request,
                _("We could not take your request right now. Please try again in an hour."),
            )
            return render(request, "schools/request_form.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            access_request = services.access_request_submit(
                **{k: v for k, v in data.items() if k != "website"}
            )
            _count_submission(request, email)
            messages.success(
                request,
                _("Thank you! We have sent you an e-mail with the link to this page."),
            )
            return redirect(access_request)
    return render(
        request, "schools/request_form.html", {"form": form}, status=400 if form.errors else 200
    )


@personal
def request_status(request, token: str):
    access_request = access_request_for_link(token)
    return render(request, "schools/request_status.html", {"access_request": access_request})


@staff_required
def queue(request):
    page = Paginator(access_requests_for_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "schools/staff/queue.html", {"page": page})


def _detail(request, access_request: AccessRequest, *, reject_form=None, status: int = 200):
    context = {
        "access_request": access_request,
        "facts": institution_facts(access_request),
        "events": access_request.events.select_related("actor"),
        "reject_form": reject_form or RejectForm(),
        "mails": [
            (label, mail)
            for label, mail in (
                (_("Confirmation"), access_request.confirmation_mail),
                (_("Decision"), access_request.decision_mail),
                (_("Codes"), access_request.codes_mail),
            )
            if mail is not None
        ],
    }
    return render(request, "schools/staff/detail.html", context, status=status)


def _for_staff(pk: int) -> AccessRequest:
    return get_object_or_404(
        AccessRequest.objects.select_related(
            "community",
            "institution",
            "decided_by",
            "confirmation_mail",
            "decision_mail",
            "codes_mail",
        ),
        pk=pk,
    )


@staff_required
def detail(request, pk: int):
    return _detail(request, _for_staff(pk))


@staff_required
@require_POST
def approve(request, pk: int):
    access_request = _for_staff(pk)
    try:
        services.access_request_approve(access_request=access_request, decided_by=request.user)
    except services.AccessRequestAlreadyDecided:
        messages.error(request, _("This request was already decided; nothing was changed."))
    else:
        messages.success(request, _("Approved. The codes e-mail is on its way."))
    return redirect("schools:detail", pk=pk)


@staff_required
@require_POST
def reject(request, pk: int):
    access_request = _for_staff(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail(request, access_request, reject_form=form, status=400)
    try:
        services.access_request_reject(
            access_request=access_request,
            decided_by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.AccessRequestAlreadyDecided:
        messages.error(request, _("This request was already decided; nothing was changed."))
    else:
        messages.success(request, _("Rejected. The requester gets the reason by e-mail."))
    return redirect("schools:detail", pk=pk)


@staff_required
@require_POST
def codes_resend(request, pk: int):
    access_request = _for_staff(pk)
    try:
        services.access_request_codes_resend(access_request=access_request, started_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The codes e-mail is on its way again."))
    return redirect("schools:detail", pk=pk)


@staff_required
@require_POST
def mail_retry(request, pk: int, mail_pk: int):
    access_request = _for_staff(pk)
    try:
        services.access_request_mail_retry(
            access_request=access_request, mail_pk=mail_pk, started_by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except JobNotRetryable:
        messages.error(request, _("Only a failed e-mail can be sent again."))
    else:
        messages.success(request, _("The e-mail is on its way again."))
    return redirect("schools:detail", pk=pk)


@login_required
def poster(request, pk: int):
    from digisnap.schools.posters import digisnap_poster_pdf

    digisnap = digisnap_for_poster(request.user, pk)
    filename = f"digisnap-affiche-{slugify(digisnap.name) or digisnap.pk}.pdf"
    return HttpResponse(
        digisnap_poster_pdf(digisnap=digisnap),
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
