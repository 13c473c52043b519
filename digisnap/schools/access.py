"""Who may reach what of schools: an access request by its private link, a digisnap's poster."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from digisnap.accounts.models import User
from digisnap.schools.models import AccessRequest, Digisnap


def access_request_for_link(token: str) -> AccessRequest:
    """Whoever holds the private link may read the request; any other token is a 404."""
    return get_object_or_404(AccessRequest.objects.select_related("community"), token=token)


def digisnap_for_poster(user: User, pk: int) -> Digisnap:
    """Platform admins, and the user managers of the digisnap's institution; for anybody else
    the digisnap does not exist (404), so another school's digisnaps cannot be probed."""
    digisnaps = Digisnap.objects.select_related("institution")
    if not user.is_staff:
        digisnaps = digisnaps.filter(institution__managers__user=user)
    digisnap = digisnaps.filter(pk=pk).first()
    if digisnap is None:
        raise Http404
    return digisnap
