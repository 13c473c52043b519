"""The A4 poster of a digisnap: one page, the school, the digisnap, the code and a QR code of the
join link, in the active language; names are text, never markup."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess

import pypdf
import pytest
import zxingcpp
from django.utils import translation
from PIL import Image

from digisnap.core.pdf import PdfResourceMissing
from digisnap.schools import posters
from digisnap.schools.posters import digisnap_poster_html, digisnap_poster_pdf
from digisnap.schools.services import digisnap_create
from tests.test_qr import svg_image

HOSTILE = "<img src=x onerror=\"alert(1)\"> Sint-Jan & 'Co'"
A4_POINTS = (595, 842)


def pdf_text(pdf: bytes) -> tuple[int, str, tuple[int, int]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split()), (round(box.width), round(box.height))


@pytest.mark.django_db
def test_the_poster_is_one_a4_page_with_school_digisnap_code_and_instructions(digisnap):
    with translation.override("en"):
        pages, text, size = pdf_text(digisnap_poster_pdf(digisnap=digisnap))
    assert (pages, size) == (1, A4_POINTS)
    assert "Testschool" in text
    assert "Testschool studiedag" in text
    assert digisnap.code in text
    assert "Scan the QR code with your smartphone" in text
    assert "or go to 127.0.0.1:8000/join and type the code" in text
    assert "Fill in the questionnaire: your answers are saved at once" in text


@pytest.mark.django_db
def test_the_poster_is_in_the_active_language(digisnap):
    with translation.override("nl"):
        html = digisnap_poster_html(digisnap=digisnap)
    assert '<html lang="nl">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("length", [30, 60, 120, 200])
def test_names_as_long_as_the_form_allows_still_fit_on_one_page(institution, length):
    """Wide letters, long words: the worst the name fields (200 characters) can hold."""
    institution.name = ("WWW Gemeentelijke Basisschool " * 10)[:length]
    institution.save()
    digisnap = digisnap_create(institution=institution, name="M" * length)
    pages, text, _size = pdf_text(digisnap_poster_pdf(digisnap=digisnap))
    assert pages == 1
    assert digisnap.code in text


@pytest.mark.django_db
def test_hostile_names_are_shown_as_text_not_markup(institution):
    institution.name = HOSTILE
    institution.save()
    digisnap = digisnap_create(institution=institution, name=f"{HOSTILE} studiedag")
    html = digisnap_poster_html(digisnap=digisnap)
    assert HOSTILE not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Sint-Jan &amp; &#x27;Co&#x27;" in html
    assert "onerror=" not in html.replace("onerror=&quot;", "")
    _pages, text, _size = pdf_text(digisnap_poster_pdf(digisnap=digisnap))
    assert HOSTILE in text
    assert f"{HOSTILE} studiedag" in text


def embedded_qr_svg(html: str) -> str:
    [data] = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    return base64.b64decode(data).decode()


@pytest.mark.django_db
def test_the_qr_code_on_the_poster_reads_back_as_the_join_link(digisnap):
    svg = embedded_qr_svg(digisnap_poster_html(digisnap=digisnap))
    codes = zxingcpp.read_barcodes(svg_image(svg))
    assert [code.text for code in codes] == [digisnap.get_join_url()]


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler) is not installed")
def test_the_printed_qr_code_reads_back_as_the_join_link(digisnap, tmp_path):
    """The page as a printer would put it on paper, at a modest 100 dpi."""
    (tmp_path / "poster.pdf").write_bytes(digisnap_poster_pdf(digisnap=digisnap))
    subprocess.run(  # noqa: S603 - fixed arguments, a file of this test
        ["pdftoppm", "-r", "100", "-png", "-singlefile", "poster.pdf", "poster"],  # noqa: S607
        cwd=tmp_path,
        check=True,
    )
    page = Image.open(tmp_path / "poster.png").convert("L")
    assert [code.text for code in zxingcpp.read_barcodes(page)] == [digisnap.get_join_url()]


@pytest.mark.django_db
def test_a_missing_stylesheet_stops_the_poster(digisnap, monkeypatch):
    monkeypatch.setattr("digisnap.core.pdf._static_file", lambda name: None)
    with pytest.raises(PdfResourceMissing, match="poster.css"):
        digisnap_poster_pdf(digisnap=digisnap)
    assert posters  # the module under test
