"""«Mijn account»: a teacher downloads every answer of every round and deletes their account;
nobody else's data leaves or goes with it (DESIGN §3)."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from digisnap.accounts.models import User
from digisnap.core.levels import Level
from digisnap.learning.models import CatalogueImport, SuggestionMark, Training
from digisnap.learning.services import suggestion_mark
from digisnap.questionnaires.models import Answer, AreaResult, CompetenceResult, Item, Response
from digisnap.questionnaires.services import answers_save, response_start, response_submit
from digisnap.rights.models import Right, RightEvent, StaffMember
from digisnap.rights.services import right_grant
from digisnap.schools.models import AccessRequestEvent, Membership
from digisnap.schools.services import access_request_submit, membership_join
from tests.conftest import PASSWORD, answer_all, nl, page_text

HOME = reverse("myaccount:home")
JSON_URL = reverse("myaccount:export_json")
CSV_URL = reverse("myaccount:export_csv")
DELETE_URL = reverse("myaccount:delete")


@pytest.fixture
def training(db) -> Training:
    return Training.objects.create(
        source="Test",
        external_id="t-1",
        title="=Digitaal evalueren",  # a title from an import that looks like a formula
        provider="Aanbieder",
        url="https://example.org/t-1",
        level_from=1,
        level_to=4,
        format=Training.Format.ONLINE,
        language="nl",
    )


@pytest.fixture
def two_rounds(teacher, digisnap, submitted, training) -> tuple[Response, Response]:
    """A submitted round and a second round in progress with two answers, plus a marked training."""
    membership_join(user=teacher, digisnap=digisnap)
    second = response_start(user=teacher, digisnap=digisnap)
    first_items = list(
        Item.objects.filter(competence__area__framework_id=second.framework_id).order_by(
            "position"
        )[:2]
    )
    answers_save(response=second, levels={first_items[0].pk: 2, first_items[1].pk: Level.UNKNOWN})
    suggestion_mark(user=teacher, training=training, competence_code="2.1", status="planned")
    return submitted, second


@pytest.fixture
def colleague_round(other_teacher, other_digisnap, framework, training) -> Response:
    response = response_start(user=other_teacher, digisnap=other_digisnap)
    answer_all(response, level=6)
    suggestion_mark(user=other_teacher, training=training, competence_code="1.1", status="done")
    return response_submit(response=response)


def download_json(client) -> dict:
    response = client.get(JSON_URL)
    assert response.status_code == 200
    return json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def download_csv(client) -> list[dict]:
    response = client.get(CSV_URL)
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


# The download


def test_json_holds_every_answer_of_every_round(teacher_client, two_rounds):
    submitted, second = two_rounds
    data = download_json(teacher_client)

    rounds = {one["round"]: one for one in data["rounds"]}
    assert set(rounds) == {submitted.pk, second.pk}
    for response in (submitted, second):
        stored = dict(response.answers.values_list("item__code", "level"))
        exported = {a["item"]: a["points"] for a in rounds[response.pk]["answers"]}
        assert exported == stored and exported
    assert rounds[submitted.pk]["status"] == "submitted"
    assert rounds[second.pk]["status"] == "draft"
    unknown = [a for a in rounds[second.pk]["answers"] if a["points"] == 0]
    assert unknown[0]["answer"] == nl("I don't know this")


def test_json_holds_the_results_per_competence_and_the_marked_trainings(teacher_client, two_rounds):
    submitted, _second = two_rounds
    data = download_json(teacher_client)

    results = next(r for r in data["rounds"] if r["round"] == submitted.pk)["competence_results"]
    assert len(results) == submitted.competence_results.count() > 0
    assert {r["level"] for r in results} == {"B2"}  # every item answered B2
    assert len(data["rounds"][0]["area_results"]) == submitted.area_results.count()
    assert data["marked_trainings"] == [
        {
            "training": "=Digitaal evalueren",
            "provider": "Aanbieder",
            "url": "https://example.org/t-1",
            "competence": "2.1",
            "status": "planned",
            "updated_at": data["marked_trainings"][0]["updated_at"],
        }
    ]
    assert data["account"]["email"] == "leerkracht@test.example"
    assert [m["role"] for m in data["memberships"]] == ["teacher"]


def test_csv_holds_every_answer_result_and_mark(teacher_client, two_rounds):
    submitted, second = two_rounds
    rows = download_csv(teacher_client)

    answers = [r for r in rows if r["record"] == "answer"]
    assert len(answers) == submitted.answers.count() + second.answers.count()
    assert {int(r["round"]) for r in answers} == {submitted.pk, second.pk}
    competence_rows = [r for r in rows if r["record"] == "competence_result"]
    assert len(competence_rows) == submitted.competence_results.count()
    marks = [r for r in rows if r["record"] == "marked_training"]
    # A title that a spreadsheet would run as a formula is shown as text.
    assert marks[0]["text"].startswith("'=Digitaal evalueren")
    assert marks[0]["level"] == "planned"


def test_file_names_carry_the_date(teacher_client, two_rounds):
    today = timezone.localdate().isoformat()
    for url, extension in ((JSON_URL, "json"), (CSV_URL, "csv")):
        response = teacher_client.get(url)
        assert response["Content-Disposition"] == (
            f'attachment; filename="digisnap-mijn-gegevens-{today}.{extension}"'
        )
        assert "no-store" in response["Cache-Control"]


def test_another_teachers_data_is_absent(teacher_client, two_rounds, colleague_round):
    data = download_json(teacher_client)
    assert colleague_round.pk not in {one["round"] for one in data["rounds"]}
    assert [m["competence"] for m in data["marked_trainings"]] == ["2.1"]
    assert "collega@test.example" not in json.dumps(data)
    rows = download_csv(teacher_client)
    assert str(colleague_round.pk) not in {r["round"] for r in rows}


def test_the_colleague_gets_only_their_own_round(other_teacher_client, two_rounds, colleague_round):
    data = download_json(other_teacher_client)
    assert [one["round"] for one in data["rounds"]] == [colleague_round.pk]


def test_download_queries_do_not_grow_with_rounds(
    teacher_client, two_rounds, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        teacher_client.get(JSON_URL)


@pytest.mark.parametrize("url", [HOME, JSON_URL, CSV_URL, DELETE_URL])
def test_anonymous_visitors_sign_in_first(anonymous_client, url):
    response = anonymous_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_account_page_links_downloads_email_and_password(teacher_client):
    text = page_text(teacher_client.get(HOME))
    assert nl("Download as JSON") in text
    assert reverse("account_email") in text
    assert reverse("account_change_password") in text


def test_header_menu_links_to_my_account(teacher_client):
    assert f'href="{HOME}"' in teacher_client.get(reverse("questionnaires:home")).content.decode()


def test_name_is_saved(teacher_client, teacher):
    response = teacher_client.post(HOME, {"first_name": " Lieve ", "last_name": "Leraar"})
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert (teacher.first_name, teacher.last_name) == ("Lieve", "Leraar")


def test_a_too_long_name_is_shown_again_with_the_error(teacher_client, teacher):
    response = teacher_client.post(HOME, {"first_name": "x" * 151, "last_name": "Leraar"})
    assert response.status_code == 200
    text = page_text(response)
    assert "x" * 151 in text and 'aria-invalid="true"' in text
    teacher.refresh_from_db()
    assert teacher.first_name == "Lien"


# Deleting the account


def test_deleting_with_the_email_removes_user_answers_results_marks(
    teacher_client, teacher, two_rounds, colleague_round
):
    submitted, _second = two_rounds
    response = teacher_client.post(DELETE_URL, {"confirmation": "LEERKRACHT@test.example "})

    assert response.status_code == 302 and response["Location"] == "/"
    assert not User.objects.filter(pk=teacher.pk).exists()
    assert not Response.objects.filter(user_id=teacher.pk).exists()
    assert not Answer.objects.filter(response=submitted).exists()
    assert not CompetenceResult.objects.filter(response=submitted).exists()
    assert not AreaResult.objects.filter(response=submitted).exists()
    assert not SuggestionMark.objects.filter(user_id=teacher.pk).exists()
    assert not Membership.objects.filter(user_id=teacher.pk).exists()
    # The colleague's round, results and mark are untouched.
    assert Answer.objects.filter(response=colleague_round).count() > 0
    assert CompetenceResult.objects.filter(response=colleague_round).count() > 0
    assert SuggestionMark.objects.filter(user=colleague_round.user).count() == 1
    # Signed out: the account page now asks to sign in.
    follow = teacher_client.get(reverse("questionnaires:home"))
    assert nl("Your account and all your data are deleted.") in page_text(follow)
    assert teacher_client.get(HOME).status_code == 302


def test_deleting_with_the_password_works_too(teacher_client, teacher):
    teacher_client.post(DELETE_URL, {"confirmation": PASSWORD})
    assert not User.objects.filter(pk=teacher.pk).exists()


@pytest.mark.parametrize("typed", ["", "collega@test.example", "een-ander-wachtwoord"])
def test_a_wrong_confirmation_keeps_the_account(teacher_client, teacher, two_rounds, typed):
    response = teacher_client.post(DELETE_URL, {"confirmation": typed})
    assert response.status_code == 200
    text = page_text(response)
    if typed:
        assert (
            nl("That is neither your e-mail address nor your password. Nothing was deleted.")
            in text
        )
    assert 'aria-invalid="true"' in text
    assert User.objects.filter(pk=teacher.pk).exists()
    assert (
        Answer.objects.filter(response__user=teacher).count() == two_rounds[0].answers.count() + 2
    )


def test_deleting_needs_a_post(teacher_client, teacher):
    response = teacher_client.get(DELETE_URL)
    assert response.status_code == 200
    assert User.objects.filter(pk=teacher.pk).exists()


def test_a_colleague_typing_the_teachers_address_deletes_nothing(
    other_teacher_client, teacher, other_teacher
):
    response = other_teacher_client.post(DELETE_URL, {"confirmation": teacher.email})
    assert response.status_code == 200
    assert User.objects.filter(pk__in=[teacher.pk, other_teacher.pk]).count() == 2


def test_the_log_of_rights_a_deleted_user_granted_is_kept(teacher, teacher_client, institution):
    """A user manager who granted a right and later deletes their account: the right and its
    history stay, with «by» emptied."""
    grantee = User.objects.create_user("grantee@test.example", PASSWORD)
    today = datetime.date.today()
    (right,) = right_grant(
        users=[grantee],
        institution=institution,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        reason="Directie",
        granted_by=teacher,
    )
    response = teacher_client.post(DELETE_URL, {"confirmation": teacher.email})

    assert response.status_code == 302
    right.refresh_from_db()
    assert right.granted_by is None and right.reason == "Directie"
    event = RightEvent.objects.get(right=right)
    assert event.by is None and event.action == RightEvent.Action.GRANTED


def test_logs_and_lists_that_name_the_deleted_user_keep_their_rows(
    teacher, teacher_client, community, institution
):
    """An access request's log, a staff-list entry and a catalogue import the person started
    are records of others: they stay, without a link to the deleted account."""
    access_request = access_request_submit(
        institution_number="054321",
        school_name="Bewaarschool",
        community=community,
        community_name="",
        education_level="secundair",
        first_name="Lien",
        last_name="Leerkracht",
        function="leerkracht",
        email="aanvraag@test.example",
        language="nl",
        lists=["Dag"],
    )
    event = AccessRequestEvent.objects.create(
        access_request=access_request, actor=teacher, action=AccessRequestEvent.Action.SUBMITTED
    )
    entry = StaffMember.objects.create(
        institution=institution,
        user=teacher,
        first_name="Lien",
        last_name="Leerkracht",
        email=teacher.email,
    )
    catalogue_import = CatalogueImport.objects.create(
        source="Test", kind=CatalogueImport.Kind.JSON, origin="aanbod.json", started_by=teacher
    )

    teacher_client.post(DELETE_URL, {"confirmation": teacher.email})

    assert not User.objects.filter(pk=teacher.pk).exists()
    event.refresh_from_db()
    assert event.actor is None and event.action == AccessRequestEvent.Action.SUBMITTED
    entry.refresh_from_db()
    assert entry.user is None and entry.email == teacher.email
    catalogue_import.refresh_from_db()
    assert catalogue_import.started_by is None


def test_a_holder_of_a_right_cannot_delete_and_keeps_the_log(teacher, teacher_client, institution):
    today = datetime.date.today()
    right_grant(
        users=[teacher],
        institution=institution,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        reason="Directie",
        granted_by=None,
    )
    page = teacher_client.get(DELETE_URL)
    assert '<form method="post" action="/mijn-account/verwijderen/"' not in page.content.decode()
    response = teacher_client.post(DELETE_URL, {"confirmation": teacher.email})
    assert response.status_code == 403
    assert User.objects.filter(pk=teacher.pk).exists()
    assert Right.objects.filter(user=teacher).count() == 1


def test_a_platform_admin_cannot_delete_their_account_here(staff_client, staff):
    response = staff_client.post(DELETE_URL, {"confirmation": staff.email})
    assert response.status_code == 403
    assert nl("A platform admin account is removed by another platform admin.") in page_text(
        response
    )
    assert User.objects.filter(pk=staff.pk).exists()


def test_a_director_can_delete_their_own_account(director_client, director, digisnap):
    response = director_client.post(DELETE_URL, {"confirmation": director.email})
    assert response.status_code == 302
    assert not Membership.objects.filter(digisnap=digisnap, role=Membership.Role.DIRECTOR).exists()


@pytest.mark.parametrize("url", ["account_email", "account_change_password"])
def test_allauth_account_pages_lead_back_to_my_account(teacher_client, url):
    text = page_text(teacher_client.get(reverse(url)))
    assert nl("Back to My account") in text
    assert f'href="{HOME}"' in text
