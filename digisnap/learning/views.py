"""Teachers mark a suggested training as planned or done (a plain form; no JavaScript needed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digisnap.core.http import redirect_back
from digisnap.learning.forms import MarkForm
from digisnap.learning.models import Training
from digisnap.learning.services import suggestion_mark


@login_required
@require_POST
def mark(request, pk: int):
    training = get_object_or_404(Training, pk=pk, state=Training.State.ACTIVE)
    form = MarkForm(request.POST)
    if form.is_valid():
        suggestion_mark(
            user=request.user,
            training=training,
            competence_code=form.cleaned_data["competence_code"],
            status=form.cleaned_data["status"],
        )
        messages.success(request, _("Saved: %(title)s") % {"title": training.title})
    else:
        messages.error(request, _("That did not work; choose planned or done."))
    return redirect_back(request, "questionnaires:home")
