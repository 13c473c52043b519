"""Access requests: the public form, the status page, and the atomic decision of a platform admin."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.urls import reverse

from digisnap.accounts.models import User
from digisnap.schools import services
from digisnap.schools.codes import generate_code, normalize_code
from digisnap.schools.models import (
    AccessRequest,
    AccessRequestEvent,
    Digisnap,
    Institution,
    InstitutionManager,
    SchoolCommunity,
)
from tests.conftest import make_user, nl, page_text

pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    data = {
        "institution_number": "045678",
        "school_name": "Sint-Jozef",
        "community": "",
        "community_name": "Scholengemeenschap Noord",
        "education_level": "secundair",
        "first_name": "Greet",
        "last_name": "Goossens",
        "function": "directeur",
        "email": "greet@school.example",
        "language": "nl",
        "lists": "Dag\nAvond",
        "website": "",
    }
    return data | changes


def submit(**changes) -> AccessRequest:
    data = form_data(**changes)
    return services.access_request_submit(
        institution_number=data["institution_number"],
        school_name=data["school_name"],
        community=None,
        community_name=data["community_name"],
        education_level=data["education_level"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        function=data["function"],
        email=data["email"],
        language=data["language"],
        lists=[n for n in data["lists"].splitlines() if n],
    )


# The public form


def test_the_home_page_links_to_the_form(anonymous_client):
    assert reverse("schools:request_new") in page_text(anonymous_client.get("/"))


def test_a_request_is_stored_and_confirmed_by_mail(
    anonymous_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = anonymous_client.post(reverse("schools:request_new"), form_data())
    access_request = AccessRequest.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == access_request.get_absolute_url()
    assert access_request.lists == ["Dag", "Avond"]
    assert access_request.institution_number == "045678"
    assert access_request.status == AccessRequest.Status.PENDING
    assert [e.action for e in access_request.events.all()] == ["submitted"]
    (message,) = mail.outbox
    assert message.to == ["greet@school.example"]
    assert access_request.get_status_url() in message.body
    page = anonymous_client.get(answer["Location"])
    assert page.status_code == 200
    assert "Sint-Jozef Avond" in page_text(page)


def test_leading_zeros_are_kept_and_short_numbers_padded(anonymous_client):
    anonymous_client.post(reverse("schools:request_new"), form_data(institution_number="1234"))
    assert AccessRequest.objects.get().institution_number == "001234"


def test_errors_are_shown_beside_the_fields_and_everything_typed_is_kept(anonymous_client):
    answer = anonymous_client.post(
        reverse("schools:request_new"),
        form_data(institution_number="12a45", email="geen-adres", lists="Dag\nAvond"),
    )
    text = page_text(answer)
    assert answer.status_code == 400
    assert 'id="id_institution_number_error"' in text
    assert 'id="id_email_error"' in text
    assert 'aria-describedby="id_email_error' in text
    assert 'value="Sint-Jozef"' in text
    assert 'value="Scholengemeenschap Noord"' in text
    assert "Dag\nAvond</textarea>" in text
    assert not AccessRequest.objects.exists()


def test_a_community_is_chosen_or_named(anonymous_client, community):
    answer = anonymous_client.post(reverse("schools:request_new"), form_data(community_name=""))
    assert answer.status_code == 400
    assert 'id="id_community_error"' in page_text(answer)
    anonymous_client.post(
        reverse("schools:request_new"), form_data(community=community.pk, community_name="")
    )
    assert AccessRequest.objects.get().community == community


def test_a_new_community_name_that_exists_is_that_community(anonymous_client, community):
    anonymous_client.post(
        reverse("schools:request_new"), form_data(community_name=community.name.upper())
    )
    access_request = AccessRequest.objects.get()
    assert access_request.community == community
    assert access_request.community_name == ""


def test_a_list_that_already_exists_is_explained_not_doubled(anonymous_client, institution):
    services.digisnap_create(institution=institution, name="Testschool Dag")
    answer = anonymous_client.post(
        reverse("schools:request_new"),
        form_data(institution_number=institution.number, school_name="Testschool", lists="dag"),
    )
    assert answer.status_code == 400
    text = page_text(answer)
    error = text[text.index('id="id_lists_error"') :].split("</span>")[0]
    assert "«dag»" in error
    assert not AccessRequest.objects.exists()


def test_a_list_already_asked_for_is_explained(anonymous_client):
    submit()
    answer = anonymous_client.post(reverse("schools:request_new"), form_data(lists="Avond"))
    assert answer.status_code == 400
    assert AccessRequest.objects.count() == 1


def test_the_honeypot_refuses_like_the_limits(anonymous_client):
    honeypot = anonymous_client.post(
        reverse("schools:request_new"), form_data(website="http://spam.example")
    )
    assert honeypot.status_code == 429
    assert not AccessRequest.objects.exists()
    assert 'value="Sint-Jozef"' in page_text(honeypot)


def limited_text(answer) -> str:
    return [str(m) for m in answer.context["messages"]][-1]


def test_limits_per_person_and_per_email_refuse_without_naming_the_rule(settings):
    settings.ACCESS_REQUEST_ATTEMPTS = 2
    settings.ACCESS_REQUEST_EMAIL_ATTEMPTS = 2
    from django.test import Client

    person = Client()
    for i in range(2):
        assert (
            person.post(reverse("schools:request_new"), form_data(lists=f"L{i}")).status_code == 302
        )
    per_person = person.post(reverse("schools:request_new"), form_data(lists="L9"))
    assert per_person.status_code == 429
    # Another person at the same school address, with the same e-mail address: per e-mail.
    other = Client()
    per_email = other.post(reverse("schools:request_new"), form_data(lists="L8"))
    assert per_email.status_code == 429
    honeypot = Client().post(reverse("schools:request_new"), form_data(website="x"))
    assert limited_text(per_person) == limited_text(per_email) == limited_text(honeypot)
    # A colleague at the same address with another e-mail address still gets through.
    colleague = Client().post(
        reverse("schools:request_new"), form_data(email="it@school.example", lists="L7")
    )
    assert colleague.status_code == 302


def test_one_person_does_not_block_the_school_address(settings):
    settings.ACCESS_REQUEST_ATTEMPTS = 1
    settings.ACCESS_REQUEST_ADDRESS_ATTEMPTS = 3
    from django.test import Client

    for i in range(3):
        Client().post(
            reverse("schools:request_new"), form_data(email=f"p{i}@school.example", lists=f"L{i}")
        )
    assert AccessRequest.objects.count() == 3


def test_a_status_link_that_does_not_exist_is_404(anonymous_client):
    assert anonymous_client.get(reverse("schools:request_status", args=["nope"])).status_code == 404


# Deciding


def test_a_rejected_request_creates_nothing(staff, django_capture_on_commit_callbacks):
    access_request = submit()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_reject(
            access_request=access_request, decided_by=staff, reason="Geen school"
        )
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.REJECTED
    assert access_request.decided_by == staff
    assert not SchoolCommunity.objects.exists()
    assert not Institution.objects.exists()
    assert not Digisnap.objects.exists()
    assert not InstitutionManager.objects.exists()
    assert not User.objects.filter(email="greet@school.example").exists()
    (message,) = mail.outbox
    assert "Geen school" in message.body
    assert [e.action for e in access_request.events.all()] == ["submitted", "rejected"]


def test_a_rejection_needs_a_reason(staff_client):
    access_request = submit()
    answer = staff_client.post(reverse("schools:reject", args=[access_request.pk]), {"reason": " "})
    assert answer.status_code == 400
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING


def test_approval_creates_everything_and_sends_the_codes(staff, django_capture_on_commit_callbacks):
    access_request = submit()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_approve(access_request=access_request, decided_by=staff)
    access_request.refresh_from_db()
    institution = Institution.objects.get(number="045678")
    assert access_request.institution == institution
    assert institution.community.name == "Scholengemeenschap Noord"
    names = sorted(institution.digisnaps.values_list("name", flat=True))
    assert names == ["Sint-Jozef Avond", "Sint-Jozef Dag"]
    manager = User.objects.get(email="greet@school.example")
    assert not manager.has_usable_password()
    assert InstitutionManager.objects.filter(user=manager, institution=institution).exists()
    (message,) = mail.outbox
    for digisnap in institution.digisnaps.all():
        assert digisnap.code in message.body
        assert digisnap.get_join_url() in message.body
    assert "/accounts/password/reset/key/" in message.body
    assert "Digisnap Beheerder" in message.body
    assert [e.action for e in access_request.events.all()] == ["submitted", "approved"]
    # The password link is made when the e-mail is sent: no live reset token waits in the queue.
    assert "reset" not in json.dumps(access_request.codes_mail.context)


def test_approval_reuses_an_existing_account_community_and_institution(staff, institution):
    existing = make_user("greet@school.example")
    access_request = submit(institution_number=institution.number, school_name="Testschool")
    services.access_request_approve(access_request=access_request, decided_by=staff)
    assert Institution.objects.count() == 1
    assert InstitutionManager.objects.get().user == existing
    assert User.objects.filter(email="greet@school.example").count() == 1
    # The institution had a community already; the new name asked for changes nothing.
    assert Institution.objects.get().community.name == "Scholengemeenschap Test"
    assert not SchoolCommunity.objects.filter(name="Scholengemeenschap Noord").exists()


def test_the_codes_email_is_in_the_requesters_language(staff, django_capture_on_commit_callbacks):
    access_request = submit(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_approve(access_request=access_request, decided_by=staff)
    assert mail.outbox[-1].subject.startswith("Your Digisnap codes")


def test_approval_is_atomic(staff, monkeypatch):
    access_request = submit()
    real_create = services.digisnap_create
    calls = []

    def fail_on_second(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise RuntimeError("half-way")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "digisnap_create", fail_on_second)
    with pytest.raises(RuntimeError):
        services.access_request_approve(access_request=access_request, decided_by=staff)
    assert len(calls) == 2
    assert not SchoolCommunity.objects.exists()
    assert not Institution.objects.exists()
    assert not Digisnap.objects.exists()
    assert not InstitutionManager.objects.exists()
    assert not User.objects.filter(email="greet@school.example").exists()
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING
    assert not AccessRequestEvent.objects.filter(action="approved").exists()


def test_approving_twice_creates_one_set(staff):
    access_request = submit()
    other_admin = make_user("tweede-beheer@test.example", is_staff=True)
    services.access_request_approve(access_request=access_request, decided_by=staff)
    stale = AccessRequest.objects.get(pk=access_request.pk)
    with pytest.raises(services.AccessRequestAlreadyDecided):
        services.access_request_approve(access_request=stale, decided_by=other_admin)
    with pytest.raises(services.AccessRequestAlreadyDecided):
        services.access_request_reject(access_request=stale, decided_by=other_admin, reason="x")
    assert Digisnap.objects.count() == 2
    assert InstitutionManager.objects.count() == 1
    assert AccessRequest.objects.get().decided_by == staff


def test_approving_twice_through_the_page_says_so(staff_client):
    access_request = submit()
    url = reverse("schools:approve", args=[access_request.pk])
    staff_client.post(url)
    answer = staff_client.post(url, follow=True)
    assert Digisnap.objects.count() == 2
    assert nl("This request was already decided; nothing was changed.") in page_text(answer)


def test_staff_can_send_the_codes_again(staff, staff_client, django_capture_on_commit_callbacks):
    access_request = submit()
    services.access_request_approve(access_request=access_request, decided_by=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(reverse("schools:codes_resend", args=[access_request.pk]))
    assert answer.status_code == 302
    assert len(mail.outbox) == 1
    assert access_request.events.filter(action="codes_sent").count() == 1


def test_a_failed_codes_mail_is_shown_and_retried(staff, staff_client):
    access_request = submit()
    services.access_request_approve(access_request=access_request, decided_by=staff)
    access_request.refresh_from_db()
    codes_mail = access_request.codes_mail
    from django.utils import timezone

    type(codes_mail).objects.filter(pk=codes_mail.pk).update(
        status="failed", error="550 mailbox unavailable", finished_at=timezone.now()
    )
    page = staff_client.get(reverse("schools:detail", args=[access_request.pk]))
    assert "550 mailbox unavailable" in page_text(page)
    staff_client.post(reverse("schools:codes_resend", args=[access_request.pk]))
    codes_mail.refresh_from_db()
    assert codes_mail.status in ("queued", "done")
    assert access_request.codes_mail_id == codes_mail.pk


def test_the_queue_shows_pending_requests_first(staff, staff_client):
    decided = submit(lists="Oud")
    services.access_request_reject(access_request=decided, decided_by=staff, reason="Dubbel")
    pending = submit(institution_number="099999", school_name="Nieuwe School")
    page = page_text(staff_client.get(reverse("schools:queue")))
    assert page.index("Nieuwe School") < page.index("Sint-Jozef")
    assert pending.pk != decided.pk


def test_the_detail_shows_what_is_known_about_the_institution(staff, staff_client):
    first = submit(lists="Dag")
    services.access_request_approve(access_request=first, decided_by=staff)
    second = submit(lists="Avond", email="it@school.example")
    text = page_text(staff_client.get(reverse("schools:detail", args=[second.pk])))
    digisnap = Digisnap.objects.get()
    assert digisnap.code in text
    assert "greet@school.example" in text  # the user manager
    assert first.get_absolute_url() not in text  # the private link stays private
    assert reverse("schools:detail", args=[first.pk]) in text


def test_codes_are_unique_across_ten_thousand(institution):
    """Six characters from the alphabet collide now and then (a birthday draw among 10,000 hits
    one about one time in five), so uniqueness is the database's: digisnap_create retries."""
    codes = [generate_code() for _ in range(10_000)]
    assert all(normalize_code(code) == code for code in codes)
    for number in range(10_000):
        services.digisnap_create(institution=institution, name=f"Lijst {number}")
    stored = Digisnap.objects.filter(institution=institution).values_list("code", flat=True)
    assert len({code.lower() for code in stored}) == 10_000


