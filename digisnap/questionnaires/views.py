"""The teacher's journey: home, join with a code or link, fill in, review, submit, see the result."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digisnap.core.access import personal
from digisnap.core.levels import Level
from digisnap.core.ratelimit import GuessLimits, Verdict, guess_record_wrong, guess_verdict
from digisnap.questionnaires import selectors, services
from digisnap.questionnaires.access import response_for_owner
from digisnap.questionnaires.forms import (
    CodeForm,
    PageAnswersForm,
    answer_from_autosave,
    sequence_from_autosave,
)
from digisnap.questionnaires.models import Response
from digisnap.questionnaires.rendering import (
    result_body_html,
    result_pdf_bytes,
    result_rose,
    rose_etag,
)
from digisnap.schools.codes import normalize_code
from digisnap.schools.models import Digisnap
from digisnap.schools.selectors import digisnap_by_code, institutions_managed_by

JOIN_ACTION = "join-code"


def _join_limits() -> GuessLimits:
    return GuessLimits(
        per_guesser=settings.JOIN_CODE_ATTEMPTS,
        per_address=settings.JOIN_CODE_ADDRESS_ATTEMPTS,
        window_seconds=settings.JOIN_CODE_WINDOW_SECONDS,
    )


def _code_verdict(request) -> Verdict:
    return guess_verdict(request, action=JOIN_ACTION, limits=_join_limits())


def _count_wrong_code(request) -> None:
    guess_record_wrong(request, action=JOIN_ACTION, limits=_join_limits())


def _sign_in_first(request, code: str):
    """Someone at this address is guessing: every code, valid or not, leads to sign-up first."""
    messages.info(request, _("Sign in or create an account to continue with this code."))
    query = urlencode({"next": reverse("questionnaires:join", kwargs={"code": code})})
    return redirect(f"{reverse('account_signup')}?{query}")


@personal
def home(request):
    form = CodeForm()
    if not request.user.is_authenticated:
        context = {"form": form, "reading": _reading_time_of_new_rounds()}
        return render(request, "questionnaires/landing.html", context)
    rounds = list(selectors.rounds_of_user(user=request.user))
    today = timezone.localdate()
    context = {
        "form": form,
        "rounds": rounds,
        # Closing a digisnap stops new rounds: no button that would only be refused.
        "open_digisnaps": {r.digisnap_id for r in rounds if r.digisnap.is_open(today)},
        "managed_institutions": institutions_managed_by(user=request.user),
    }
    return render(request, "questionnaires/home.html", context)


def _reading_time_of_new_rounds() -> selectors.ReadingTime | None:
    framework = selectors.framework_current()
    return selectors.framework_reading_time(framework=framework) if framework else None


def join_by_code(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = _code_verdict(request)
        if verdict is Verdict.LIMITED:
            form.add_error(
                "code", _("Too many wrong codes. Wait a quarter of an hour and try again.")
            )
            return render(request, "questionnaires/join_code.html", {"form": form}, status=429)
        # Whether a typed text has the shape of a code is public, so it may be answered at once.
        code = normalize_code(form.cleaned_data["code"])
        if verdict is Verdict.DEFER and code is not None:
            return _sign_in_first(request, code)
        digisnap = digisnap_by_code(code or "")
        if digisnap is not None:
            return redirect("questionnaires:join", code=digisnap.code)
        _count_wrong_code(request)
        form.add_error("code", _("We don't know this code. Check it with your school."))
    return render(request, "questionnaires/join_code.html", {"form": form})


class TooManyWrongCodes(Exception):
    pass


class SignInFirst(Exception):
    pass


def _digisnap_for_link(request, code: str) -> Digisnap:
    verdict = _code_verdict(request)
    if verdict is Verdict.LIMITED:
        raise TooManyWrongCodes
    if verdict is Verdict.DEFER:
        raise SignInFirst
    digisnap = digisnap_by_code(code)
    if digisnap is None:
        _count_wrong_code(request)
        raise Http404(_("We don't know this code."))
    return digisnap


@personal
def join(request, code: str):
    try:
        digisnap = _digisnap_for_link(request, code)
    except TooManyWrongCodes:
        context = {"form": CodeForm(), "limited": True}
        return render(request, "questionnaires/join_code.html", context, status=429)
    except SignInFirst:
        return _sign_in_first(request, code)
    if digisnap.code != code:
        return redirect("questionnaires:join", code=digisnap.code)
    if not request.user.is_authenticated:
        request.session["joining"] = {"name": digisnap.name, "code": digisnap.code}
        query = urlencode({"next": request.path})
        return redirect(f"{reverse('account_signup')}?{query}")
    if request.method == "POST":
        try:
            response = services.digisnap_join_and_start(user=request.user, digisnap=digisnap)
        except ValidationError as exc:  # closed, not open yet, or no questionnaire loaded
            messages.error(request, " ".join(exc.messages))
        else:
            request.session.pop("joining", None)
            return redirect("questionnaires:questionnaire", pk=response.pk)
    is_open = digisnap.is_open(timezone.localdate())
    responses = selectors.responses_of_user(user=request.user).filter(digisnap=digisnap)
    draft = next((r for r in responses if r.status == Response.Status.DRAFT), None)
    if draft is not None and is_open:
        return redirect("questionnaires:questionnaire", pk=draft.pk)
    context = {
        "digisnap": digisnap,
        "is_open": is_open,
        "responses": responses,
        "reading": _reading_time_of_new_rounds(),
    }
    return render(request, "questionnaires/join.html", context)


@login_required
def questionnaire(request, pk: int):
    """Resume exactly where the teacher was: the page they were on, else the first open page."""
    response = response_for_owner(request.user, pk)
    if response.is_submitted:
        return redirect("questionnaires:result", pk=response.pk)
    area = response.current_area or selectors.first_unanswered_area(response=response)
    if area is None:
        return redirect("questionnaires:review", pk=response.pk)
    return redirect("questionnaires:page", pk=response.pk, area_code=area.code)


def _destination(request, response: Response, areas: list, index: int):
    """Where a page's buttons lead after its answers are saved; every way out saves first."""
    go = request.POST.get("go", "")
    if go == "part":  # the compact part navigation of small screens: a list and one button
        go = request.POST.get("go_part", "")
    codes = [area.code for area in areas]
    if go == "stop":
        messages.success(request, _("Your answers are saved. You can continue later."))
        return redirect("questionnaires:home")
    if go.startswith("area:") and go[5:] in codes:
        return redirect("questionnaires:page", pk=response.pk, area_code=go[5:])
    if go == "previous" and index > 0:
        return redirect("questionnaires:page", pk=response.pk, area_code=codes[index - 1])
    if go == "next" and index + 1 < len(codes):
        return redirect("questionnaires:page", pk=response.pk, area_code=codes[index + 1])
    return redirect("questionnaires:review", pk=response.pk)


