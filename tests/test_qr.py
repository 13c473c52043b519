"""QR codes of links: PNG for e-mail, SVG for print; both read back to the same URL."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from digisnap.core.qr import QUIET_ZONE, qr_png, qr_svg

URLS = [
    "http://127.0.0.1:8000/join/Digisnap_88Xf2y/",
    "https://digisnap.example/doe-mee/?code=ABCD&naam=Sint-Jan%20%26%20Co#x",
]
RECT = re.compile(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z")


def decode(image: Image.Image) -> list[tuple[str, str]]:
    return [(code.text, code.ec_level) for code in zxingcpp.read_barcodes(image.convert("L"))]


def svg_image(svg: str, *, scale: int = 8) -> Image.Image:
    """Draw the SVG's modules (qrcode's path of unit squares) as a bitmap."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, right, bottom in (map(int, match) for match in RECT.findall(svg)):
        draw.rectangle([x * scale, y * scale, right * scale - 1, bottom * scale - 1], fill=0)
    return image


@pytest.mark.parametrize("url", URLS)
def test_the_png_reads_back_as_the_url_with_error_correction_m(url):
    image = Image.open(io.BytesIO(qr_png(url)))
    assert image.format == "PNG"
    assert decode(image) == [(url, "M")]


@pytest.mark.parametrize("url", URLS)
def test_the_svg_reads_back_as_the_url(url):
    svg = qr_svg(url)
    assert svg.startswith("<svg") and 'fill="white"' in svg
    assert decode(svg_image(svg)) == [(url, "M")]


def test_both_have_a_quiet_zone_of_four_modules():
    svg = qr_svg(URLS[0])
    modules = [tuple(map(int, match)) for match in RECT.findall(svg)]
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    assert min(x for x, *_ in modules) == min(y for _x, y, *_ in modules) == QUIET_ZONE == 4
    assert max(right for *_, right, _b in modules) == size - QUIET_ZONE
    image = Image.open(io.BytesIO(qr_png(URLS[0]))).convert("L")
    border = QUIET_ZONE * 10  # 10 pixels a module
    assert image.crop((0, 0, image.width, border)).getextrema() == (255, 255)
    assert image.crop((0, 0, border, image.height)).getextrema() == (255, 255)


def test_an_empty_url_is_refused():
    with pytest.raises(ValueError):
        qr_png("")
