"""One Dutch voice: allauth's pages and e-mails speak our words, e-mails are branded as Digisnap
in the reader's language, the sign-in limit says how long to wait, and the admin keeps Django's
«Wijzigen»."""

from __future__ import annotations

import re
from pathlib import Path

import allauth
import pytest
import time_machine
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from digisnap.accounts.adapters import AccountAdapter, branded_site
from tests.conftest import PASSWORD, make_user, nl, nl_plural, page_text

# Formal or foreign words that our Dutch never uses.
NOT_OUR_VOICE = re.compile(
    r"\b(Uw|uw|U)\b|zijn of haar|ingelogd|inloggen|inlog|uitloggen|Bevestigings e-mail|"
    r"e-mail adres|Email adres|You kunt"
)
FOOTER = (
    "You receive this e-mail from Digisnap, the self-assessment of teachers' digital competences."
)


def english_client() -> Client:
    return Client(headers={"Accept-Language": "en"})


@pytest.mark.parametrize(
    "url", ["account_login", "account_signup", "account_reset_password", "account_email"]
)
def test_account_pages_speak_our_dutch(teacher_client, anonymous_client, url):
    client = teacher_client if url == "account_email" else anonymous_client
    text = page_text(client.get(reverse(url)))
    assert NOT_OUR_VOICE.search(text) is None, NOT_OUR_VOICE.search(text)


def test_sign_in_page_in_dutch_uses_aanmelden(anonymous_client):
    text = page_text(anonymous_client.get(reverse("account_login")))
    assert "Aanmelden" in text
    assert "Heb je nog geen account?" in text


def test_signup_password_rules_say_je(anonymous_client):
    text = page_text(anonymous_client.get(reverse("account_signup")))
    assert "Je wachtwoord mag geen veelgebruikt wachtwoord zijn." in text


def test_a_successful_sign_in_says_aangemeld(anonymous_client, teacher):
    response = anonymous_client.post(
        reverse("account_login"), {"login": teacher.email, "password": PASSWORD}, follow=True
    )
    assert "Je bent aangemeld als" in page_text(response)


def _reset_mail(client: Client, email: str):
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": email})
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_password_reset_mail_is_branded_dutch_html_and_text(anonymous_client, teacher):
    message = _reset_mail(anonymous_client, teacher.email)

    assert message.subject == "Digisnap: " + nl("Password Reset Email")
    assert "testserver" not in message.subject and "127.0.0.1" not in message.subject
    assert message.extra_headers["Content-Language"] == "nl"
    assert nl(FOOTER) in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="nl">' in html and "<strong>Digisnap</strong>" in html
    link = re.search(r"http://testserver/accounts/password/reset/key/\S+/", message.body).group(0)
    assert f'href="{link}"' in html
    for part in (message.subject, message.body, html):
        assert NOT_OUR_VOICE.search(part) is None


def test_password_reset_mail_in_english_for_an_english_page(teacher):
    message = _reset_mail(english_client(), teacher.email)
    assert message.subject == "Digisnap: Password Reset Email"
    assert message.extra_headers["Content-Language"] == "en"
    assert FOOTER in message.body
    assert '<html lang="en">' in message.alternatives[0][0]


def test_signup_confirmation_mail_is_branded_and_informal(anonymous_client, db):
    anonymous_client.post(
        reverse("account_signup"), {"email": "nieuw@test.example", "password1": PASSWORD}
    )
    (message,) = mail.outbox
    assert message.subject == "Digisnap: " + nl("Please Confirm Your Email Address")
    assert "zijn of haar" not in message.body
    assert "/accounts/confirm-email/" in message.alternatives[0][0]
    assert message.to == ["nieuw@test.example"]
    assert NOT_OUR_VOICE.search(message.body) is None


def _allauth_mail_templates() -> list[str]:
    folder = Path(allauth.__file__).parent / "templates" / "account" / "email"
    return sorted(
        f"account/email/{path.name}"
        for path in folder.glob("*.txt")
        if path.name.endswith(("_message.txt", "_subject.txt"))
    )


