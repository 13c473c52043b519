"""The learning part of a teacher's result page and PDF («Leerroutes», «Leersuggesties»)."""

from django.utils import translation

from digisnap.learning.selectors import learning_routes, marked_trainings
from digisnap.questionnaires.models import Response


def learning_section(*, response: Response, for_pdf: bool) -> dict:
    language = (translation.get_language() or "nl")[:2]
    return {
        "template": "learning/_result_section.html",
        "routes": learning_routes(response=response, language=language),
        "marks": list(marked_trainings(user_id=response.user_id)),
        "for_pdf": for_pdf,
    }
