"""QR codes of links, for e-mails (PNG) and printed posters (SVG, sharp at any size)."""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.pil import PilImage
from qrcode.image.svg import SvgPathFillImage

# The quiet zone around the code that readers need, in modules (4 is the standard's minimum).
QUIET_ZONE = 4


def _code(url: str) -> qrcode.QRCode:
    if not url:
        raise ValueError("A QR code needs a URL.")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=10)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str) -> bytes:
    """The URL as a black-on-white PNG, 10 pixels a module, with its quiet zone."""
    buffer = io.BytesIO()
    _code(url).make_image(image_factory=PilImage).save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    """The URL as a standalone SVG document (one path, white background, quiet zone included),
    sized by its viewBox so the stylesheet decides how large it prints."""
    image = _code(url).make_image(image_factory=SvgPathFillImage)
    return image.to_string(encoding="unicode")
