"""Pages of rights: a director registers on a digisnap with its code; a platform admin names user
managers and sees every user's rights with their source and history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digisnap.accounts.models import User
from digisnap.core.access import personal, staff_required
from digisnap.core.ratelimit import GuessLimits, Verdict, guess_record_wrong, guess_verdict
from digisnap.rights import selectors, services
from digisnap.rights.access import today
from digisnap.rights.forms import DirectorRegistrationForm, UserManagerForm
from digisnap.schools.models import InstitutionManager
from digisnap.schools.selectors import digisnap_by_code

DIRECTOR_CODE_ACTION = "director-code"


def _code_limits() -> GuessLimits:
    # The same budget as the teachers' join code: a director types a code as rarely as a teacher.
    return GuessLimits(
        per_guesser=settings.JOIN_CODE_ATTEMPTS,
        per_address=settings.JOIN_CODE_ADDRESS_ATTEMPTS,
        window_seconds=settings.JOIN_CODE_WINDOW_SECONDS,
    )


def _refusal_message(kind: str, right, digisnap) -> str:
    institution = str(digisnap.institution)
    if kind == "expired":
        return _(
            "Your right «Digisnap Beheerder» for %(institution)s ended on %(date)s. "
            "Ask your school's user manager to extend it."
        ) % {"institution": institution, "date": formats.date_format(right.ends_on)}
    if kind == "ended":
        return _(
            "Your right «Digisnap Beheerder» for %(institution)s was ended. "
            "Ask your school's user manager."
        ) % {"institution": institution}
    if kind == "future":
        return _(
            "Your right «Digisnap Beheerder» for %(institution)s only starts on %(date)s. "
            "Register from that day on."
        ) % {"institution": institution, "date": formats.date_format(right.starts_on)}
    return _(
        "You have no right «Digisnap Beheerder» for %(institution)s, so you cannot register "
        "on its digisnap. Ask your school's user manager for this right."
    ) % {"institution": institution}


def _director_home() -> str:
    # The director's home lives in the reports app, which rights may not import: by name only.
    try:
        return reverse("reports:home")
    except NoReverseMatch:
        return reverse("questionnaires:home")


@personal
@login_required
def director_register(request):
    user = request.user
    initial = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
    form = DirectorRegistrationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        verdict = guess_verdict(request, action=DIRECTOR_CODE_ACTION, limits=_code_limits())
        if verdict is not Verdict.OPEN:
            form.add_error(
                "code", _("Too many wrong codes. Wait a quarter of an hour and try again.")
            )
            status = 429
        elif (digisnap := digisnap_by_code(form.cleaned_data["code"])) is None:
            guess_record_wrong(request, action=DIRECTOR_CODE_ACTION, limits=_code_limits())
            form.add_error(
                "code",
                _("We don't know this code. Check it in the e-mail with your school's codes."),
            )
        else:
            on = today()
            try:
                services.director_register(
                    user=user,
                    digisnap=digisnap,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    on=on,
                )
            except services.NoValidRight:
                kind, right = selectors.refusal(user, digisnap.institution, on=on)
                form.add_error("code", _refusal_message(kind, right, digisnap))
                status = 403
            else:
                messages.success(
                    request,
                    _("You successfully registered on Digisnap '%(name)s' (%(code)s).")
                    % {"name": digisnap.name, "code": digisnap.code},
                )
                return redirect(_director_home())
    return render(
        request, "rights/director_register.html", {"form": form.describe()}, status=status
    )


@staff_required
def staff_overview(request):
    form = UserManagerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        manager = services.institution_manager_add(
            user=form.cleaned_data["email"], institution=form.cleaned_data["institution"]
        )
        messages.success(
            request,
            _("%(user)s is now user manager of %(institution)s.")
            % {"user": manager.user.email, "institution": manager.institution},
        )
        return redirect("rights:staff_overview")
    query = request.GET.get("q", "")
    context = {
        "form": form.describe(),
        "managers": selectors.user_managers(),
        "query": query,
        "found": selectors.users_matching(query),
    }
    return render(request, "rights/staff/overview.html", context)


@staff_required
@require_POST
def staff_manager_remove(request, pk: int):
    manager = get_object_or_404(
        InstitutionManager.objects.select_related("user", "institution"), pk=pk
    )
    services.institution_manager_remove(manager=manager)
    messages.success(
        request,
        _("%(user)s is no longer user manager of %(institution)s.")
        % {"user": manager.user.email, "institution": manager.institution},
    )
    return redirect("rights:staff_overview")


@staff_required
def staff_user(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    context = {
        "person": person,
        "rights": selectors.rights_of_user(person),
        "managed": person.managed_institutions.select_related("institution"),
        "today": today(),
    }
    return render(request, "rights/staff/user.html", context)
