"""Pending merge into services.py."""

from django.db import transaction

from digisnap.accounts.models import User
from digisnap.learning.models import SuggestionMark, Training


@transaction.atomic
def suggestion_mark(*, user: User, training: Training, competence_code: str, status: str) -> None:
    """Note that a teacher plans or did a suggested training; "clear" removes the note."""
    if status == "clear":
        SuggestionMark.objects.filter(user=user, training=training).delete()
        return
    mark = SuggestionMark(
        user=user, training=training, competence_code=competence_code, status=status
    )
    mark.full_clean(validate_unique=False, validate_constraints=False)
    SuggestionMark.objects.update_or_create(
        user=user,
        training=training,
        defaults={"competence_code": competence_code, "status": status},
    )
