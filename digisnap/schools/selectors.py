"""Reads for schools: finding a digisnap by a typed code."""

from __future__ import annotations

from digisnap.schools.codes import normalize_code
from digisnap.schools.models import Digisnap


def digisnap_by_code(typed: str) -> Digisnap | None:
    code = normalize_code(typed)
    if code is None:
        return None
    return Digisnap.objects.select_related("institution").filter(code__iexact=code).first()
