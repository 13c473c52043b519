"""Hostile text in every field of an access request is stored as typed and shown escaped: on the
pages, in the HTML e-mails (the plain-text parts carry it unchanged, they are no HTML)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from digisnap.schools import services
from digisnap.schools.forms import MAX_LIST_NAME, MAX_SCHOOL_NAME
from digisnap.schools.models import AccessRequest, Digisnap

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
HOSTILE = f"{SCRIPT} 'quote\" {{{{ secret }}}} {{% now 'Y' %}} \u202eRTL\u200f"


def hostile(length: int) -> str:
    """The hostile text, padded to the longest value the field takes."""
    return (HOSTILE + " " + "x" * length)[:length]


@pytest.fixture
def hostile_request(anonymous_client, django_capture_on_commit_callbacks) -> AccessRequest:
    data = {
        "institution_number": "045678",
        "school_name": hostile(MAX_SCHOOL_NAME),
        "community": "",
        "community_name": hostile(200),
        "education_level": "other",
        "first_name": hostile(150),
        "last_name": hostile(150),
        "function": hostile(150),
        "email": "o'brien+test@school.example",
        "language": "nl",
        "lists": f"{hostile(MAX_LIST_NAME)}\n{SCRIPT}",
    }
    with django_capture_on_commit_callbacks(execute=True):
        answer = anonymous_client.post(reverse("schools:request_new"), data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    access_request = AccessRequest.objects.get()
    for field in ("school_name", "community_name", "first_name", "last_name", "function"):
        assert getattr(access_request, field) == data[field].strip()
    assert access_request.lists == [data["lists"].split("\n")[0].strip(), SCRIPT]
    return access_request


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html
    assert "{{ secret }}" in html  # shown as typed, never evaluated
    assert "\u202eRTL" in html


def test_the_status_page_escapes_everything(anonymous_client, hostile_request):
    assert_escaped(anonymous_client.get(hostile_request.get_absolute_url()).content.decode())


def test_the_staff_pages_escape_everything(staff_client, hostile_request):
    assert_escaped(staff_client.get(reverse("schools:queue")).content.decode())
    assert_escaped(
        staff_client.get(reverse("schools:detail", args=[hostile_request.pk])).content.decode()
    )


def test_a_form_with_errors_escapes_what_was_typed(anonymous_client):
    answer = anonymous_client.post(
        reverse("schools:request_new"), {"school_name": HOSTILE, "lists": HOSTILE}
    )
    assert answer.status_code == 400
    assert_escaped(answer.content.decode())


def test_the_e_mails_escape_html_and_keep_the_text(
    hostile_request, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_approve(access_request=hostile_request, decided_by=staff)
    confirmation, codes = mail.outbox
    for message in (confirmation, codes):
        html = message.alternatives[0].content
        assert_escaped(html)
        assert SCRIPT in message.body  # plain text is no HTML: it reads as typed
        assert "\n" not in message.subject
    names = set(Digisnap.objects.values_list("name", flat=True))
    assert names == set(hostile_request.digisnap_names())
    assert all(name in codes.body for name in names)


def test_a_rejection_reason_is_escaped_in_the_e_mail(
    hostile_request, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_reject(
            access_request=hostile_request, decided_by=staff, reason=HOSTILE
        )
    html = mail.outbox[-1].alternatives[0].content
    assert_escaped(html)
    assert HOSTILE in mail.outbox[-1].body
