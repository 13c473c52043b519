"""Security headers on every page, and templates that need no inline script or style."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import answer_all

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "digisnap"]
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=")


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_every_page_forbids_inline_script_and_style_and_foreign_sources(anonymous_client, db):
    policy = directives(anonymous_client.get("/").headers["Content-Security-Policy"])

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/admin/login/"])
def test_every_page_turns_off_browser_features_it_does_not_use(anonymous_client, db, path):
    response = anonymous_client.get(path)

    features = dict(
        feature.strip().split("=", 1)
        for feature in response.headers["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_result_page_shows_the_rose_and_legend_without_inline_style(teacher_client, draft):
    from digisnap.questionnaires.services import response_submit

    answer_all(draft, level=4)
    response = response_submit(response=draft)

    html = teacher_client.get(f"/resultaat/{response.pk}/").content.decode()

    assert not INLINE_STYLE.search(html)
    assert not INLINE_SCRIPT.search(html)
    assert f'<img src="/resultaat/{response.pk}/roos.svg"' in html  # same origin: img-src 'self'
    rose = teacher_client.get(f"/resultaat/{response.pk}/roos.svg").content.decode()
    assert not INLINE_STYLE.search(rose) and "<style" not in rose
    assert 'fill="#0072b2"' in rose  # area 1's petals keep their colour, as an attribute
    legend = html.split('class="legend', 1)[1].split("</ul>", 1)[0]
    assert legend.count('<svg class="swatch"') == 6
    assert 'fill="#0072B2"' in legend


def test_the_questionnaire_page_loads_its_script_from_a_file(teacher_client, draft):
    html = teacher_client.get(f"/vragenlijst/{draft.pk}/deel/1/").content.decode()

    assert "digisnap/autosave.js" in html
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)


def test_no_template_of_ours_has_inline_script_or_style():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for base in TEMPLATE_DIRS
        for path in sorted(base.rglob("templates/**/*.html"))
        for pattern in (INLINE_SCRIPT, INLINE_STYLE)
        for match in pattern.finditer(path.read_text())
    ]
    assert offenders == []
