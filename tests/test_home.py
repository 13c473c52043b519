"""The home page: a landing page for visitors, and a teacher's own digisnaps once signed in."""

from digisnap.questionnaires.models import Response
from digisnap.questionnaires.services import response_start
from digisnap.schools.models import Institution, InstitutionManager
from digisnap.schools.services import digisnap_create
from tests.conftest import answer_all, nl, nl_plural, page_text


def test_a_visitor_sees_the_landing_page_with_the_code_form(anonymous_client, db):
    response = anonymous_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="/join/"' in html
    assert 'name="code"' in html
    assert 'href="/accounts/signup/"' in html
    assert nl("Your way to a fitting ICT training") in page_text(response)


def test_a_new_teacher_is_invited_to_enter_a_code(teacher_client, db):
    text = page_text(teacher_client.get("/"))
    assert (
        nl("You have not joined a digisnap yet. Enter the code you got from your school.") in text
    )
    assert 'action="/join/"' in text


def test_a_round_in_progress_can_be_continued(teacher_client, draft):
    answer_all(draft)
    draft.answers.filter(item__code="6.5.1").delete()
    text = page_text(teacher_client.get("/"))
    assert draft.digisnap.name in text
    assert f'href="/vragenlijst/{draft.pk}/"' in text
    assert (
        nl_plural(
            "In progress: %(answered)s question answered.",
            "In progress: %(answered)s questions answered.",
            29,
        )
        % {"answered": 29}
        in text
    )


def test_a_submitted_round_links_to_its_result(teacher_client, submitted):
    text = page_text(teacher_client.get("/"))
    assert f'href="/resultaat/{submitted.pk}/"' in text
    assert f'href="/vragenlijst/{submitted.pk}/"' not in text


def test_a_teacher_sees_only_their_own_rounds(
    teacher_client, other_teacher, submitted, other_digisnap
):
    theirs = response_start(user=other_teacher, digisnap=other_digisnap)
    same_digisnap = response_start(user=other_teacher, digisnap=submitted.digisnap)
    text = page_text(teacher_client.get("/"))
    assert f"/resultaat/{submitted.pk}/" in text
    assert other_digisnap.name not in text
    for other in (theirs, same_digisnap):
        assert f"/vragenlijst/{other.pk}/" not in text
    assert text.count('<li class="card">') == 1


def test_the_home_page_takes_the_same_queries_for_many_rounds(
    teacher, teacher_client, institution, framework, django_assert_num_queries
):
    for n in range(5):
        digisnap = digisnap_create(institution=institution, name=f"Studiedag {n}")
        answer_all(response_start(user=teacher, digisnap=digisnap))
    # session, user, the rounds with their digisnap, school and number of answers, the schools
    # the person manages
    with django_assert_num_queries(4):
        response = teacher_client.get("/")
    assert response.content.decode().count('<li class="card">') == 5
    assert Response.objects.filter(user=teacher).count() == 5


def test_a_user_manager_finds_the_user_management_of_each_school_they_manage(
    teacher, teacher_client, institution
):
    other = Institution.objects.create(number="098765", name="Andere school")
    InstitutionManager.objects.create(user=teacher, institution=institution)
    text = page_text(teacher_client.get("/"))
    assert f'href="/gebruikersbeheer/{institution.pk}/"' in text
    assert f'href="/gebruikersbeheer/{other.pk}/"' not in text


def test_a_teacher_who_manages_nothing_sees_no_user_management(teacher_client, db):
    assert "/gebruikersbeheer/" not in page_text(teacher_client.get("/"))
