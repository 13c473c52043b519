"""A directors' report already generated does not change when a teacher deletes their account
through «Mijn account» (DESIGN §3), nor when its maker loses the right: the stored PDF, XLSX and
web page stay byte for byte what they were; only a report generated afterwards counts anew."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse

from digisnap.accounts.models import User
from digisnap.questionnaires.models import Response
from digisnap.questionnaires.services import response_start, response_submit
from digisnap.reports import privacy
from digisnap.reports.models import Report, ReportEvent
from digisnap.rights.access import today
from digisnap.rights.models import Right
from digisnap.rights.services import right_end
from digisnap.schools.services import membership_join
from tests.conftest import answer_all, make_user, nl, nl_plural, page_text
from tests.reports.helpers import FORM, ReportWorld, build_world, client_for, form_data

DELETE_URL = reverse("myaccount:delete")
READY = (
    "The report is ready: %(counter)s respondent in the figures.",
    "The report is ready: %(counter)s respondents in the figures.",
)


@pytest.fixture
def world(framework) -> ReportWorld:
    """Noord: a1, a2 (school A) and b1 (school B) with 5 submitted synthetic teachers each."""
    return build_world(framework, teachers=5)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Press «Genereer» as the director does; the job runs when the request commits."""

    def press(client, *digisnaps, title: str) -> Report:
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(FORM, form_data(*digisnaps, title=title))
        assert answer.status_code == 302, answer.content
        report = Report.objects.get(title=title)
        assert answer["Location"] == reverse("reports:report_job", args=[report.pk])
        assert report.status == Report.Status.DONE, report.error
        return report

    return press


@pytest.fixture
def lien(world, framework) -> User:
    """A real teacher who joined a1 with its code and submitted a whole round."""
    user = make_user("lien-leerkracht@test.example", first_name="Lien")
    membership_join(user=user, digisnap=world.a1)
    response = response_start(user=user, digisnap=world.a1)
    answer_all(response, level=6)
    response_submit(response=response)
    return user


def delete_own_account(user: User) -> None:
    """«Mijn account» → «Verwijder mijn account», confirmed with the e-mail address."""
    answer = client_for(user).post(DELETE_URL, {"confirmation": user.email})
    assert answer.status_code == 302, page_text(answer)
    assert not User.objects.filter(pk=user.pk).exists()


def downloads(client, report: Report) -> dict[str, bytes]:
    """What the reader gets from the three download links, and the stored web page."""
    files = {}
    for name in ("pdf", "xlsx"):
        answer = client.get(reverse(f"reports:report_{name}", args=[report.pk]))
        assert answer.status_code == 200
        files[name] = b"".join(answer.streaming_content)
    view = client.get(reverse("reports:report_view", args=[report.pk]))
    assert view.status_code == 200
    with report.html.open("rb") as handle:
        files["html"] = handle.read()
    assert files["html"].decode() in view.content.decode()
    return files


def ready_text(count: int) -> str:
    return nl_plural(*READY, count) % {"counter": count}


def archive_rows(client) -> str:
    return page_text(client.get(FORM))


def test_a_teacher_deleting_their_account_leaves_the_generated_report_byte_for_byte(
    world, lien, generate
):
    director = client_for(world.director)
    report = generate(director, world.a1, world.a2, title="Voor de verwijdering")
    assert report.respondents == 11  # 5 + 5 synthetic teachers and Lien
    before = downloads(director, report)
    stored_names = (report.pdf.name, report.xlsx.name, report.html.name)

    delete_own_account(lien)

    report.refresh_from_db()
    assert (report.pdf.name, report.xlsx.name, report.html.name) == stored_names
    assert report.respondents == 11
    assert downloads(director, report) == before
    # The archive still offers it, and its page still says how many teachers it counts.
    assert f'data-report="{report.pk}"' in archive_rows(director)
    job = page_text(director.get(reverse("reports:report_job", args=[report.pk])))
    assert ready_text(11) in job
    done = ReportEvent.objects.get(report=report, action=ReportEvent.Action.DONE)
    assert done.outcome.startswith("respondents=11 ")


def test_a_report_generated_after_the_deletion_counts_one_teacher_fewer(world, lien, generate):
    director = client_for(world.director)
    first = generate(director, world.a1, world.a2, title="Eerst")
    delete_own_account(lien)

    second = generate(director, world.a1, world.a2, title="Daarna")

    assert (first.respondents, second.respondents) == (11, 10)
    assert ready_text(10) in page_text(
        director.get(reverse("reports:report_job", args=[second.pk]))
    )
    first_html = downloads(director, first)["html"].decode()
    second_html = downloads(director, second)["html"].decode()
    assert first_html != second_html
    # Both stay in the archive, the newest first.
    archive = archive_rows(director)
    assert archive.index(f'data-report="{second.pk}"') < archive.index(f'data-report="{first.pk}"')


