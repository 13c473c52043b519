"""Staff pages of the catalogue: only platform admins get in; list, (de)activate, import, log."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.timezone import now

from digisnap.learning.models import CatalogueImport, Training
from digisnap.learning.services import catalogue_import_create, training_deactivate
from tests.catalogue_helpers import csv_file, json_file, make_trainings, run_import, training
from tests.conftest import make_user, nl, page_text

pytestmark = pytest.mark.usefixtures("framework")


@pytest.fixture
def staff(db):
    """A platform admin (Digisnap team): manages the training catalogue."""
    return make_user("beheer@test.example", first_name="Bea", last_name="Beheer", is_staff=True)


@pytest.fixture
def catalogue():
    run_import(
        json_file([training(1, title="Werken met Bingel"), training(2, provider="Kenniscentrum")])
    )
    return {t.external_id: t for t in Training.objects.all()}


@pytest.fixture
def a_failed_import():
    failed = catalogue_import_create(kind="feed", origin="http://127.0.0.1:9/feed.json")
    CatalogueImport.objects.filter(pk=failed.pk).update(
        status="failed", error="HTTP 500", attempts=1, started_at=now(), finished_at=now()
    )
    return failed


def pages(catalogue, a_failed_import):
    training_pk = catalogue["t-1"].pk
    return [
        ("get", reverse("catalogue:trainings")),
        ("get", reverse("catalogue:import")),
        ("post", reverse("catalogue:import")),
        ("get", reverse("catalogue:imports")),
        ("get", reverse("catalogue:import_detail", args=[a_failed_import.pk])),
        ("get", reverse("catalogue:import_status", args=[a_failed_import.pk])),
        ("post", reverse("catalogue:import_retry", args=[a_failed_import.pk])),
        ("post", reverse("catalogue:deactivate", args=[training_pk])),
        ("post", reverse("catalogue:reactivate", args=[training_pk])),
        ("post", reverse("catalogue:feed")),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(anonymous_client, catalogue, a_failed_import):
    for method, url in pages(catalogue, a_failed_import):
        response = getattr(anonymous_client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login") + "?next="), url


def test_a_signed_in_teacher_is_refused(teacher_client, catalogue, a_failed_import):
    for method, url in pages(catalogue, a_failed_import):
        assert getattr(teacher_client, method)(url).status_code == 403, url
    assert Training.objects.filter(state="active").count() == 2
    assert CatalogueImport.objects.count() == 2  # the catalogue's own and the failed one


def test_staff_see_the_catalogue_with_its_codes_levels_and_buttons(staff_client, catalogue):
    response = staff_client.get(reverse("catalogue:trainings"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Werken met Bingel" in text and "Kenniscentrum" in text
    assert "2.1, 2.3" in text and "A1–B1" in text
    html = response.content.decode()
    assert (
        html.count(f'action="{reverse("catalogue:deactivate", args=[catalogue["t-1"].pk])}"') == 1
    )
    assert "<caption>" in html
    assert 'role="search"' in html and '<label for="id_q">' in html


def test_the_list_searches_title_and_provider(staff_client, catalogue):
    by_title = page_text(staff_client.get(reverse("catalogue:trainings"), {"q": "bingel"}))
    assert "Werken met Bingel" in by_title and "Opleiding 2" not in by_title
    by_provider = page_text(staff_client.get(reverse("catalogue:trainings"), {"q": "kenniscen"}))
    assert "Opleiding 2" in by_provider and "Werken met Bingel" not in by_provider


def test_the_list_filters_by_source_and_status(staff_client, catalogue):
    run_import(json_file([training(7, title="Andere bron")], source="Andere"))
    training_deactivate(training=Training.objects.get(external_id="t-2"))
    url = reverse("catalogue:trainings")
    by_source = page_text(staff_client.get(url, {"source": "Andere"}))
    assert "Andere bron" in by_source and "Werken met Bingel" not in by_source
    inactive = page_text(staff_client.get(url, {"state": "inactive"}))
    assert "Opleiding 2" in inactive and "Werken met Bingel" not in inactive
    active = page_text(staff_client.get(url, {"state": "active", "source": "Test"}))
    assert "Werken met Bingel" in active and "Opleiding 2" not in active


def test_the_list_tells_a_training_an_import_missed_from_one_staff_deactivated(
    staff_client, catalogue
):
    run_import(json_file([training(1, title="Werken met Bingel")]))  # t-2 missing now
    run_import(json_file([training(3, title="Derde")], source="Andere"))
    training_deactivate(training=Training.objects.get(external_id="t-3"))
    url = reverse("catalogue:trainings")
    missing = page_text(staff_client.get(url, {"state": "missing"}))
    assert "Opleiding 2" in missing and "Derde" not in missing
    assert nl("missing from the latest import") in missing
    by_staff = page_text(staff_client.get(url, {"state": "staff"}))
    assert "Derde" in by_staff and "Opleiding 2" not in by_staff
    assert nl("deactivated by staff") in by_staff


def test_the_list_shows_fifty_trainings_a_page(staff_client):
    make_trainings(51)
    first = staff_client.get(reverse("catalogue:trainings"), {"source": "Bulk"})
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode()
    second = staff_client.get(reverse("catalogue:trainings"), {"source": "Bulk", "page": 2})
    assert [t.title for t in second.context["page"].object_list] == ["Bulkopleiding 00050"]


@pytest.mark.parametrize("size", [60, 600])
def test_the_list_takes_the_same_queries_however_large_the_catalogue(
    staff_client, size, django_assert_num_queries
):
    make_trainings(size)
    # session, user, sources, count, page, competences of the page
    with django_assert_num_queries(6):
        response = staff_client.get(reverse("catalogue:trainings"))
    assert len(response.context["page"].object_list) == 50


def test_staff_deactivate_and_reactivate_a_training_and_return_to_the_filtered_list(
    staff_client, catalogue
):
    back = reverse("catalogue:trainings") + "?q=bingel&page=1"
    url = reverse("catalogue:deactivate", args=[catalogue["t-1"].pk])
    response = staff_client.post(url, {"next": back})
    assert response.url == back
    deactivated = Training.objects.get(external_id="t-1")
    assert deactivated.state == "staff"
    listed = staff_client.get(back).content.decode()
    assert reverse("catalogue:reactivate", args=[catalogue["t-1"].pk]) in listed
    staff_client.post(reverse("catalogue:reactivate", args=[catalogue["t-1"].pk]), {"next": back})
    assert Training.objects.get(external_id="t-1").is_active


def test_the_deactivate_button_does_not_redirect_elsewhere(staff_client, catalogue):
    url = reverse("catalogue:deactivate", args=[catalogue["t-1"].pk])
    response = staff_client.post(url, {"next": "https://evil.example/"})
    assert response.url == reverse("catalogue:trainings")


def test_a_get_cannot_deactivate(staff_client, catalogue):
    response = staff_client.get(reverse("catalogue:deactivate", args=[catalogue["t-1"].pk]))
    assert response.status_code == 405


def upload(content: bytes, name: str = "catalogus.json"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_staff_upload_a_file_and_land_on_the_import_with_its_counts(
    staff, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("catalogue:import"),
            {"file": upload(json_file([training(1), training(2)])), "format": "", "source": ""},
        )
    catalogue_import = CatalogueImport.objects.get()
    assert response.url == reverse("catalogue:import_detail", args=[catalogue_import.pk])
    assert (catalogue_import.status, catalogue_import.added, catalogue_import.started_by) == (
        "done",
        2,
        staff,
    )
    assert (catalogue_import.origin, catalogue_import.source) == ("catalogus.json", "Test")
    detail = staff_client.get(response.url)
    assert 'http-equiv="refresh"' not in detail.content.decode()
    log = page_text(staff_client.get(reverse("catalogue:imports")))
    assert "beheer@test.example" in log and "Test" in log


def test_a_csv_upload_with_source_and_sample_tick_is_imported_as_sample(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("catalogue:import"),
            {"file": upload(csv_file([training()]), "c.csv"), "source": "Demo", "sample": "on"},
        )
    stored = Training.objects.get()
    assert (stored.source, stored.is_sample) == ("Demo", True)


def test_bad_input_reshows_the_typed_values_with_the_error_beside_the_field(staff_client):
    response = staff_client.post(
        reverse("catalogue:import"),
        {"file": upload(csv_file([training()]), "c.csv"), "format": "csv", "sample": "on"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    source_group = re.search(
        r'<label for="id_source".*?<input[^>]*id="id_source"[^>]*>', html, re.S
    )
    assert source_group and 'class="errorlist"' in source_group.group(0)
    assert 'aria-invalid="true"' in source_group.group(0)
    assert re.search(r'<option value="csv" selected>', html)
    assert re.search(r'<input type="checkbox" name="sample"[^>]*checked', html)
    assert not CatalogueImport.objects.exists()


def test_a_form_without_a_file_is_refused_beside_the_file_field(staff_client):
    response = staff_client.post(reverse("catalogue:import"), {"source": "KlasCement"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"file"}
    assert 'value="KlasCement"' in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(staff_client, settings):
    settings.TRAINING_FEED_MAX_BYTES = 100
    response = staff_client.post(
        reverse("catalogue:import"), {"file": upload(json_file([training()]))}
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"file"}


def test_a_file_of_unknown_format_asks_for_the_format(staff_client):
    response = staff_client.post(
        reverse("catalogue:import"), {"file": upload(b"plain words", "notes.txt")}
    )
    assert response.context["form"].errors.keys() == {"format"}


def test_a_refused_import_shows_every_row_error(staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("catalogue:import"),
            {"file": upload(json_file([training(1), training(2, url="ftp://x", language="de")]))},
        )
    detail = staff_client.get(response.url)
    html = detail.content.decode()
    assert CatalogueImport.objects.get().status == "refused"
    assert re.search(r"<td>2</td><td>url</td>", html)
    assert re.search(r"<td>2</td><td>language</td>", html)
    assert not Training.objects.exists()


@pytest.mark.parametrize("status", ["queued", "running"])
def test_an_import_in_progress_refreshes_itself_without_javascript(staff_client, status):
    catalogue_import = catalogue_import_create(kind="json", origin="x.json", payload=b"[]")
    CatalogueImport.objects.filter(pk=catalogue_import.pk).update(
        status=status, attempts=1, started_at=now(), heartbeat_at=now()
    )
    response = staff_client.get(reverse("catalogue:import_detail", args=[catalogue_import.pk]))
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in (
        response.content.decode()
    )


def test_a_finished_import_does_not_refresh_itself(staff_client):
    done = run_import(json_file([training()]))
    response = staff_client.get(reverse("catalogue:import_detail", args=[done.pk]))
    assert 'http-equiv="refresh"' not in response.content.decode()


def test_the_feed_button_shows_only_when_a_feed_is_configured(staff_client, settings):
    settings.TRAINING_FEED_URL = ""
    assert (
        reverse("catalogue:feed")
        not in staff_client.get(reverse("catalogue:trainings")).content.decode()
    )
    assert staff_client.post(reverse("catalogue:feed")).status_code == 404
    settings.TRAINING_FEED_URL = "http://127.0.0.1:9/feed.json"
    assert (
        reverse("catalogue:feed")
        in staff_client.get(reverse("catalogue:trainings")).content.decode()
    )
    assert (
        reverse("catalogue:feed") in staff_client.get(reverse("catalogue:import")).content.decode()
    )


def test_the_feed_button_queues_a_feed_import(staff, staff_client, settings):
    settings.TRAINING_FEED_URL = "http://127.0.0.1:9/feed.json"
    response = staff_client.post(reverse("catalogue:feed"))  # enqueued on commit: stays queued
    queued = CatalogueImport.objects.get()
    assert response.url == reverse("catalogue:import_detail", args=[queued.pk])
    assert (queued.kind, queued.origin, queued.source, queued.status, queued.started_by) == (
        "feed",
        "http://127.0.0.1:9/feed.json",
        settings.TRAINING_FEED_SOURCE,
        "queued",
        staff,
    )


def test_a_failed_import_offers_to_try_again_and_retrying_queues_the_same_import(
    staff_client, a_failed_import
):
    detail = staff_client.get(reverse("catalogue:import_detail", args=[a_failed_import.pk]))
    retry = reverse("catalogue:import_retry", args=[a_failed_import.pk])
    assert retry in detail.content.decode()
    assert "HTTP 500" in page_text(detail)
    response = staff_client.post(retry)
    assert response.url == reverse("catalogue:import_detail", args=[a_failed_import.pk])
    again = CatalogueImport.objects.get()
    assert (again.origin, again.kind, again.status, again.error) == (
        a_failed_import.origin,
        "feed",
        "queued",
        "",
    )


def test_a_done_import_cannot_be_retried(staff_client):
    done = run_import(json_file([training()]))
    response = staff_client.post(reverse("catalogue:import_retry", args=[done.pk]))
    assert response.url == reverse("catalogue:import_detail", args=[done.pk])
    assert CatalogueImport.objects.count() == 1
    detail = staff_client.get(reverse("catalogue:import_detail", args=[done.pk]))
    assert reverse("catalogue:import_retry", args=[done.pk]) not in detail.content.decode()