@pytest.mark.parametrize("template", _allauth_mail_templates())
def test_every_account_mail_reads_in_our_dutch(template, teacher):
    context = {
        "user": teacher,
        "email": teacher.email,
        "current_site": branded_site(),
        "activate_url": "https://digisnap.example/bevestig/",
        "password_reset_url": "https://digisnap.example/wachtwoord/",
        "signup_url": "https://digisnap.example/registreren/",
        "from_email": "oud@test.example",
        "to_email": "nieuw@test.example",
        "deleted_email": "weg@test.example",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": "2026-11-29",
    }
    with translation.override("nl"):
        text = render_to_string(template, context)
    assert NOT_OUR_VOICE.search(text) is None, NOT_OUR_VOICE.search(text)
    assert "127.0.0.1" not in text
    if template.endswith("_message.txt"):
        assert nl(FOOTER) in text


def _wait_message(minutes: int) -> str:
    with translation.override("nl"):
        return translation.ngettext(
            "Too many failed attempts to sign in. Wait %(minutes)d minute and try again.",
            "Too many failed attempts to sign in. Wait %(minutes)d minutes and try again.",
            minutes,
        ) % {"minutes": minutes}


def test_the_login_limit_says_how_many_minutes_to_wait(anonymous_client, teacher):
    url = reverse("account_login")
    with time_machine.travel("2026-11-29 10:00 +01:00", tick=False) as clock:
        for _attempt in range(5):
            anonymous_client.post(url, {"login": teacher.email, "password": "fout"})
        clock.shift(120)
        response = anonymous_client.post(url, {"login": teacher.email, "password": PASSWORD})
        assert response.status_code == 200
        assert _wait_message(3) in page_text(response)
        clock.shift(150)
        response = anonymous_client.post(url, {"login": teacher.email, "password": PASSWORD})
        assert _wait_message(1) in page_text(response)
        clock.shift(31)
        response = anonymous_client.post(url, {"login": teacher.email, "password": PASSWORD})
        assert response.status_code == 302  # the window has passed: signed in


def test_the_wait_message_says_minute_for_one_and_minutes_for_more():
    with translation.override("en"):
        assert AccountAdapter._too_many(60).messages == [
            "Too many failed attempts to sign in. Wait 1 minute and try again."
        ]
        assert AccountAdapter._too_many(61).messages == [
            "Too many failed attempts to sign in. Wait 2 minutes and try again."
        ]


@pytest.fixture
def admin_client(db) -> Client:
    client = Client()
    client.force_login(make_user("admin@test.example", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("url", ["/admin/", "/admin/schools/"])
def test_admin_says_wijzigen_not_evolutie(admin_client, url):
    text = page_text(admin_client.get(url))
    assert "Wijzigen" in text
    assert "Evolutie" not in text


def test_admin_app_names_are_translated(admin_client):
    text = page_text(admin_client.get("/admin/"))
    for name in ("Questionnaires", "Schools and digisnaps", "Rights", "Trainings", "Users"):
        assert nl(name) in text


def test_too_many_sign_ins_from_one_network_say_how_many_minutes(
    settings, anonymous_client, teacher
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/10m/ip"}
    url = reverse("account_login")
    with time_machine.travel("2026-11-29 10:00 +01:00", tick=False) as clock:
        for _attempt in range(2):
            anonymous_client.post(url, {"login": teacher.email, "password": "fout"})
        clock.shift(60)
        response = anonymous_client.post(url, {"login": teacher.email, "password": PASSWORD})
    assert response.status_code == 429
    text = page_text(response)
    expected = nl_plural(
        "Too many attempts came from your network in a short time. Wait %(minutes)s minute "
        "and try again.",
        "Too many attempts came from your network in a short time. Wait %(minutes)s minutes "
        "and try again.",
        9,
    ) % {"minutes": 9}
    assert expected in text
    assert 'lang="nl"' in text and "Digisnap" in text


OVERRIDES = Path(__file__).resolve().parent.parent / "digisnap" / "locale_overrides"


def test_our_overrides_come_first_and_their_compiled_catalogue_is_current(settings):
    import gettext

    from tests.test_translations import _po_entries

    assert Path(settings.LOCALE_PATHS[0]) == OVERRIDES
    folder = OVERRIDES / "nl" / "LC_MESSAGES"
    catalogue = gettext.GNUTranslations((folder / "django.mo").open("rb"))
    entries = _po_entries((folder / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 50
    for entry in entries:
        msgid = entry["msgid"].encode().decode("unicode_escape").encode("latin-1").decode()
        if "msgctxt" in entry:
            translated = catalogue.pgettext(entry["msgctxt"], msgid)
        elif "msgid_plural" in entry:
            translated = catalogue.ngettext(msgid, "", 1)
        else:
            translated = catalogue.gettext(msgid)
        assert translated != msgid, f"run `make messages` after editing: {msgid!r}"
