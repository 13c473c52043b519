"""Reads for schools: finding a digisnap by a typed code."""

from __future__ import annotations

from django.db.models.functions import Lower

from digisnap.schools.codes import normalize_code
from digisnap.schools.models import Digisnap


def digisnap_by_code(typed: str) -> Digisnap | None:
    code = normalize_code(typed)
    if code is None:
        return None
    # Compared as Lower(code) = lower-cased input, the very expression of the unique index, so
    # the index serves the lookup (`code__iexact` compiles to UPPER(...) on PostgreSQL and scans).
    return (
        Digisnap.objects.select_related("institution")
        .alias(code_lower=Lower("code"))
        .filter(code_lower=code.lower())
        .first()
    )
