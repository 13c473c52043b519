"""E-mail as a background job: queued in a request, rendered and sent by the task worker.

`mail_queue` stores an OutgoingMail and hands it to the worker once the transaction commits;
`mail_send` (run by `digisnap.core.tasks.mail_send_task` through the shared job runner) renders
`<template>_subject.txt`, `<template>.txt` and `<template>.html` in the recipient's language and
sends them as one message, with each QR code as an inline PNG (`<img src="cid:<key>">`).

A temporary failure of the mail server (no connection, a timeout, a 4xx reply) puts the mail back
in the queue with a growing delay, up to MAIL_MAX_ATTEMPTS tries; a permanent one (a 5xx reply, a
refused address) fails it with the server's reply, and `job_retry` sends it again.
"""

from __future__ import annotations

import json
import re
import smtplib
from email.mime.image import MIMEImage
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from digisnap.core.jobs import JobFailed, JobRetryLater, Progress, job_enqueue, job_run
from digisnap.core.models import OutgoingMail
from digisnap.core.qr import qr_png

# A Content-ID that needs no quoting in a header or in a `cid:` URL.
CONTENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_/-]{0,190}$")
# The first retry waits this long; each next one twice as long, never more than the maximum.
RETRY_FIRST_DELAY_SECONDS = 30
RETRY_MAX_DELAY_SECONDS = 3600
SUBJECT_MAX_LENGTH = 255


class MailTemporaryFailure(Exception):
    """The mail server could not take the message now; trying again later may work."""


def mail_templates(template: str) -> dict[str, str]:
    return {
        "subject": f"{template}_subject.txt",
        "text": f"{template}.txt",
        "html": f"{template}.html",
    }


@transaction.atomic
def mail_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    qr_codes: dict[str, str] | None = None,
    started_by=None,
) -> OutgoingMail:
    """Store an e-mail to `to` and send it from the worker once the transaction commits.

    `template` is the path of three templates without their endings (see `mail_templates`);
    `context` must survive JSON (it is rendered later, by the worker); `qr_codes` maps a
    Content-ID to the URL its inline PNG encodes. Raises ValidationError for a bad address,
    ValueError for anything else that could never be sent.
    """
    validate_email(to)
    if not TEMPLATE_NAME.match(template):
        raise ValueError(f"Not a template path: {template!r}")
    languages = {code for code, _name in settings.LANGUAGES}
    if language not in languages:
        raise ValueError(f"Language {language!r} is not one of {sorted(languages)}.")
    for name in mail_templates(template).values():
        get_template(name)  # TemplateDoesNotExist now rather than in the worker
    try:
        stored_context = json.loads(json.dumps(context))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"The e-mail context must be JSON-serialisable: {exc}") from exc
    if not isinstance(stored_context, dict):
        raise ValueError("The e-mail context must be a dict.")
    qr_codes = dict(qr_codes or {})
    for key, url in qr_codes.items():
        if not isinstance(key, str) or not CONTENT_ID.match(key):
            raise ValueError(f"Not a usable Content-ID for a QR code: {key!r}")
        if not isinstance(url, str) or not url:
            raise ValueError(f"The QR code {key!r} needs a URL.")
    mail = OutgoingMail.objects.create(
        recipient=to,
        template=template,
        context=stored_context,
        mail_language=language,
        qr_codes=qr_codes,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        started_by=started_by,
    )
    job_enqueue(job=mail)
    return mail


def mail_retry_delay(deferrals: int) -> int:
    """Seconds to wait before the next try after `deferrals` temporary failures in a row."""
    return min(RETRY_MAX_DELAY_SECONDS, RETRY_FIRST_DELAY_SECONDS * 2 ** max(0, deferrals - 1))


def mail_send(*, mail: OutgoingMail) -> OutgoingMail:
    """Run a queued mail through the shared job runner; a mail no longer queued is left alone."""
    return job_run(job=mail, work=_send)


