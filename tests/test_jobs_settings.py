"""The job limits come from the environment through the strict parsers: a bad value stops start-up."""

import os
import subprocess
import sys

import pytest

from tests.test_settings_env import PROJECT, manage_check


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"JOB_HEARTBEAT_TIMEOUT_SECONDS": "2"},
            "JOB_HEARTBEAT_TIMEOUT_SECONDS=2 is below the minimum of 4.",
        ),
        (
            {"JOB_HEARTBEAT_TIMEOUT_SECONDS": "two minutes"},
            "JOB_HEARTBEAT_TIMEOUT_SECONDS='two minutes' is not a whole number.",
        ),
        ({"JOB_TIME_LIMIT_SECONDS": "1h"}, "JOB_TIME_LIMIT_SECONDS='1h' is not a whole number."),
        ({"JOB_TIME_LIMIT_SECONDS": "30"}, "JOB_TIME_LIMIT_SECONDS=30 is below the minimum of 60."),
    ],
)
def test_a_bad_job_limit_stops_start_up_with_a_clear_message(tmp_path, variables, message):
    result = manage_check(tmp_path, DEBUG="true", **variables)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == f"django.core.exceptions.ImproperlyConfigured: {message}"


def job_limits(tmp_path, **variables: str) -> dict[str, str]:
    """The two limits as the started project reads them."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("JOB_HEARTBEAT_TIMEOUT_SECONDS", "JOB_TIME_LIMIT_SECONDS")
    }
    result = subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [sys.executable, "manage.py", "diffsettings"],
        cwd=PROJECT,
        env={**environment, "DIGISNAP_VAR_DIR": str(tmp_path), "DEBUG": "true", **variables},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # diffsettings marks settings that are not Django's own with "###".
    return dict(
        line.removesuffix("###").strip().split(" = ", 1)
        for line in result.stdout.splitlines()
        if line.startswith("JOB_")
    )


@pytest.mark.parametrize(
    ("variables", "limits"),
    [
        ({}, {"JOB_HEARTBEAT_TIMEOUT_SECONDS": "120", "JOB_TIME_LIMIT_SECONDS": "3600"}),
        (
            {"JOB_HEARTBEAT_TIMEOUT_SECONDS": "30", "JOB_TIME_LIMIT_SECONDS": "600"},
            {"JOB_HEARTBEAT_TIMEOUT_SECONDS": "30", "JOB_TIME_LIMIT_SECONDS": "600"},
        ),
    ],
)
def test_the_job_limits_are_read_with_their_defaults(tmp_path, variables, limits):
    assert job_limits(tmp_path, **variables) == limits
