"""E-mail as a background job: queued, rendered in the recipient's language, sent through a real
SMTP server (aiosmtpd on 127.0.0.1), retried after temporary failures, failed on permanent ones."""

from __future__ import annotations

import datetime
import io
import os
import socket
import subprocess
import sys
from collections import deque
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import zxingcpp
from aiosmtpd.controller import Controller
from django.core import mail as outbox
from django.core.exceptions import ValidationError
from django.template import TemplateDoesNotExist
from django.utils import timezone, translation
from PIL import Image

from digisnap.core.jobs import JobNotRetryable, job_retry
from digisnap.core.mail import mail_queue, mail_retry_delay, mail_send
from digisnap.core.models import OutgoingMail
from tests.test_settings_env import manage_check

HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"
JOIN_URL = "https://digisnap.example/doe-mee/?code=ABCD-EFGH&x=1"
TO = "directie@school.example"


@pytest.fixture(autouse=True)
def _mail_templates(settings):
    """Test templates under tests/mail_templates; mail kept in memory unless a test serves SMTP."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine["DIRS"], settings.BASE_DIR / "tests" / "mail_templates"]}
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MAIL_MAX_ATTEMPTS = 3


# --- a real SMTP server whose replies a test scripts -------------------------------------------


@dataclass
class ScriptedHandler:
    """Accepts every message, unless a reply is queued for RCPT or DATA; a queued reply is used
    once. "close" drops the connection instead of answering."""

    rcpt_replies: deque[str] = field(default_factory=deque)
    data_replies: deque[str] = field(default_factory=deque)
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_replies:
            return self._reply(server, self.rcpt_replies.popleft())
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_replies:
            return self._reply(server, self.data_replies.popleft())
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.received.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"

    @staticmethod
    def _reply(server, reply: str) -> str:
        if reply == "close":
            server.transport.close()
        return reply


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """Start the server and point Django's SMTP backend at it (no TLS, no login)."""
    handler = ScriptedHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()