@personal
@login_required
def page(request, pk: int, area_code: str):
    response = response_for_owner(request.user, pk)
    if response.is_submitted:
        return redirect("questionnaires:result", pk=response.pk)
    areas = selectors.questionnaire_areas(framework_id=response.framework_id)
    index = next((i for i, a in enumerate(areas) if a.code == area_code), None)
    if index is None:
        raise Http404
    area = areas[index]
    items = [item for competence in area.competences.all() for item in competence.items.all()]
    form = PageAnswersForm(request.POST if request.method == "POST" else None, items=items)
    if form.is_bound:
        # The valid answers are saved even when another one on the page is not.
        form.is_valid()
        try:
            services.answers_save(response=response, levels=form.levels())
        except ValidationError as exc:  # submitted meanwhile, e.g. in another tab
            messages.error(request, " ".join(exc.messages))
            return redirect("questionnaires:questionnaire", pk=response.pk)
        if not form.errors:
            return _destination(request, response, areas, index)
    services.response_visit_area(response=response, area=area)
    answers = selectors.response_answers(response=response)
    errors = form.item_errors() if form.is_bound else {}
    context = {
        "response": response,
        "areas": areas,
        "area": area,
        "position": index + 1,
        "has_previous": index > 0,
        "has_next": index + 1 < len(areas),
        "answers": answers,
        "errors": errors,
        "answered": len(answers),
        "total": sum(len(c.items.all()) for a in areas for c in a.competences.all()),
        "unknown_level": Level.UNKNOWN,
        "clock_ms": services.clock_ms(),
    }
    return render(request, "questionnaires/page.html", context, status=400 if errors else 200)


