"""Local accounts through allauth: sign-up with verification mail, password reset, login limits."""

from django.core import mail
from django.test import Client

from digisnap.accounts.models import User
from tests.conftest import PASSWORD


def test_sign_up_creates_an_account_and_sends_a_verification_mail(db):
    client = Client()
    response = client.post(
        "/accounts/signup/", {"email": "nieuw@test.example", "password1": "Zeer-geheim-123"}
    )
    assert response.status_code == 302
    assert User.objects.filter(email="nieuw@test.example").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuw@test.example"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_sign_up_re_shows_the_typed_email_beside_the_error(db):
    response = Client().post("/accounts/signup/", {"email": "nieuw@test.example", "password1": "1"})
    assert response.status_code == 200
    assert 'value="nieuw@test.example"' in response.content.decode()
    assert not User.objects.filter(email="nieuw@test.example").exists()


def test_password_reset_sends_a_mail_with_a_link(teacher):
    response = Client().post("/accounts/password/reset/", {"email": teacher.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_sign_in_works_with_email_and_password(teacher):
    client = Client()
    response = client.post("/accounts/login/", {"login": teacher.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == teacher


def test_repeated_wrong_passwords_are_rate_limited(teacher):
    client = Client()
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": teacher.email, "password": "fout"})
    response = client.post("/accounts/login/", {"login": teacher.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_admin_is_for_staff_only(teacher_client, anonymous_client):
    assert teacher_client.get("/admin/").status_code == 302
    assert anonymous_client.get("/admin/").status_code == 302


def test_platform_admin_sees_digisnaps_and_frameworks(db, framework, digisnap):
    admin = User.objects.create_superuser("beheer@test.example", PASSWORD)
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/schools/digisnap/")
    assert digisnap.code in listing.content.decode()
    detail = client.get(f"/admin/schools/digisnap/{digisnap.pk}/change/")
    assert f"/join/{digisnap.code}/" in detail.content.decode()
    assert client.get("/admin/questionnaires/framework/").status_code == 200


def test_platform_admin_creates_a_digisnap_and_gets_a_fresh_code(db, institution):
    from digisnap.schools.codes import normalize_code
    from digisnap.schools.models import Digisnap

    admin = User.objects.create_superuser("beheer@test.example", PASSWORD)
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/schools/digisnap/add/",
        {
            "institution": institution.pk,
            "name": "Nieuwe studiedag",
            "opens_on": "",
            "closes_on": "",
        },
    )
    assert response.status_code == 302
    created = Digisnap.objects.get(name="Nieuwe studiedag")
    assert normalize_code(created.code) == created.code