@pytest.fixture
def deferred_tasks(settings):
    """A backend that can defer, and keeps what was enqueued instead of running it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    backend = task_backends["default"]
    backend.clear()
    return backend


def queue(*, run: bool = False, **overrides) -> OutgoingMail:
    arguments = {
        "to": TO,
        "template": "testmail/invite",
        "context": {"school": "Sint-Jozef", "link": JOIN_URL},
        "language": "nl",
        "qr_codes": {"join": JOIN_URL},
    }
    return mail_queue(**{**arguments, **overrides})


def parts(message: EmailMessage) -> tuple[str, str, dict[str, EmailMessage]]:
    """Text, HTML and the inline images by Content-ID of a received message."""
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")
    images = {
        part["Content-ID"].strip("<>"): part
        for part in message.walk()
        if part.get_content_maintype() == "image"
    }
    return text, html, images


def decoded_qr(png: bytes) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


# --- queueing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_queued_mail_is_sent_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue()
        assert outbox.outbox == []
    mail.refresh_from_db()
    assert (mail.status, mail.error, mail.attempts, mail.progress) == ("done", "", 1, 100)
    assert mail.sent_at is not None
    assert mail.subject == "Welkom Sint-Jozef"
    [message] = outbox.outbox
    assert message.to == [TO]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"to": "not an address"}, ValidationError),
        ({"to": "a@b.example\nBcc: c@d.example"}, ValidationError),
        ({"template": "testmail/missing"}, TemplateDoesNotExist),
        ({"template": "../secrets"}, ValueError),
        ({"language": "fr"}, ValueError),
        ({"context": {"when": datetime.date(2026, 1, 1)}}, ValueError),
        ({"context": {"school": object()}}, ValueError),
        ({"qr_codes": {"bad id>": JOIN_URL}}, ValueError),
        ({"qr_codes": {"join": ""}}, ValueError),
    ],
)
def test_what_could_never_be_sent_is_refused_when_queued(overrides, error):
    with pytest.raises(error):
        queue(**overrides)
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_the_mail_is_in_the_recipients_language_and_the_reasons_in_the_starters(
    django_capture_on_commit_callbacks,
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        dutch = queue(language="nl")
        english = queue(language="en")
    dutch.refresh_from_db()
    assert (dutch.language, dutch.mail_language) == ("en", "nl")
    by_language = {message.extra_headers["Content-Language"]: message for message in outbox.outbox}
    assert by_language["nl"].subject == "Welkom Sint-Jozef"
    assert by_language["en"].subject == "Welcome Sint-Jozef"
    assert by_language["nl"].body.startswith("Welkom, Sint-Jozef!")
    assert by_language["en"].body.startswith("Welcome, Sint-Jozef!")
    [(nl_html, _type)] = by_language["nl"].alternatives
    assert '<html lang="nl">' in nl_html
    assert english.pk != dutch.pk


@pytest.mark.django_db
def test_hostile_values_are_escaped_in_html_and_kept_as_they_are_in_text(
    django_capture_on_commit_callbacks,
):
    link = 'https://digisnap.example/x?a=1&b="2"'
    with django_capture_on_commit_callbacks(execute=True):
        queue(context={"school": HOSTILE, "link": link}, language="en")
    [message] = outbox.outbox
    [(html, _type)] = message.alternatives
    assert HOSTILE not in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;" in html
    assert 'href="https://digisnap.example/x?a=1&amp;b=&quot;2&quot;"' in html
    assert message.body.startswith(f"Welcome, {HOSTILE}!\n{link}\n")
    assert message.subject == f"Welcome {HOSTILE}"


# --- a real SMTP server -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_real_mail_through_smtp_has_text_html_subject_link_and_a_readable_qr_code(
    smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue(language="nl")
    mail.refresh_from_db()
    assert (mail.status, mail.error) == ("done", "")
    [received] = smtp.received
    assert smtp.envelopes == [("noreply@digisnap.localhost", [TO])]
    assert received["Subject"] == "Welkom Sint-Jozef"
    assert received["To"] == TO
    assert received["Content-Language"] == "nl"
    text, html, images = parts(received)
    assert text.startswith(f"Welkom, Sint-Jozef!\n{JOIN_URL}\n")
    assert f'<a href="{JOIN_URL.replace("&", "&amp;")}">' in html
    assert '<img src="cid:join"' in html
    image = images["join"]
    assert image.get_content_type() == "image/png"
    assert image.get_content_disposition() == "inline"
    assert decoded_qr(image.get_content()) == [JOIN_URL]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "refusal", ["451 4.3.0 Try again later", "close"], ids=["4xx reply", "connection closed"]
)
def test_a_temporary_refusal_is_retried_later_and_then_delivered(
    smtp, deferred_tasks, django_capture_on_commit_callbacks, refusal
):
    smtp.data_replies.append(refusal)
    # The reasons are written in the language of who queued the e-mail.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        mail = queue(language="en")
    [first] = deferred_tasks.results
    assert first.task.run_after is None

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        mail = mail_send(mail=mail)
    assert (mail.status, mail.attempts, mail.deferrals, mail.finished_at) == ("queued", 1, 1, None)
    assert mail.error.startswith("Not sent yet: ")
    assert "Trying again in 30 seconds (attempt 2 of 3)." in mail.error
    if refusal.startswith("451"):
        assert "451 4.3.0 Try again later" in mail.error
    assert smtp.received == []
    [_first, again] = deferred_tasks.results
    assert again.args == [mail.pk]
    assert again.task.run_after >= before + datetime.timedelta(seconds=30)

    mail = mail_send(mail=mail)  # what the worker does when the delay has passed
    assert (mail.status, mail.attempts, mail.deferrals, mail.error) == ("done", 2, 0, "")
    assert len(smtp.received) == 1


@pytest.mark.django_db
def test_the_delay_grows_and_the_last_attempt_fails_with_the_reason(
    smtp, django_capture_on_commit_callbacks
):
    """The immediate backend cannot wait: each retry runs at once, until the limit of 3."""
    smtp.rcpt_replies.extend(["452 4.2.2 Mailbox full"] * 3)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        mail = queue(language="en")
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.deferrals) == ("failed", 3, 0)
    assert mail.error == (
        f"The mail server could not take the e-mail after 3 attempts: {TO}: 452 4.2.2 Mailbox full"
    )
    assert smtp.received == []
    assert [mail_retry_delay(n) for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]

    with django_capture_on_commit_callbacks(execute=True):
        mail = job_retry(job=mail)  # the limit counts again from a retry
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("done", 4)
    assert len(smtp.received) == 1


@pytest.mark.django_db
def test_a_permanent_refusal_fails_with_the_reason_and_a_retry_sends_it(
    smtp, django_capture_on_commit_callbacks
):
    smtp.rcpt_replies.append("550 5.1.1 No such user here")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        mail = queue(language="nl")
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("failed", 1)
    assert mail.error == (f"The mail server refused the address: {TO}: 550 5.1.1 No such user here")
    assert mail.retryable
    assert smtp.received == []

    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=mail)
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.error) == ("done", 2, "")
    [received] = smtp.received
    assert received["Subject"] == "Welkom Sint-Jozef"  # still the recipient's language
    with pytest.raises(JobNotRetryable):
        job_retry(job=mail)


@pytest.mark.django_db
def test_a_permanent_refusal_of_the_message_fails_it(smtp, django_capture_on_commit_callbacks):
    smtp.data_replies.append("554 5.6.0 Message rejected")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        mail = queue()
    mail.refresh_from_db()
    assert (mail.status, mail.error) == (
        "failed",
        "The mail server refused the e-mail: 554 5.6.0 Message rejected",
    )


@pytest.mark.django_db
def test_no_mail_server_at_all_is_a_temporary_failure(
    settings, deferred_tasks, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        free_port(),
        False,
    )
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        mail = queue()
    with django_capture_on_commit_callbacks(execute=True):
        mail = mail_send(mail=mail)
    assert mail.status == "queued"
    assert mail.error.startswith(
        "Not sent yet: the mail server could not be reached (ConnectionRefusedError"
    )


@pytest.mark.django_db
def test_a_crash_while_rendering_fails_with_the_reason(django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        mail = queue(template="testmail/broken")
    mail.refresh_from_db()
    assert mail.status == "failed"
    assert mail.error.startswith("The e-mail could not be put together: NoReverseMatch: ")
    assert "no-such-page" in mail.error
    assert outbox.outbox == []


@pytest.mark.django_db
def test_a_mail_delivered_twice_to_the_worker_is_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue()
    assert mail_send(mail=mail).status == "done"
    assert len(outbox.outbox) == 1


@pytest.mark.django_db
def test_with_the_database_backend_the_retry_waits_in_the_queue_without_counting_as_late(
    smtp, settings, django_capture_on_commit_callbacks
):
    """The worker's own backend: the retry is a task that is not ready before its time, so the
    backlog age of /healthz does not count it."""
    from django_tasks_db.models import DBTaskResult

    from digisnap.core.health import oldest_queued_seconds

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    smtp.data_replies.append("421 4.7.0 Too busy, come back later")
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue()
    assert DBTaskResult.objects.ready().count() == 1
    DBTaskResult.objects.all().delete()  # what the worker's run leaves behind is not ready

    with django_capture_on_commit_callbacks(execute=True):
        mail = mail_send(mail=mail)
    assert mail.status == "queued"
    [waiting] = DBTaskResult.objects.all()
    assert waiting.args_kwargs["args"] == [mail.pk]
    assert waiting.run_after > timezone.now() + datetime.timedelta(seconds=25)
    assert not DBTaskResult.objects.ready().exists()
    assert oldest_queued_seconds() is None


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"MAIL_MAX_ATTEMPTS": "five"}, "MAIL_MAX_ATTEMPTS='five' is not a whole number."),
        ({"MAIL_MAX_ATTEMPTS": "0"}, "MAIL_MAX_ATTEMPTS=0 is below the minimum of 1."),
        ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT=0 is below the minimum of 1."),
    ],
)
def test_a_bad_mail_setting_stops_start_up_with_a_clear_message(tmp_path, variables, message):
    result = manage_check(tmp_path, DEBUG="true", **variables)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: {message}"
    )


def test_the_mail_settings_have_their_documented_defaults(tmp_path, settings):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"MAIL_MAX_ATTEMPTS", "EMAIL_TIMEOUT"}
    }
    show = "from django.conf import settings as s; print(s.MAIL_MAX_ATTEMPTS, s.EMAIL_TIMEOUT)"
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", show],
        cwd=settings.BASE_DIR,
        env={**environment, "DEBUG": "true", "DIGISNAP_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == ["5", "30"], result.stderr


@pytest.mark.django_db
def test_a_mail_the_sweep_failed_while_it_was_sending_is_not_queued_again(
    deferred_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    from digisnap.core import mail as mail_module

    with django_capture_on_commit_callbacks(execute=True):
        mail = queue()

    def swept_then_timed_out(message):
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status="failed", error="swept", finished_at=timezone.now()
        )
        raise mail_module.MailTemporaryFailure("timed out")

    monkeypatch.setattr(mail_module, "_deliver", swept_then_timed_out)
    with django_capture_on_commit_callbacks(execute=True):
        mail = mail_send(mail=mail)
    assert (mail.status, mail.error, mail.deferrals) == ("failed", "swept", 0)
    assert len(deferred_tasks.results) == 1  # only the first enqueue
