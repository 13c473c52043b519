"""Who may reach a round of the questionnaire: its owner, and nobody else (not even staff).

Every view that takes a response's number calls `response_for_owner` first; services then trust
the object they are given. The rule answers 404 for anybody else's round, so a guessed number does
not even reveal that the round exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from digisnap.accounts.models import User
from digisnap.questionnaires.models import Response


def response_for_owner(
    user: User | AnonymousUser,
    pk: int,
    *,
    state: Response.Status | None = None,
    for_display: bool = True,
) -> Response:
    """The user's own round `pk`, in `state` when one is asked for; else a 404.

    A round in another state is a 404 too: a result of a round still in progress does not exist.
    With for_display (pages), the digisnap, school and framework come in the same query; the
    autosave, the hottest request of a team session, needs only the round itself.
    """
    if not user.is_authenticated:
        raise Http404
    rounds = Response.objects.all()
    if for_display:
        rounds = rounds.select_related("digisnap__institution", "framework")
    if state is not None:
        rounds = rounds.filter(status=state)
    return get_object_or_404(rounds, pk=pk, user=user)
