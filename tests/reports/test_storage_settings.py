"""Where the report files are kept: REPORT_STORAGE=local (private, under MEDIA_ROOT) or s3 (an
S3-compatible bucket through django-storages); a wrong value stops start-up with a clear message."""

from __future__ import annotations

import importlib.util

import pytest
from django.core.files.storage import FileSystemStorage

from digisnap.reports.models import Report
from tests.test_settings_env import manage_check


def test_by_default_the_files_are_kept_on_local_disk_under_media_root(settings, tmp_path):
    storage = Report._meta.get_field("pdf").storage
    assert isinstance(storage, FileSystemStorage)
    settings.MEDIA_ROOT = tmp_path / "elders"
    assert storage.path("reports/1/x.pdf") == str(tmp_path / "elders/reports/1/x.pdf")


def test_an_unknown_storage_stops_start_up_naming_the_variable(tmp_path):
    result = manage_check(tmp_path, DEBUG="true", REPORT_STORAGE="ftp")
    assert result.returncode != 0
    assert "REPORT_STORAGE='ftp' must be one of: local, s3." in result.stderr


@pytest.mark.skipif(
    importlib.util.find_spec("storages") is not None, reason="django-storages is installed"
)
def test_s3_without_django_storages_installed_says_what_is_missing(tmp_path):
    result = manage_check(
        tmp_path, DEBUG="true", REPORT_STORAGE="s3", REPORT_S3_BUCKET="digisnap-rapporten"
    )
    assert result.returncode != 0
    assert "REPORT_STORAGE=s3 needs django-storages[s3] installed." in result.stderr