def failed(mail_row) -> None:
    from django.utils import timezone

    type(mail_row).objects.filter(pk=mail_row.pk).update(
        status="failed", error="550 refused", finished_at=timezone.now()
    )


def test_a_failed_confirmation_is_sent_again_from_the_request_page(
    staff_client, django_capture_on_commit_callbacks
):
    access_request = submit()
    failed(access_request.confirmation_mail)
    mail.outbox.clear()
    url = reverse(
        "schools:mail_retry", args=[access_request.pk, access_request.confirmation_mail_id]
    )
    assert url in page_text(staff_client.get(reverse("schools:detail", args=[access_request.pk])))
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url)
    assert len(mail.outbox) == 1
    access_request.confirmation_mail.refresh_from_db()
    assert access_request.confirmation_mail.status == "done"


def test_a_mail_of_another_request_is_not_retried_through_this_one(staff_client):
    first, second = submit(lists="Een"), submit(lists="Twee", email="ander@school.example")
    failed(second.confirmation_mail)
    answer = staff_client.post(
        reverse("schools:mail_retry", args=[first.pk, second.confirmation_mail_id]), follow=True
    )
    assert nl("This e-mail does not belong to this request.") in page_text(answer)
    second.confirmation_mail.refresh_from_db()
    assert second.confirmation_mail.status == "failed"


