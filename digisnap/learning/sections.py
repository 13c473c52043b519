"""The learning part of a teacher's result page and PDF: the competences to work on first at
the top, and «Leerroutes» and «Leersuggesties» further down."""

from django.utils import translation

from digisnap.learning.selectors import (
    focus_steps,
    learning_routes,
    marked_trainings,
    training_suggestions,
)
from digisnap.questionnaires.models import CompetenceResult, Response


def learning_section(
    *,
    response: Response,
    for_pdf: bool,
    competence_results: list[CompetenceResult] | None = None,
) -> dict:
    language = (translation.get_language() or "nl")[:2]
    marks = list(marked_trainings(user_id=response.user_id))
    routes = learning_routes(
        response=response,
        language=language,
        results=competence_results,
        marks={mark.training_id: mark.status for mark in marks},
    )
    return {
        "template": "learning/_result_section.html",
        "summary_template": "learning/_result_focus.html",
        "routes": routes,
        "focus": focus_steps(routes=routes),
        "suggestions": training_suggestions(routes=routes),
        "marks": marks,
        "language": language,
        "for_pdf": for_pdf,
    }