@require_POST
def answer(request, pk: int):
    """Autosave of one answer (our JavaScript); answers the new progress as JSON.

    Every refusal is JSON with a message the script shows beside the question, so a teacher who
    was signed out meanwhile reads that rather than «check your connection».
    """
    if not request.user.is_authenticated:
        message = _("You are signed out. Sign in again; your other answers are kept.")
        return JsonResponse({"error": message}, status=403)
    response = response_for_owner(request.user, pk, for_display=False)
    answer = answer_from_autosave(request.POST)
    if answer is None:
        return JsonResponse({"error": _("Choose one of the answers.")}, status=400)
    item_id, level = answer
    sequence = sequence_from_autosave(request.POST)
    try:
        written = services.answers_save(
            response=response,
            levels={item_id: level},
            sequences={} if sequence is None else {item_id: sequence},
        )
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=409)
    # stored is false when a newer choice for this question was saved first: still saved.
    return JsonResponse(
        {
            "saved": True,
            "stored": item_id in written,
            "answered": selectors.answered_count(response_id=pk),
        }
    )


@personal
@login_required
def review(request, pk: int):
    response = response_for_owner(request.user, pk)
    if response.is_submitted:
        return redirect("questionnaires:result", pk=response.pk)
    error = None
    if request.method == "POST":
        try:
            services.response_submit(response=response)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Thank you! Your answers are submitted."))
            return redirect("questionnaires:result", pk=response.pk)
    missing = selectors.unanswered_items(response=response)
    total = selectors.item_count(framework_id=response.framework_id)
    context = {
        "response": response,
        "missing": missing,
        "answered": total - len(missing),
        "total": total,
        "areas": selectors.area_progress(response=response),
        "error": error,
    }
    return render(request, "questionnaires/review.html", context, status=400 if error else 200)


@personal
@login_required
def result(request, pk: int):
    response = response_for_owner(request.user, pk, state=Response.Status.SUBMITTED)
    body = result_body_html(request=request, response=response)
    return render(request, "questionnaires/result.html", {"response": response, "body": body})


ROSE_MAX_AGE_SECONDS = 24 * 3600


@login_required
def result_rose_svg(request, pk: int):
    """The competence rose as an image of its own: a submitted result never changes, so the
    browser keeps it (privately, never a shared cache) and asks again with its ETag."""
    response = response_for_owner(
        request.user, pk, state=Response.Status.SUBMITTED, for_display=False
    )
    etag = rose_etag(response)
    last_modified = response.submitted_at.timestamp()
    answer = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if answer is None:
        svg = result_rose(summary=selectors.result_summary(response=response))
        answer = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    answer.headers["ETag"] = etag
    answer.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(answer, private=True, max_age=ROSE_MAX_AGE_SECONDS)
    return answer


@personal
@login_required
def result_pdf(request, pk: int):
    response = response_for_owner(request.user, pk, state=Response.Status.SUBMITTED)
    pdf = result_pdf_bytes(response=response, base_url=request.build_absolute_uri("/"))
    filename = f"digisnap-resultaat-{timezone.localtime(response.submitted_at):%Y-%m-%d}.pdf"
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _confirmed(request) -> bool:
    """A step that cannot be undone happens on a POST from its confirmation page only."""
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


@personal
@login_required
def new_round(request, pk: int):
    """Start a new round of a digisnap after a confirmation page (which works without script)."""
    response = response_for_owner(request.user, pk, state=Response.Status.SUBMITTED)
    rounds = selectors.responses_of_user(user=request.user).filter(digisnap=response.digisnap)
    draft = next((r for r in rounds if r.status == Response.Status.DRAFT), None)
    if draft is not None:  # a new round was started already: nothing to confirm
        return redirect("questionnaires:questionnaire", pk=draft.pk)
    if not _confirmed(request):
        context = {"response": response, "number": len(rounds) + 1}
        return render(request, "questionnaires/new_round_confirm.html", context)
    try:
        draft = services.response_start(user=request.user, digisnap=response.digisnap)
    except ValidationError as exc:  # the digisnap closed, or no questionnaire is loaded
        messages.error(request, " ".join(exc.messages))
        return redirect("questionnaires:result", pk=response.pk)
    return redirect("questionnaires:questionnaire", pk=draft.pk)


@personal
@login_required
def discard(request, pk: int):
    """Throw away the teacher's own round in progress, after a confirmation page."""
    response = response_for_owner(request.user, pk, state=Response.Status.DRAFT)
    if not _confirmed(request):
        context = {
            "response": response,
            "number": selectors.round_number(response=response),
            "answered": selectors.answered_count(response_id=response.pk),
        }
        return render(request, "questionnaires/discard_confirm.html", context)
    try:
        services.response_discard(response=response)
    except ValidationError as exc:  # submitted meanwhile, e.g. in another tab
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your round in progress was discarded."))
    return redirect("questionnaires:home")
