"""`manage.py synthetic_data`: seeded schools and submitted rounds, scored with the real rule."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from digisnap.questionnaires.models import Answer, AreaResult, CompetenceResult, Response
from digisnap.questionnaires.scoring import score_response
from digisnap.questionnaires.selectors import framework_structure
from digisnap.schools.models import Digisnap, Institution, Membership, SchoolCommunity


def test_two_schools_of_five_teachers_make_ten_submitted_rounds_with_results(db, capsys):
    call_command("synthetic_data", schools=2, teachers_per_school=5)
    assert "Created 2 schools with 10 submitted responses" in capsys.readouterr().out
    assert SchoolCommunity.objects.count() == 1
    assert Institution.objects.count() == 2
    assert Digisnap.objects.count() == 2
    assert Membership.objects.count() == 10
    submitted = Response.objects.filter(status=Response.Status.SUBMITTED)
    assert submitted.count() == 10
    assert Response.objects.count() == 10
    for digisnap in Digisnap.objects.all():
        assert submitted.filter(digisnap=digisnap).count() == 5
    assert Answer.objects.count() == 10 * 30
    assert CompetenceResult.objects.count() == 10 * 22
    assert AreaResult.objects.count() == 10 * 6


def test_stored_results_are_the_scores_of_the_stored_answers(db):
    call_command("synthetic_data", schools=1, teachers_per_school=3, verbosity=0)
    for response in Response.objects.all():
        answers = dict(response.answers.values_list("item_id", "level"))
        competences, areas = score_response(
            answers, *framework_structure(framework_id=response.framework_id)
        )
        stored = {
            r.competence_id: (r.score, r.level, r.unknown_items)
            for r in response.competence_results.all()
        }
        assert stored == competences
        assert {r.area_id: (r.score, r.level) for r in response.area_results.all()} == areas


def test_the_same_seed_gives_the_same_answers(db):
    call_command("synthetic_data", schools=1, teachers_per_school=3, name="Eerste", verbosity=0)
    call_command("synthetic_data", schools=1, teachers_per_school=3, name="Tweede", verbosity=0)
    first, second = (
        list(
            Answer.objects.filter(response__digisnap__institution__community__name=name)
            .order_by("response__user__email", "item__position")
            .values_list("level", flat=True)
        )
        for name in ("Eerste", "Tweede")
    )
    assert first == second
    assert len(set(first)) > 1


def test_a_community_name_cannot_be_used_twice(db):
    call_command("synthetic_data", schools=1, teachers_per_school=1, verbosity=0)
    with pytest.raises(CommandError, match="exists already"):
        call_command("synthetic_data", schools=1, teachers_per_school=1, verbosity=0)
    assert Response.objects.count() == 1


@pytest.mark.parametrize(("schools", "teachers"), [(0, 5), (2, 0)])
def test_at_least_one_school_and_one_teacher_are_needed(db, schools, teachers):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("synthetic_data", schools=schools, teachers_per_school=teachers)
    assert not SchoolCommunity.objects.exists()
