"""Background entry points of core: load by primary key, call the runner."""

from django_tasks import task

from digisnap.core.mail import mail_send
from digisnap.core.models import OutgoingMail


@task()
def mail_send_task(outgoing_mail_id: int) -> str:
    """Send a queued e-mail; one already sent or failed is left as it is. Returns its status."""
    mail = OutgoingMail.objects.get(pk=outgoing_mail_id)
    return mail_send(mail=mail).status
