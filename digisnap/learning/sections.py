"""The learning part of a teacher's result page and PDF: the competences to work on first at
the top, and «Leerroutes» and «Leersuggesties» further down."""

from django.db import connection
from django.utils import translation

from digisnap.learning.models import SuggestionMark, Training
from digisnap.learning.selectors import (
    focus_steps,
    learning_routes,
    marked_trainings,
    training_suggestions,
)
from digisnap.questionnaires.models import CompetenceResult, NextStep, Response


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


def learning_section_version(*, response: Response) -> str:
    """What the section shows that changes after the round was submitted: the owner's marks
    (a new, changed or cleared mark), the catalogue (an import or a staff change writes
    `updated_at`; a new training raises the count) and the next-step texts of a newly loaded
    framework. The result page keeps its rendered body under this version. One query."""
    marks = SuggestionMark._meta.db_table
    trainings = Training._meta.db_table
    steps = NextStep._meta.db_table
    # Table names from the models, values as parameters.
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {marks} WHERE user_id = %s),"  # noqa: S608
        f" (SELECT MAX(updated_at) FROM {marks} WHERE user_id = %s),"
        f" (SELECT COUNT(*) FROM {trainings}), (SELECT MAX(updated_at) FROM {trainings}),"
        f" (SELECT COUNT(*) FROM {steps}), (SELECT MAX(id) FROM {steps})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [response.user_id, response.user_id])
        row = cursor.fetchone()
    return "marks={}@{};trainings={}@{};steps={}@{}".format(*row)


learning_section.version = learning_section_version