def _send(mail: OutgoingMail, progress: Progress) -> dict[str, Any]:
    try:
        message = mail_message(mail=mail)
    except Exception as exc:
        raise JobFailed(
            _("The e-mail could not be put together: %(error)s")
            % {"error": f"{type(exc).__name__}: {exc}"}
        ) from exc
    progress(50, _("Sending the e-mail"))
    try:
        _deliver(message)
    except MailTemporaryFailure as exc:
        tries = mail.deferrals + 1
        if tries >= settings.MAIL_MAX_ATTEMPTS:
            return {
                "status": OutgoingMail.Status.FAILED,
                "progress": 0,
                "deferrals": 0,
                "error": _(
                    "The mail server could not take the e-mail after %(count)d attempts: %(reason)s"
                )
                % {"count": tries, "reason": exc},
            }
        delay = mail_retry_delay(tries)
        raise JobRetryLater(
            _(
                "Not sent yet: %(reason)s. Trying again in %(seconds)d seconds (attempt %(next)d of %(max)d)."
            )
            % {
                "reason": exc,
                "seconds": delay,
                "next": tries + 1,
                "max": settings.MAIL_MAX_ATTEMPTS,
            },
            delay=delay,
            values={"deferrals": tries},
        ) from exc
    except JobFailed:
        # Permanent: the same attempt count starts afresh when someone retries it.
        OutgoingMail.objects.filter(pk=mail.pk).update(deferrals=0)
        raise
    return {"sent_at": timezone.now(), "deferrals": 0, "subject": message.subject}


def mail_message(*, mail: OutgoingMail) -> EmailMultiAlternatives:
    """The message as it will be sent: subject, text, HTML, inline QR codes."""
    names = mail_templates(mail.template)
    with translation.override(mail.mail_language):
        subject = " ".join(_render(names["subject"], mail.context, escape=False).split())
        text = _render(names["text"], mail.context, escape=False)
        html = _render(names["html"], mail.context, escape=True)
    if not subject:
        raise ValueError(f"{names['subject']} renders no subject.")
    message = EmailMultiAlternatives(
        subject=subject[:SUBJECT_MAX_LENGTH],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.recipient],
        headers={"Content-Language": mail.mail_language},
    )
    message.attach_alternative(html, "text/html")
    if mail.qr_codes:
        # multipart/related: the images belong to the HTML that shows them, not attachments.
        message.mixed_subtype = "related"
        for key, url in mail.qr_codes.items():
            image = MIMEImage(qr_png(url), "png")
            image.add_header("Content-ID", f"<{key}>")
            image.add_header("Content-Disposition", "inline", filename=f"{key}.png")
            message.attach(image)
    return message


def _render(name: str, context: dict, *, escape: bool) -> str:
    """A template with the stored context; text parts unescaped (they are no HTML)."""
    template = get_template(name).template  # the engine's own Template: it takes a Context
    return template.render(Context(dict(context), autoescape=escape))


def _deliver(message: EmailMultiAlternatives) -> None:
    """Send through Django's e-mail backend; sort failures into temporary and permanent."""
    try:
        connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
        sent = connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        replies = list(exc.recipients.items())
        reason = "; ".join(f"{address}: {_reply(code, text)}" for address, (code, text) in replies)
        if all(400 <= code < 500 for _address, (code, _text) in replies):
            raise MailTemporaryFailure(reason) from exc
        raise JobFailed(
            _("The mail server refused the address: %(reason)s") % {"reason": reason}
        ) from exc
    except smtplib.SMTPResponseException as exc:
        reason = _reply(exc.smtp_code, exc.smtp_error)
        if 400 <= exc.smtp_code < 500:
            raise MailTemporaryFailure(reason) from exc
        raise JobFailed(
            _("The mail server refused the e-mail: %(reason)s") % {"reason": reason}
        ) from exc
    except smtplib.SMTPServerDisconnected as exc:
        raise MailTemporaryFailure(
            _("the mail server closed the connection (%(error)s)") % {"error": str(exc) or "-"}
        ) from exc
    except smtplib.SMTPException as exc:  # e.g. no STARTTLS on a server that must have it
        raise JobFailed(
            _("The e-mail could not be sent: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}
        ) from exc
    except OSError as exc:  # refused, reset, unreachable, timed out, name not resolved
        raise MailTemporaryFailure(
            _("the mail server could not be reached (%(error)s)")
            % {"error": f"{type(exc).__name__}: {exc}"}
        ) from exc
    if not sent:
        raise JobFailed(_("The e-mail backend sent nothing."))


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(str(text).split())}".strip()