def test_the_invited_requester_sets_a_password_through_the_link(
    staff, django_capture_on_commit_callbacks
):
    import re
    from urllib.parse import urlsplit

    from django.test import Client

    access_request = submit()
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_approve(access_request=access_request, decided_by=staff)
    link = re.search(r"http\S+/accounts/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    client = Client()
    # allauth keeps the key in the session and sends the browser on to its set-password form.
    form = client.get(urlsplit(link).path, follow=True)
    assert form.status_code == 200
    assert 'name="password1"' in page_text(form)
    new_password = "Een-nieuw-wachtwoord-73"
    client.post(form.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    manager = User.objects.get(email="greet@school.example")
    assert manager.check_password(new_password)
    assert Client().login(email="greet@school.example", password=new_password)


def test_the_codes_email_links_the_posters(staff, django_capture_on_commit_callbacks):
    access_request = submit()
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_approve(access_request=access_request, decided_by=staff)
    for digisnap in Digisnap.objects.all():
        assert reverse("schools:poster", args=[digisnap.pk]) in mail.outbox[-1].body


@pytest.mark.parametrize("lists", [[], [""], ["Dag", "dag"], "Dag"])
def test_a_request_needs_distinct_named_lists(lists):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.access_request_submit(
            institution_number="045678",
            school_name="Sint-Jozef",
            community=None,
            community_name="Noord",
            education_level="secundair",
            first_name="Greet",
            last_name="Goossens",
            function="directeur",
            email="greet@school.example",
            language="nl",
            lists=lists,
        )
    assert not AccessRequest.objects.exists()


def test_the_codes_email_shows_a_qr_code_of_each_join_link(
    staff, django_capture_on_commit_callbacks
):
    access_request = submit()
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_approve(access_request=access_request, decided_by=staff)
    access_request.refresh_from_db()
    join_urls = {d.get_join_url() for d in Digisnap.objects.all()}
    assert set(access_request.codes_mail.qr_codes.values()) == join_urls
    message = mail.outbox[-1]
    html = message.alternatives[0].content
    for content_id in access_request.codes_mail.qr_codes:
        assert f'src="cid:{content_id}"' in html
    images = [part for part in message.attachments if part.get_content_type() == "image/png"]
    assert len(images) == len(join_urls)


@pytest.mark.parametrize(
    "name",
    [
        "ACCESS_REQUEST_ATTEMPTS",
        "ACCESS_REQUEST_ADDRESS_ATTEMPTS",
        "ACCESS_REQUEST_EMAIL_ATTEMPTS",
        "ACCESS_REQUEST_WINDOW_SECONDS",
    ],
)
def test_a_bad_access_request_limit_stops_start_up_naming_it(tmp_path, name):
    from tests.test_settings_env import manage_check

    result = manage_check(tmp_path, DEBUG="true", **{name: "many"})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: {name}='many' is not a whole number."
    )
