"""`manage.py import_catalogue`: prints the counts, or the row errors and exits non-zero."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from digisnap.learning.models import CatalogueImport, Training
from tests.catalogue_helpers import course, csv_file, json_file, jsonld_file, training

pytestmark = pytest.mark.usefixtures("framework")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def write(tmp_path):
    def write(name: str, content: bytes):
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return write


def test_it_prints_the_counts_and_logs_the_import(write, capsys):
    path = write("catalogus.json", json_file([training(1), training(2)]))
    call_command("import_catalogue", path)
    assert capsys.readouterr().out == "added=2 updated=0 unchanged=0 deactivated=0 refused=0\n"
    logged = CatalogueImport.objects.get()
    assert (logged.status, logged.origin, logged.started_by) == ("done", path, None)


def test_a_second_run_of_the_same_file_reports_everything_unchanged(write, capsys):
    path = write("catalogus.json", json_file([training(1), training(2)]))
    call_command("import_catalogue", path)
    call_command("import_catalogue", path)
    assert capsys.readouterr().out.splitlines()[-1] == (
        "added=0 updated=0 unchanged=2 deactivated=0 refused=0"
    )


def test_a_refused_file_prints_each_row_error_and_exits_non_zero(write, capsys):
    path = write(
        "catalogus.csv",
        csv_file([training(1), training(2, level_from="C2", level_to="A1"), training(3, url="x")]),
    )
    with pytest.raises(CommandError, match="refused=2") as refused:
        call_command("import_catalogue", path, "--source", "KlasCement")
    assert refused.value.returncode == 1
    assert capsys.readouterr().err.splitlines() == [
        "row 3, level_to: The band runs backwards: A1 is below the start level C2.",
        "row 4, url: «x» is not a web address starting with http:// or https://.",
    ]
    assert not Training.objects.exists()
    assert CatalogueImport.objects.get().status == "refused"


def test_a_csv_file_needs_a_source(write):
    path = write("catalogus.csv", csv_file([training()]))
    with pytest.raises(CommandError, match="--source"):
        call_command("import_catalogue", path)


def test_the_format_can_be_forced_and_sample_content_marked(write, capsys):
    path = write("export.txt", jsonld_file([course()]))
    call_command(
        "import_catalogue", path, "--format", "jsonld", "--source", "Aanbieder", "--sample"
    )
    stored = Training.objects.get()
    assert (stored.source, stored.is_sample) == ("Aanbieder", True)
    assert CatalogueImport.objects.get().kind == "jsonld"


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_catalogue", str(tmp_path / "weg.json"))


def test_it_needs_a_file_or_the_feed():
    with pytest.raises(CommandError, match="--feed"):
        call_command("import_catalogue")


def test_the_feed_needs_a_configured_address(settings):
    settings.TRAINING_FEED_URL = ""
    with pytest.raises(CommandError, match="TRAINING_FEED_URL"):
        call_command("import_catalogue", "--feed")


def test_a_failed_feed_exits_non_zero_with_the_reason(settings, capsys):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.TRAINING_FEED_URL = f"http://127.0.0.1:{port}/"
    with pytest.raises(CommandError, match="failed"):
        call_command("import_catalogue", "--feed")
    assert "cannot be reached" in capsys.readouterr().err


def test_it_is_silent_at_verbosity_0_so_demo_data_can_call_it(write, capsys):
    call_command("import_catalogue", write("c.json", json_file([training()])), verbosity=0)
    assert capsys.readouterr().out == ""
    assert Training.objects.count() == 1
