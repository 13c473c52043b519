"""Privacy of the directors' report (DESIGN §3): a digisnap under the minimum counts in no figure
of any report (so comparing reports reveals nothing), the platform comparison only over digisnaps
that reach the minimum and with enough respondents, the change since an earlier round only where
neither part can be worked out, and the setting that holds the minimum."""

from __future__ import annotations

import datetime
import io
import os
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from digisnap.accounts.models import User
from digisnap.reports import privacy
from digisnap.reports.aggregates import report_data
from digisnap.schools.models import Digisnap, SchoolCommunity
from tests.conftest import nl
from tests.test_report_numbers import (
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
    ("respondents", "counts"), [(0, False), (1, False), (4, False), (5, True), (30, True)]
)
def test_a_digisnap_counts_from_the_minimum_on(settings, respondents, counts):
    settings.REPORT_MIN_RESPONDENTS = 5
    assert privacy.counts(respondents) is counts


def workbook_of(files):
    return load_workbook(io.BytesIO(files.xlsx))


def figures_sheets(files) -> dict[str, list[tuple]]:
    """The sheets with the report's own figures (areas and competences, with the platform
    beside them), and the cover's «respondents in the figures»."""
    workbook = workbook_of(files)
    with translation.override("nl"):
        sheets = {
            name: list(workbook[nl(name)].iter_rows(min_row=2, values_only=True))
            for name in ("Areas", "Competences")
        }
        cover = list(workbook[nl("Report")].iter_rows(values_only=True))
        sheets["respondents"] = [
            row[:2] for row in cover if row[0] == nl("Respondents in the figures")
        ]
    return sheets


def test_no_figure_of_a_small_school_by_comparing_reports(framework, three_schools):
    """Report {Atheneum(4), Basis(5), College(5)} minus report {Basis, College} would be
    Atheneum's figures; both reports show the very same figures, so the difference is empty."""
    other_community(framework, 40)  # so the platform comparison stands beside both reports
    with_atheneum = figures_sheets(build(three_schools))
    without = figures_sheets(build(three_schools[1:]))
    assert with_atheneum == without
    assert without["respondents"] == [(nl("Respondents in the figures"), 10)]
    competence = without["Competences"][0]
    # Basis + College (hand-computed in test_report_numbers), then the platform: 10 + 40 = 50.
    assert competence[2:10] == pytest.approx((10, 3, 0.3, 4, 0.4, 3, 0.3, 3.4))
    assert competence[10] == 50


def test_a_lower_minimum_shows_the_school_with_four(settings, three_schools):
    settings.REPORT_MIN_RESPONDENTS = 4
    html = flat(build(three_schools).html)
    # Atheneum: (1 + 2 + 3 + 5) / 4 = 2.75, now shown.
    assert "2,8" in school_row(html, "Atheneum")
    assert "3,0" in school_row(html, "Basis")


def test_a_higher_minimum_hides_the_schools_of_five_too(settings, three_schools):
    settings.REPORT_MIN_RESPONDENTS = 6
    files = build(three_schools)
    html = flat(files.html)
    # No school reaches six: the whole report shows no figures, and says why.
    assert files.respondents == 0
    assert dutch(privacy.too_few_text) in html
    assert dutch(lambda: privacy.left_out_text(respondents=14, digisnaps=3)) in html
    assert "3,8" not in html and "3,0" not in html and "%" not in re.sub(r"<[^>]+>", "", html)


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


def test_the_platform_comparison_needs_fifty_counted_respondents(framework, three_schools):
    # 10 (Basis + College; Atheneum's 4 do not count) + 39 = 49 on the platform.
    other_community(framework, 39)
    html = build(three_schools).html
    assert nl("All digisnaps: ") not in html


