"""The directors' report's numbers against a small data set computed by hand, in the HTML, the
PDF text and the XLSX; and the figures of a small school nowhere, not even inside the total.

Every teacher here has the same level on every competence and area, so each competence row shows
the same figures, written out below:

    school     respondents  levels            band A  band B  band C  sum  average
    Atheneum   4            1 2 3 5           2       1       1       11   2.75 (hidden: < 5)
    Basis      5            1 1 3 4 6         2       2       1       15   3.0 → B1
    College    5            2 3 3 5 6         1       2       2       19   3.8 → B2
    total      10 (Basis + College)           3 (30%) 4 (40%) 3 (30%) 34   3.4 → B1

Atheneum alone is under the minimum of 5, so it counts in no figure: not in its own row, not in
the total. The total is Basis + College, so a report over Basis and College alone shows the very
same figures, and no difference of two reports gives Atheneum away. With Atheneum the total
would have been 14 teachers, 5/5/4 per band (36%/36%/29%), average 3.2: none of that appears.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from digisnap.accounts.models import User
from digisnap.questionnaires.models import Area, AreaResult, Competence, CompetenceResult, Response
from digisnap.reports import privacy
from digisnap.reports.document import ReportSpec, report_build
from digisnap.schools.models import Digisnap, Institution, Membership
from tests.conftest import nl, nl_plural

SCHOOLS = {"Atheneum": [1, 2, 3, 5], "Basis": [1, 1, 3, 4, 6], "College": [2, 3, 3, 5, 6]}
GENERATED_AT = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def submit_round(
    *, user: User, digisnap: Digisnap, framework, level: int, when: datetime.datetime | None = None
) -> Response:
    """A submitted round with the same stored level on every competence and area."""
    Membership.objects.get_or_create(user=user, digisnap=digisnap, role=Membership.Role.TEACHER)
    response = Response.objects.create(
        user=user,
        digisnap=digisnap,
        framework=framework,
        status=Response.Status.SUBMITTED,
        submitted_at=when or timezone.now(),
    )
    CompetenceResult.objects.bulk_create(
        CompetenceResult(response=response, competence=competence, score=level, level=level)
        for competence in Competence.objects.filter(area__framework=framework)
    )
    AreaResult.objects.bulk_create(
        AreaResult(response=response, area=area, score=level, level=level)
        for area in Area.objects.filter(framework=framework)
    )
    return response


def school_with_teachers(
    *, community, name: str, number: str, levels: list[int], framework, prefix: str = ""
) -> Digisnap:
    institution = Institution.objects.create(community=community, number=number, name=name)
    digisnap = Digisnap.objects.create(
        institution=institution, name=f"{name} studiedag", code=f"Digisnap_{number}"
    )
    for index, level in enumerate(levels):
        user = User.objects.create(email=f"{prefix}{name.lower()}{index}@example.org")
        submit_round(user=user, digisnap=digisnap, framework=framework, level=level)
    return digisnap


def build(digisnaps: list[Digisnap], *, include_training: bool = False, language: str = "nl"):
    return report_build(
        spec=ReportSpec(
            title="Rapport voorjaar",
            digisnap_ids=tuple(d.pk for d in digisnaps),
            include_training=include_training,
            language=language,
            generated_at=GENERATED_AT,
        )
    )


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def dutch(function) -> str:
    with translation.override("nl"):
        return function()


def make_three_schools(framework, community) -> list[Digisnap]:
    """The data set of the module docstring, and one teacher who joined College but never
    submitted."""
    digisnaps = [
        school_with_teachers(
            community=community, name=name, number=f"00010{i}", levels=levels, framework=framework
        )
        for i, (name, levels) in enumerate(SCHOOLS.items())
    ]
    joined = User.objects.create(email="joined@example.org")
    Membership.objects.create(user=joined, digisnap=digisnaps[2])
    return digisnaps


@pytest.fixture
def three_schools(framework, community) -> list[Digisnap]:
    return make_three_schools(framework, community)


@pytest.fixture
def files(three_schools):
    return build(three_schools)


def test_the_report_counts_respondents_and_who_joined_without_submitting(files):
    # Basis and College; Atheneum's four teachers are not counted.
    assert (files.respondents, files.joined_not_submitted) == (10, 1)


def school_row(html: str, name: str) -> str:
    match = re.search(rf'<tr><th scope="row">{name}</th>(.*?)</tr>', flat(html))
    assert match, name
    return match.group(1)


# What Atheneum would add: the total with it (14 teachers, 5/5/4, 3.2) and its own 2.75.
WITH_ATHENEUM = ("36%", "(14)", "3,2", "2,8")


def test_html_shows_the_hand_computed_totals_of_basis_and_college(files):
    html = flat(files.html)
    # Per band: count and share of Basis + College; the average level and its label.
    assert '30% <span class="report-count">(3)</span>' in html
    assert '40% <span class="report-count">(4)</span>' in html
    assert '3,4 <span class="report-count">(B1)</span>' in html
    assert not [figure for figure in WITH_ATHENEUM if figure in html]


def test_html_hides_the_small_school_and_leaves_it_out_of_the_total(files):
    html = flat(files.html)
    atheneum = school_row(html, "Atheneum")
    assert dutch(privacy.too_few_text) in atheneum
    # Its count is not printed either: «fewer than 5».
    assert dutch(privacy.fewer_than_text) in atheneum and ">4<" not in atheneum
    assert "3,0" in school_row(html, "Basis")
    assert "3,8" in school_row(html, "College")
    total = f'<tr class="report-total"><th scope="row">{nl("Total")}</th><td class="num">10</td>'
    assert total in html


def test_the_cover_says_how_many_respondents_are_not_counted_and_why(files):
    html = flat(files.html)
    respondents = nl_plural(
        "%(counter)s respondent in the figures.", "%(counter)s respondents in the figures.", 10
    )
    assert respondents % {"counter": 10} in html
    assert dutch(lambda: privacy.left_out_text(respondents=4, digisnaps=1)) in html
    assert (
        '<th scope="row">Atheneum studiedag</th><td>Atheneum</td>'
        f'<td class="num">{dutch(privacy.fewer_than_text)}</td><td class="num">0</td>'
    ) in html


def pdf_text(files) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(files.pdf)).pages))


def test_pdf_text_shows_the_same_numbers_and_hides_the_same_school(files):
    text = pdf_text(files)
    assert "Atheneum studiedag" in text and "College studiedag" in text
    assert "30% (3)" in text and "40% (4)" in text and "3,4 (B1)" in text
    assert dutch(privacy.too_few_text) in text
    assert dutch(lambda: privacy.left_out_text(respondents=4, digisnaps=1)) in text
    assert re.search(r"Basis 5 3,0 3,0 3,0", text)
    assert re.search(r"College 5 3,8 3,8 3,8", text)
    assert not [figure for figure in WITH_ATHENEUM if figure in text]


def sheet_rows(workbook, msgid: str) -> list[tuple]:
    with translation.override("nl"):
        return list(workbook[nl(msgid)].iter_rows(min_row=2, values_only=True))


def test_xlsx_writes_the_total_of_basis_and_college_and_atheneum_as_the_explanation(files):
    workbook = load_workbook(io.BytesIO(files.xlsx))
    competences = sheet_rows(workbook, "Competences")
    assert all(row[2:10] == pytest.approx((10, 3, 0.3, 4, 0.4, 3, 0.3, 3.4)) for row in competences)
    by_school = {}
    for row in sheet_rows(workbook, "Schools"):
        by_school.setdefault(row[0], []).append(row)
    assert all(row[3:5] == (None, dutch(privacy.too_few_text)) for row in by_school["Atheneum"])
    assert all(not isinstance(v, float) for row in by_school["Atheneum"] for v in row[5:])
    assert all(
        row[3:] == pytest.approx((5, 2, 0.4, 2, 0.4, 1, 0.2, 3.0)) for row in by_school["Basis"]
    )
    assert all(
        row[3:] == pytest.approx((5, 1, 0.2, 2, 0.4, 2, 0.4, 3.8)) for row in by_school["College"]
    )
    cover = sheet_rows(workbook, "Report")
    assert ("Atheneum studiedag", "Atheneum", dutch(privacy.fewer_than_text), 0) in cover


def test_cover_lists_each_digisnap_with_its_school_and_counts(files):
    html = flat(files.html)
    assert (
        '<th scope="row">College studiedag</th><td>College</td>'
        '<td class="num">5</td><td class="num">1</td>'
    ) in html


def test_a_report_under_the_minimum_shows_no_figures_at_all(framework, community):
    digisnap = school_with_teachers(
        community=community, name="Klein", number="000200", levels=[1, 3, 5, 6], framework=framework
    )
    files = build([digisnap])
    assert files.respondents == 0
    html = flat(files.html)
    assert dutch(privacy.too_few_text) in html
    assert dutch(lambda: privacy.left_out_text(respondents=4, digisnaps=1)) in html
    assert "%" not in re.sub(r"<[^>]+>", "", files.html)
    text = pdf_text(files)
    assert dutch(privacy.too_few_text) in text and "%" not in text.replace("100%", "")


def test_a_single_school_report_has_no_comparison_per_school(framework, community):
    digisnap = school_with_teachers(
        community=community,
        name="Enkel",
        number="000300",
        levels=[1, 2, 3, 4, 5],
        framework=framework,
    )
    html = build([digisnap]).html
    assert nl("Comparison per school") not in html
    assert '3,0 <span class="report-count">(B1)</span>' in flat(html)


def test_the_report_is_written_in_the_language_asked_for(three_schools):
    html = build(three_schools, language="en").html
    assert "How to read this report" in html
    assert "3.2" in html


def test_only_the_latest_round_of_a_teacher_counts(framework, community):
    digisnap = school_with_teachers(
        community=community,
        name="Rondes",
        number="000400",
        levels=[3, 3, 3, 3],
        framework=framework,
    )
    earlier = timezone.now() - datetime.timedelta(days=200)
    repeater = User.objects.create(email="repeater@example.org")
    submit_round(user=repeater, digisnap=digisnap, framework=framework, level=1, when=earlier)
    submit_round(user=repeater, digisnap=digisnap, framework=framework, level=6)
    files = build([digisnap])
    assert files.respondents == 5
    # (4 × 3 + 6) / 5 = 3.6: the earlier round (level 1) is not counted.
    assert '3,6 <span class="report-count">(B2)</span>' in flat(files.html)


def test_the_html_fragment_is_allowed_under_the_content_security_policy(files):
    assert "<html" not in files.html and "<body" not in files.html
    assert "style=" not in files.html and "<style" not in files.html
    assert "<script" not in files.html
    # Every chart is an image with a name, next to its data table.
    assert files.html.count('role="img" aria-label="') == files.html.count("<svg")
