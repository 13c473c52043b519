"""Privacy of the directors' report (DESIGN §3): the minimum, secondary suppression, the platform
comparison only with enough respondents, the change since an earlier round only when neither
part can be worked out, and the setting that holds the minimum."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from django.utils import timezone

from digisnap.accounts.models import User
from digisnap.reports import privacy
from digisnap.reports.aggregates import report_data
from digisnap.schools.models import SchoolCommunity
from tests.conftest import nl
from tests.test_report_numbers import (
    SCHOOLS,
    build,
    dutch,
    flat,
    make_three_schools,
    pdf_text,
    school_row,
    school_with_teachers,
    submit_round,
)
from tests.test_settings_env import PROJECT, manage_check


@pytest.fixture
def three_schools(framework, community):
    return make_three_schools(framework, community)


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        # One school under the minimum: the smallest school shown goes too (lowest id on a tie).
        ({1: 4, 2: 5, 3: 5}, {1: "few", 2: "secondary"}),
        ({1: 4, 2: 6}, {1: "few", 2: "secondary"}),
        # Two small schools together reach the minimum: total minus the rest reveals no school.
        ({1: 4, 2: 3, 3: 5}, {1: "few", 2: "few"}),
        # Two small schools still under the minimum together: a third one goes.
        ({1: 1, 2: 2, 3: 9, 4: 7}, {1: "few", 2: "few", 4: "secondary"}),
        # A school without respondents reveals nothing.
        ({1: 0, 2: 6, 3: 5}, {1: "few"}),
        ({1: 5, 2: 5}, {}),
    ],
)
def test_group_reasons_hide_small_groups_and_what_would_reveal_them(settings, counts, hidden):
    settings.REPORT_MIN_RESPONDENTS = 5
    reasons = dutch(lambda: privacy.group_reasons(counts))
    expected = {"few": dutch(privacy.too_few_text), "secondary": dutch(privacy.secondary_text)}
    assert {key: reason for key, reason in reasons.items() if reason} == {
        key: expected[kind] for key, kind in hidden.items()
    }


def test_no_hidden_group_can_be_worked_out_from_the_total(settings):
    """Whatever the sizes: the groups hidden together are empty or reach the minimum."""
    settings.REPORT_MIN_RESPONDENTS = 5
    for sizes in ([4, 5, 6, 7], [1, 1, 1, 30], [2, 9], [3, 3], [4, 4, 4], [0, 1, 50, 50]):
        reasons = privacy.group_reasons(dict(enumerate(sizes)))
        hidden = sum(n for key, n in enumerate(sizes) if reasons[key])
        assert hidden == 0 or hidden >= 5 or all(reasons.values()), sizes


def test_a_lower_minimum_shows_the_school_with_four(settings, three_schools):
    settings.REPORT_MIN_RESPONDENTS = 4
    html = flat(build(three_schools).html)
    # Atheneum: (1 + 2 + 3 + 5) / 4 = 2.75, now shown.
    assert "2,8" in school_row(html, "Atheneum")
    assert "3,0" in school_row(html, "Basis")


def test_a_higher_minimum_hides_the_schools_of_five_too(settings, three_schools):
    settings.REPORT_MIN_RESPONDENTS = 6
    html = flat(build(three_schools).html)
    for name in SCHOOLS:
        assert dutch(privacy.too_few_text) in school_row(html, name)
    assert "3,8" not in html


def other_community(framework, respondents: int) -> None:
    """Teachers elsewhere on the platform, spread over schools of eight and the rest."""
    community = SchoolCommunity.objects.create(name="Elders")
    number = 900000
    while respondents > 0:
        size = min(8, respondents)
        school_with_teachers(
            community=community,
            name=f"Elders{number}",
            number=str(number),
            levels=[6] * size,
            framework=framework,
        )
        respondents -= size
        number += 1


def test_the_platform_comparison_needs_fifty_respondents(framework, three_schools):
    other_community(framework, 35)  # 14 + 35 = 49 on the platform
    html = build(three_schools).html
    assert nl("All digisnaps: ") not in html


def test_the_platform_comparison_appears_with_fifty_respondents(framework, three_schools):
    other_community(framework, 36)  # 14 + 36 = 50 on the platform
    files = build(three_schools)
    html = flat(files.html)
    assert nl("All digisnaps: ") in html
    # All 50: (45 + 36 × 6) / 50 = 5.22 → 5,2 (C1), 36 + 4 = 40 of 50 in band C.
    assert '5,2 <span class="report-count">(C1)</span>' in html
    assert '80% <span class="report-count">(40)</span>' in html
    assert "5,2 (C1)" in pdf_text(files)


def test_the_platform_comparison_is_left_out_when_the_rest_of_the_platform_is_small(
    framework, community
):
    digisnap = school_with_teachers(
        community=community, name="Groot", number="000500", levels=[3] * 48, framework=framework
    )
    other_community(framework, 2)  # platform minus this report: two teachers
    data = report_data(digisnap_ids=[digisnap.pk], include_training=False)
    assert data.platform_respondents == 0
    assert all(row.platform is None for row in data.competences)


def rounds(*, digisnap, framework, pairs: list[tuple[int, int]], prefix: str) -> None:
    earlier = timezone.now() - datetime.timedelta(days=180)
    for index, (before, now) in enumerate(pairs):
        user = User.objects.create(email=f"{prefix}{index}@example.org")
        submit_round(user=user, digisnap=digisnap, framework=framework, level=before, when=earlier)
        submit_round(user=user, digisnap=digisnap, framework=framework, level=now)


def test_the_change_since_the_previous_round_for_the_teachers_who_did_both(framework, community):
    digisnap = school_with_teachers(
        community=community, name="Twee", number="000600", levels=[4] * 5, framework=framework
    )
    # Five teachers went from 2, 2, 3, 3, 1 (average 2.2) to 3, 4, 3, 5, 2 (average 3.4).
    rounds(
        digisnap=digisnap,
        framework=framework,
        pairs=[(2, 3), (2, 4), (3, 3), (3, 5), (1, 2)],
        prefix="twice",
    )
    files = build([digisnap])
    assert files.respondents == 10
    assert "2,2 → 3,4 (+1,2)" in flat(files.html)
    assert "2,2 → 3,4 (+1,2)" in pdf_text(files)


def test_the_change_is_hidden_when_the_teachers_without_an_earlier_round_are_few(
    framework, community
):
    digisnap = school_with_teachers(
        community=community, name="Drie", number="000700", levels=[4] * 2, framework=framework
    )
    rounds(digisnap=digisnap, framework=framework, pairs=[(2, 3)] * 5, prefix="again")
    data = report_data(digisnap_ids=[digisnap.pk], include_training=False)
    assert data.change_teachers == 0 and data.change_hidden
    assert all(row.change is None for row in data.competences)


def test_the_change_is_hidden_when_few_teachers_did_an_earlier_round(framework, community):
    digisnap = school_with_teachers(
        community=community, name="Vier", number="000800", levels=[4] * 6, framework=framework
    )
    rounds(digisnap=digisnap, framework=framework, pairs=[(2, 3)] * 4, prefix="few")
    html = flat(build([digisnap]).html)
    assert dutch(privacy.too_few_text) in html
    assert "→" not in html


def test_the_report_has_no_names_and_no_e_mail_addresses(three_schools):
    files = build(three_schools)
    text = files.html + pdf_text(files)
    assert "@example.org" not in text
    assert "atheneum0" not in text


PRINT_MINIMUM = "from django.conf import settings; print(settings.REPORT_MIN_RESPONDENTS)"


def settings_of(tmp_path, **variables: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "REPORT_MIN_RESPONDENTS"}
    result = subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PRINT_MINIMUM],
        cwd=PROJECT,
        env={**environment, "DIGISNAP_VAR_DIR": str(tmp_path), "DEBUG": "true", **variables},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_the_minimum_is_five_unless_the_environment_says_otherwise(tmp_path):
    assert settings_of(tmp_path) == "5"
    assert settings_of(tmp_path, REPORT_MIN_RESPONDENTS="10") == "10"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1", "REPORT_MIN_RESPONDENTS=1 is below the minimum of 2."),
        ("five", "REPORT_MIN_RESPONDENTS='five' is not a whole number."),
    ],
)
def test_a_bad_minimum_stops_start_up_with_a_clear_message(tmp_path, value, message):
    result = manage_check(tmp_path, DEBUG="true", REPORT_MIN_RESPONDENTS=value)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == f"django.core.exceptions.ImproperlyConfigured: {message}"
