"""The result PDF in production shape: collected static files under hashed names still style it."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.utils import translation

from digisnap.questionnaires.rendering import PdfResourceMissing, result_pdf_document

BASE_URL = "http://testserver/"
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
BRAND_COLOUR = (0, 0x44, 0x6B)  # .brand-print in print.css


@pytest.fixture
def production_static(settings, tmp_path):
    """DEBUG off, static files collected into a fresh STATIC_ROOT by the manifest storage."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def boxes(document):
    """Every laid-out box of every page."""
    for page in document.pages:
        yield from page._page_box.descendants()


def box_with_class(document, css_class: str):
    for box in boxes(document):
        element = box.element
        if element is not None and css_class in (element.get("class") or "").split():
            return box
    raise AssertionError(f"no box with class {css_class!r} in the PDF")


def rgb(colour) -> tuple[int, int, int]:
    red, green, blue = (round(channel * 255) for channel in colour.to("srgb").coordinates)
    return red, green, blue


def render(response):
    with translation.override("nl"):
        return result_pdf_document(response=response, base_url=BASE_URL)


def test_the_production_pdf_is_set_in_the_stylesheets_colours_and_fonts(
    production_static, submitted
):
    hashed = staticfiles_storage.url("digisnap/print.css")
    assert hashed != "/static/digisnap/print.css"  # the links carry the hashed names

    document = render(submitted)

    brand = box_with_class(document, "brand-print")
    assert rgb(brand.style["color"]) == BRAND_COLOUR
    assert brand.style["font_family"][0] == "system-ui"
    legend = box_with_class(document, "legend")
    assert legend.style["list_style_type"] == "none"


def test_the_production_pdf_has_as_many_pages_as_the_development_one(settings, tmp_path, submitted):
    development_pages = len(render(submitted).pages)
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    call_command("collectstatic", interactive=False, verbosity=0)

    assert len(render(submitted).pages) == development_pages


def test_a_stylesheet_that_cannot_be_read_stops_the_pdf(production_static, submitted):
    (production_static / staticfiles_storage.stored_name("digisnap/print.css")).unlink()

    with pytest.raises(PdfResourceMissing, match="print"):
        render(submitted)
