"""E-mail as a background job: queued, rendered in the recipient's language, sent, retried."""

from __future__ import annotations

import pytest
from django.core import mail as outbox
from django.core.exceptions import ValidationError
from django.template import TemplateDoesNotExist
from django.utils import translation

from digisnap.core.mail import mail_queue
from digisnap.core.models import OutgoingMail

HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"
JOIN_URL = "https://digisnap.example/doe-mee/?code=ABCD-EFGH&x=1"


@pytest.fixture(autouse=True)
def _mail_templates(settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [
                *settings.TEMPLATES[0]["DIRS"],
                settings.BASE_DIR / "tests" / "mail_templates",
            ],
        }
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def queue(**overrides) -> OutgoingMail:
    arguments = {
        "to": "directie@school.example",
        "template": "testmail/invite",
        "context": {"school": "Sint-Jozef", "link": JOIN_URL},
        "language": "nl",
        "qr_codes": {"join": JOIN_URL},
    }
    return mail_queue(**{**arguments, **overrides})


@pytest.mark.django_db
def test_a_queued_mail_is_sent_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue()
        assert outbox.outbox == []
    mail.refresh_from_db()
    assert (mail.status, mail.error, mail.attempts) == ("done", "", 1)
    assert mail.sent_at is not None
    [message] = outbox.outbox
    assert message.to == ["directie@school.example"]
    assert message.subject == "Your access to Sint-Jozef"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"to": "not an address"}, ValidationError),
        ({"to": "a@b.example\nBcc: c@d.example"}, ValidationError),
        ({"template": "testmail/missing"}, TemplateDoesNotExist),
        ({"template": "../secrets"}, ValueError),
        ({"language": "fr"}, ValueError),
        ({"context": {"when": object()}}, ValueError),
        ({"qr_codes": {"bad id>": JOIN_URL}}, ValueError),
        ({"qr_codes": {"join": ""}}, ValueError),
    ],
)
def test_what_could_never_be_sent_is_refused_when_queued(overrides, error):
    with pytest.raises(error):
        queue(**overrides)
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_the_worker_messages_are_in_the_language_of_who_queued_it(
    django_capture_on_commit_callbacks,
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=False):
        mail = queue(language="nl")
    assert (mail.language, mail.mail_language) == ("en", "nl")
