"""Fixtures of the directors' report tests: the world of tests.reports.helpers, private media."""

from __future__ import annotations

import pytest

from tests.reports.helpers import FORM, ReportWorld, build_world, form_data


@pytest.fixture
def world(framework) -> ReportWorld:
    return build_world(framework)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Report files of a test land in its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Press «Genereer»; the report's task runs when the request's transaction commits."""

    def press(client, *digisnaps, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(FORM, form_data(*digisnaps, **kwargs))

    return press
