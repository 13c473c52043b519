"""The codes e-mail of an approved request through a real SMTP server: text, HTML, QR and link."""

from digisnap.core.models import Job
from digisnap.schools import services
from digisnap.schools.models import Institution
from tests.test_access_request import submit
from tests.test_mail import decoded_qr, parts, smtp  # noqa: F401 — smtp is a fixture


def approve(staff, handler, capture):
    with capture(execute=True):
        access_request = submit(email="greet@school.example")
    handler.received.clear()  # the confirmation e-mail
    with capture(execute=True):
        services.access_request_approve(access_request=access_request, decided_by=staff)
    access_request.refresh_from_db()
    return access_request


def test_the_codes_email_arrives_with_text_html_and_a_qr_code_per_join_link(
    smtp,  # noqa: F811
    staff,
    django_capture_on_commit_callbacks,
):
    access_request = approve(staff, smtp, django_capture_on_commit_callbacks)
    (message,) = smtp.received
    assert message["To"] == "greet@school.example"
    text, html, images = parts(message)
    digisnaps = list(Institution.objects.get(number="045678").digisnaps.order_by("pk"))
    assert len(digisnaps) == 2
    for number, digisnap in enumerate(digisnaps, start=1):
        join_url = digisnap.get_join_url()
        assert digisnap.code in text and join_url in text
        assert digisnap.code in html and f'href="{join_url}"' in html
        assert f'src="cid:qr{number}"' in html
        assert decoded_qr(images[f"qr{number}"].get_content()) == [join_url]
    assert "/accounts/password/reset/key/" in text
    assert access_request.codes_mail.status == Job.Status.DONE


def test_a_mail_server_that_refuses_once_gets_the_codes_email_on_the_next_try(
    smtp,  # noqa: F811
    staff,
    django_capture_on_commit_callbacks,
):
    smtp.data_replies.append("451 4.3.0 Try again later")
    access_request = approve(staff, smtp, django_capture_on_commit_callbacks)
    (message,) = smtp.received
    assert "Digisnap_" in parts(message)[0]
    assert not smtp.data_replies  # the refusal was met, then the next try was accepted
    assert access_request.codes_mail.status == Job.Status.DONE
