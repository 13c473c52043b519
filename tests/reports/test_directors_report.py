"""The directors' report as a director uses it: the form with the digisnaps per school community,
«Genereer» → the job's page → PDF, XLSX and the report in the browser; the archive; form errors
that keep what was typed; the stored files and the log of generations."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from digisnap.reports.models import Report, ReportEvent
from tests.conftest import nl, page_text
from tests.reports.helpers import FORM, client_for, form_data


def test_the_way_there_follows_the_manual(world):
    client = client_for(world.director)
    home = page_text(client.get(reverse("reports:home")))
    assert reverse("reports:report") in home
    tiles = client.get(reverse("reports:report"))
    assert tiles.status_code == 200
    assert FORM in tiles.content.decode()
    assert nl("Directors' report") in page_text(tiles)


def test_the_form_groups_the_digisnaps_per_community_with_a_button_for_each(world):
    answer = client_for(world.director).get(FORM)
    assert answer.status_code == 200
    assert "no-store" in answer.headers["Cache-Control"]
    page = page_text(answer)
    assert page.index("Scholengemeenschap Noord") < page.index("A studiedag")
    assert (
        page.index("B studiedag")
        < page.index("Scholengemeenschap Zuid")
        < page.index("C studiedag")
    )
    # Noord has three digisnaps: one button chooses them all; Zuid has one, so no button.
    assert f'name="select" value="community-{world.noord.pk}"' in page
    assert f'value="community-{world.zuid.pk}"' not in page
    # The title's default, KlasCement unticked, nothing chosen.
    default_title = nl("Directors' report")
    assert f'value="{default_title}"' in page
    assert 'name="include_training"' in page
    assert "checked" not in page
    assert nl("Generate") in page


def test_the_community_button_ticks_all_its_digisnaps_and_keeps_what_was_typed(world):
    data = form_data(world.a1, title="Mijn titel", training=True)
    data.pop("generate")
    data["select"] = f"community-{world.noord.pk}"
    answer = client_for(world.director).post(FORM, data)
    assert answer.status_code == 200
    page = page_text(answer)
    for digisnap in (world.a1, world.a2, world.b1):
        assert re.search(rf'value="{digisnap.pk}" id="digisnap-{digisnap.pk}" checked', page)
    assert not re.search(rf'value="{world.c1.pk}" id="digisnap-{world.c1.pk}" checked', page)
    assert 'value="Mijn titel"' in page
    assert re.search(r'name="include_training"[^>]*checked', page)
    assert f'name="token" value="{data["token"]}"' in page
    assert not Report.objects.exists()


def test_genereer_makes_the_report_and_the_job_page_offers_the_downloads(world, generate):
    client = client_for(world.director)
    answer = generate(client, world.a1, world.b1, title="Noord samen", training=True)
    report = Report.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("reports:report_job", args=[report.pk])
    # Tasks run in the request under test: the report is done when the page opens.
    assert report.status == "done"
    assert report.progress == 100
    assert (report.title, report.include_training, report.community) == (
        "Noord samen",
        True,
        world.noord,
    )
    assert report.created_by == world.director
    assert report.respondents == 10
    assert set(report.digisnaps.all()) == {world.a1, world.b1}
    job = client.get(answer["Location"])
    page = page_text(job)
    assert job.status_code == 200
    for name in ("pdf", "xlsx", "view"):
        assert reverse(f"reports:report_{name}", args=[report.pk]) in page
    assert "A studiedag" in page and "B studiedag" in page
    assert re.search(r'<p class="callout" role="status">[^<]*\b10\b', page)


def test_the_pdf_xlsx_and_web_page_are_served_with_sensible_names_and_never_cached(world, generate):
    client = client_for(world.director)
    generate(client, world.a1, world.a2, title="Team A")
    report = Report.objects.get()
    day = report.created_at.astimezone().date().isoformat()

    pdf = client.get(reverse("reports:report_pdf", args=[report.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="team-a-{day}.pdf"'
    assert "no-store" in pdf["Cache-Control"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(pdf))).pages)
    assert "Team A" in text
    assert "A studiedag" in text and "A teamvergadering" in text

    xlsx = client.get(reverse("reports:report_xlsx", args=[report.pk]))
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"] == f'attachment; filename="team-a-{day}.xlsx"'
    assert "no-store" in xlsx["Cache-Control"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx)))
    cells = [
        cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert "Team A" in cells

    view = client.get(reverse("reports:report_view", args=[report.pk]))
    assert view.status_code == 200
    assert "no-store" in view["Cache-Control"]
    page = page_text(view)
    assert "<h1>Team A</h1>" in page
    assert 'class="site-header"' in page  # inside the site's layout


def test_the_files_are_stored_privately_and_not_under_a_served_url(world, settings, generate):
    client = client_for(world.director)
    generate(client, world.a1)
    report = Report.objects.get()
    for field in (report.pdf, report.xlsx, report.html):
        path = settings.MEDIA_ROOT / field.name
        assert path.is_file()
        assert field.name.startswith(f"reports/{report.pk}/")
    assert client.get("/" + settings.MEDIA_URL + report.pdf.name).status_code == 404


def test_the_archive_lists_date_title_digisnaps_klascement_and_downloads(world, generate):
    client = client_for(world.director)
    generate(client, world.a1, world.a2, title="Rapport AD", training=False)
    generate(client, world.b1, title="Rapport B", training=True)
    page = page_text(client.get(FORM))
    archive = page[page.index('id="archive"') :]
    for header in ("Date", "Title", "Digisnaps", "Download"):
        assert f">{nl(header)}</th>" in archive
    assert ">KlasCement</th>" in archive
    first, second = Report.objects.order_by("pk")
    assert archive.index("Rapport B") < archive.index("Rapport AD")  # newest first
    assert "A studiedag; A teamvergadering" in archive
    row_b = archive[archive.index(f'data-report="{second.pk}"') :]
    assert f"<td>{nl('Yes')}</td>" in row_b[: row_b.index("</tr>")]
    row_ad = archive[archive.index(f'data-report="{first.pk}"') :]
    assert f"<td>{nl('No')}</td>" in row_ad[: row_ad.index("</tr>")]
    assert first.created_at.astimezone().strftime("%Y-%m-%d %H:%M") in row_ad
    for name in ("pdf", "xlsx", "view"):
        assert reverse(f"reports:report_{name}", args=[first.pk]) in archive


def test_a_report_a_co_director_made_is_in_the_archive_and_downloads(world, generate):
    generate(client_for(world.co_director), world.a1, world.a2, title="Van Cora")
    report = Report.objects.get()
    client = client_for(world.director)
    assert "Van Cora" in page_text(client.get(FORM))
    assert client.get(reverse("reports:report_pdf", args=[report.pk])).status_code == 200


def test_nothing_chosen_is_refused_beside_the_field_and_keeps_the_title(world):
    data = form_data(title="Zonder keuze", training=True)
    answer = client_for(world.director).post(FORM, data)
    assert answer.status_code == 400
    page = page_text(answer)
    assert (
        f'<p class="errorlist" id="id_digisnaps_error">{nl("Choose at least one digisnap.")}'
        in (page)
    )
    assert 'aria-describedby="id_digisnaps_error"' in page
    assert 'value="Zonder keuze"' in page
    assert re.search(r'name="include_training"[^>]*checked', page)
    assert not Report.objects.exists()


def test_two_communities_are_refused_with_a_clear_message_and_the_choice_kept(world):
    answer = client_for(world.director).post(FORM, form_data(world.a1, world.c1, title="Mix"))
    assert answer.status_code == 400
    page = page_text(answer)
    message = nl(
        "Choose digisnaps of one school community. For several communities, make a report "
        "per community."
    )
    assert f'id="id_digisnaps_error">{message}' in page
    for digisnap in (world.a1, world.c1):
        assert re.search(rf'value="{digisnap.pk}" id="digisnap-{digisnap.pk}" checked', page)
    assert 'value="Mix"' in page
    assert not Report.objects.exists()


def test_a_title_too_long_is_refused_beside_the_field_as_typed(world):
    long_title = "Rapport " + "x" * 200
    answer = client_for(world.director).post(FORM, form_data(world.a1, title=long_title))
    assert answer.status_code == 400
    page = page_text(answer)
    assert 'id="id_title_error"' in page
    assert f'value="{long_title}"' in page
    assert 'aria-invalid="true"' in page
    assert re.search(rf'value="{world.a1.pk}" id="digisnap-{world.a1.pk}" checked', page)


def test_an_empty_title_becomes_directierapport(world, generate):
    generate(client_for(world.director), world.a1, title="   ")
    assert Report.objects.get().title == nl("Directors' report")


@pytest.mark.parametrize("token", ["", "geen-token"])
def test_a_form_without_a_valid_token_asks_to_press_again_with_a_fresh_one(world, token):
    data = form_data(world.a1, title="Zonder token")
    data["token"] = token
    answer = client_for(world.director).post(FORM, data)
    assert answer.status_code == 400
    page = page_text(answer)
    assert nl("This form is out of date. Check your choice and press «Generate» again.") in page
    fresh = re.search(r'name="token" value="([0-9a-f-]{36})"', page)
    assert fresh is not None
    assert 'value="Zonder token"' in page
    assert not Report.objects.exists()


def test_nonsense_digisnap_values_are_refused_without_an_error_page(world):
    answer = client_for(world.director).post(FORM, {**form_data(), "digisnaps": ["x", "-1"]})
    assert answer.status_code == 400
    assert 'id="id_digisnaps_error"' in page_text(answer)


def test_every_generation_is_logged_with_who_when_which_digisnaps_and_outcome(world, generate):
    generate(client_for(world.director), world.a1, world.b1)
    report = Report.objects.get()
    requested, done = ReportEvent.objects.order_by("pk")
    assert (requested.action, requested.by, requested.report) == (
        "requested",
        world.director,
        report,
    )
    assert [d["code"] for d in requested.digisnaps] == [world.a1.code, world.b1.code]
    assert requested.at is not None
    assert (done.action, done.by) == ("done", world.director)
    assert "respondents=10" in done.outcome
    with pytest.raises(ValueError):
        done.save()


def test_deleting_the_maker_leaves_the_report_and_its_log(world, generate):
    generate(client_for(world.co_director), world.a1)
    world.co_director.delete()
    report = Report.objects.get()
    assert report.created_by is None
    assert report.status == "done"
    assert ReportEvent.objects.filter(report=report).count() == 2
    assert (
        client_for(world.director).get(reverse("reports:report_pdf", args=[report.pk])).status_code
        == 200
    )


def test_the_form_and_archive_cost_the_same_queries_for_one_report_or_five(
    world, generate, django_assert_max_num_queries
):
    client = client_for(world.director)
    generate(client, world.a1)
    with django_assert_max_num_queries(50) as one:
        client.get(FORM)
    queries = len(one.captured_queries)
    for title in ("Twee", "Drie", "Vier", "Vijf"):
        generate(client, world.a1, world.a2, world.b1, title=title)
    with django_assert_max_num_queries(queries):
        page = page_text(client.get(FORM))
    assert page.count("data-report=") == 5