def test_a_digisnap_that_drops_under_the_minimum_is_hidden_in_the_new_report_only(world, generate):
    """a2 has exactly the minimum of 5: shown. One of them deletes their account: a report made
    afterwards hides every figure with the explanation; the earlier one keeps its figures."""
    assert privacy.minimum() == 5
    hidden_text = nl_plural(
        "Hidden: fewer than %(count)d respondent, so answers could be traced to a teacher.",
        "Hidden: fewer than %(count)d respondents, so answers could be traced to a teacher.",
        5,
    ) % {"count": 5}

    director = client_for(world.director)
    shown = generate(director, world.a2, title="Met vijf")
    shown_html = html.unescape(downloads(director, shown)["html"].decode())
    assert shown.respondents == 5
    assert hidden_text not in shown_html
    leaver = Response.objects.filter(digisnap=world.a2).select_related("user").first().user
    delete_own_account(leaver)

    hidden = generate(director, world.a2, title="Met vier")
    hidden_html = html.unescape(downloads(director, hidden)["html"].decode())
    # The four who are left are under the minimum: nobody counts in the figures.
    assert hidden.respondents == 0
    assert hidden_text in hidden_html
    assert html.unescape(downloads(director, shown)["html"].decode()) == shown_html


def test_a_director_who_loses_the_right_leaves_the_report_to_the_co_director(world, generate):
    director = client_for(world.director)
    report = generate(director, world.a1, world.a2, title="Team A")
    before = downloads(director, report)
    right = Right.objects.get(user=world.director, institution=world.school_a)

    right_end(right=right, reason="Andere school", ended_by=None)

    # The former director no longer reaches it; the co-director still administers a1 and a2.
    for name in ("report_job", "report_pdf", "report_xlsx", "report_view"):
        assert director.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 404
    co_director = client_for(world.co_director)
    assert f'data-report="{report.pk}"' in archive_rows(co_director)
    assert downloads(co_director, report) == before
    report.refresh_from_db()
    assert report.created_by == world.director and report.respondents == 10


def test_a_director_with_a_right_on_record_is_told_why_the_account_stays(world, generate):
    """The account rule keeps holders of a right (its log must stay): the page says so, the
    POST is refused with the same explanation, and the report is untouched."""
    director = client_for(world.director)
    report = generate(director, world.a1, world.a2, title="Team A")
    before = downloads(director, report)
    right_end(
        right=Right.objects.get(user=world.director, institution=world.school_a),
        reason="Andere school",
        ended_by=None,
    )
    explanation = nl(
        "You hold or held a right «Digisnap Beheerder», which stays on record. Ask your "
        "school's user manager or the Digisnap team to remove your account."
    )

    page = director.get(DELETE_URL)
    assert page.status_code == 200
    assert explanation in page_text(page)
    refused = director.post(DELETE_URL, {"confirmation": world.director.email})
    assert refused.status_code == 403
    assert explanation in page_text(refused)

    assert User.objects.filter(pk=world.director.pk).exists()
    assert downloads(client_for(world.co_director), report) == before


def test_a_director_account_removed_by_the_platform_leaves_the_report_to_the_co_director(
    world, generate
):
    """Only a platform admin can remove a right holder's account; the report stays, without
    its maker."""
    director = client_for(world.director)
    report = generate(director, world.a1, world.a2, title="Team A")
    before = downloads(director, report)

    world.director.delete()

    report.refresh_from_db()
    assert report.created_by is None and report.status == Report.Status.DONE
    assert ReportEvent.objects.filter(report=report, by=None).count() == 2  # requested, done
    assert downloads(client_for(world.co_director), report) == before


def test_deleting_the_account_before_generation_is_not_counted_at_all(world, lien, generate):
    """The other way round: a teacher gone before «Genereer» is in no figure of the report."""
    delete_own_account(lien)
    report = generate(client_for(world.director), world.a1, title="Na het vertrek")
    assert report.respondents == 5
    assert not Response.objects.filter(user_id=lien.pk).exists()


def test_a_co_director_whose_right_starts_tomorrow_does_not_see_the_report_yet(world, generate):
    """The archive follows the reader's right on the day, not the report's maker."""
    report = generate(client_for(world.director), world.a1, title="Alleen a1")
    Right.objects.filter(user=world.co_director).update(
        starts_on=today() + datetime.timedelta(days=1)
    )
    co_director = client_for(world.co_director)
    assert co_director.get(FORM).status_code == 404
    assert co_director.get(reverse("reports:report_pdf", args=[report.pk])).status_code == 404