def test_the_platform_comparison_appears_with_fifty_counted_respondents(framework, three_schools):
    other_community(framework, 40)  # 10 + 40 = 50 on the platform
    files = build(three_schools)
    html = flat(files.html)
    assert nl("All digisnaps: ") in html
    # All 50: (34 + 40 × 6) / 50 = 5.48 → 5,5, which rounds to 6 (C2); 3 + 40 = 43 of 50 in C.
    assert '5,5 <span class="report-count">(C2)</span>' in html
    assert '86% <span class="report-count">(43)</span>' in html
    assert "5,5 (C2)" in pdf_text(files)


def test_the_platform_comparison_leaves_out_small_schools(framework, community):
    """A platform of 60 respondents, 3 of them in a small school elsewhere: the platform figure
    counts the other 57."""
    digisnap = school_with_teachers(
        community=community, name="Groot", number="000500", levels=[3] * 10, framework=framework
    )
    other_community(framework, 47)  # five schools of 8 and one of 7
    school_with_teachers(
        community=SchoolCommunity.objects.create(name="Klein elders"),
        name="Klein",
        number="000510",
        levels=[1] * 3,
        framework=framework,
    )
    data = report_data(digisnap_ids=[digisnap.pk], include_training=False)
    assert data.platform_respondents == 57
    for row in data.competences:
        # (10 × 3 + 47 × 6) / 57 = 312 / 57 = 5.47 → 5,5; nobody at A: the three at A1 are out.
        assert (row.platform.respondents, row.platform.counts) == (57, (0, 10, 47))
        assert row.platform.average == Decimal("5.5")


def test_small_digisnaps_elsewhere_do_not_count_towards_the_fifty(framework, community):
    digisnap = school_with_teachers(
        community=community, name="Groot", number="000500", levels=[3] * 48, framework=framework
    )
    other_community(framework, 2)  # 50 teachers on the platform, but only 48 count
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


def test_a_small_digisnap_of_a_counted_school_counts_nowhere_either(framework, community):
    """College has a study day of 5 and a pilot of 1: a report over both minus a report over
    the study day alone would be the pilot teacher's answers, so the pilot counts in neither."""
    study_day = school_with_teachers(
        community=community, name="College", number="000950", levels=[3] * 5, framework=framework
    )
    pilot = Digisnap.objects.create(
        institution=study_day.institution, name="College pilot", code="Digisnap_000951"
    )
    teacher = User.objects.create(email="pilot@example.org")
    submit_round(user=teacher, digisnap=pilot, framework=framework, level=6)
    both = build([study_day, pilot])
    alone = build([study_day])
    assert both.respondents == alone.respondents == 5
    assert figures_sheets(both) == figures_sheets(alone)
    assert dutch(lambda: privacy.left_out_text(respondents=1, digisnaps=1)) in flat(both.html)


def test_no_change_figure_of_a_few_teachers_by_comparing_reports(framework, community):
    """Basis has 10 teachers, 2 of them with an earlier round; College 12, 6 of them. Together
    the 8 would pass, but then the change over {Basis, College} minus the change over {College}
    would be Basis's two teachers: Basis's part is left out in every report."""
    basis = school_with_teachers(
        community=community, name="Basis", number="000901", levels=[4] * 8, framework=framework
    )
    rounds(digisnap=basis, framework=framework, pairs=[(1, 6)] * 2, prefix="twice-basis")
    college = school_with_teachers(
        community=community, name="College", number="000902", levels=[4] * 6, framework=framework
    )
    rounds(digisnap=college, framework=framework, pairs=[(2, 3)] * 6, prefix="twice-college")
    both = report_data(digisnap_ids=[basis.pk, college.pk], include_training=False)
    alone = report_data(digisnap_ids=[college.pk], include_training=False)
    assert both.respondents == 22 and both.change_teachers == alone.change_teachers == 6
    assert [row.change for row in both.competences] == [row.change for row in alone.competences]
    # College's six: from 2 to 3 (+1,0); Basis's two (1 → 6) would have moved it.
    assert {(row.change.before, row.change.now) for row in both.competences} == {
        (Decimal("2.0"), Decimal("3.0"))
    }


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
