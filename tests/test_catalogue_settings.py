"""The feed's settings come from the environment; a bad value stops start-up with a clear message."""

import pytest

from tests.test_settings_env import manage_check


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"TRAINING_FEED_URL": "file:///etc/passwd"},
            "TRAINING_FEED_URL must start with http:// or https://.",
        ),
        (
            {"TRAINING_FEED_TIMEOUT_SECONDS": "soon"},
            "TRAINING_FEED_TIMEOUT_SECONDS='soon' is not a whole number.",
        ),
        ({"TRAINING_FEED_MAX_BYTES": "10"}, "TRAINING_FEED_MAX_BYTES=10 is below the minimum"),
    ],
)
def test_a_bad_feed_setting_stops_start_up(tmp_path, variables, message):
    result = manage_check(tmp_path, DEBUG="true", **variables)
    assert result.returncode != 0
    assert message in result.stderr.strip().splitlines()[-1]


def test_a_web_address_for_the_feed_is_accepted(tmp_path):
    result = manage_check(tmp_path, DEBUG="true", TRAINING_FEED_URL="https://feed.example/a.json")
    assert result.returncode == 0, result.stderr
