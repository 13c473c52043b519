"""The A4 poster of a digisnap: hung in the staff room, scanned or typed by teachers."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from digisnap.core.pdf import pdf_document
from digisnap.core.qr import qr_svg
from digisnap.schools.models import Digisnap


def _length_class(text: str, *, long: int, very_long: int) -> str:
    """Smaller type for long names, so the poster stays one page for any name the form allows."""
    if len(text) > very_long:
        return "very-long"
    return "long" if len(text) > long else ""


def digisnap_poster_context(*, digisnap: Digisnap) -> dict:
    join_url = digisnap.get_join_url()
    # Where to type the code, as people type it: no scheme, no trailing slash.
    type_url = settings.SITE_URL + reverse("questionnaires:join_by_code")
    address = urlsplit(type_url)
    svg = qr_svg(join_url)
    return {
        "digisnap": digisnap,
        "school_name": digisnap.institution.name,
        "school_length": _length_class(digisnap.institution.name, long=50, very_long=100),
        "title_length": _length_class(digisnap.name, long=40, very_long=90),
        "join_url": join_url,
        "type_address": (address.netloc + address.path).rstrip("/"),
        "qr_data_uri": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
    }


def digisnap_poster_html(*, digisnap: Digisnap) -> str:
    """The poster's HTML in the active language (what the PDF is made from)."""
    return render_to_string("schools/poster.html", digisnap_poster_context(digisnap=digisnap))


def digisnap_poster_pdf(*, digisnap: Digisnap) -> bytes:
    """One A4 page: school, digisnap, a large QR code of the join link, the code to type and
    three lines of instructions, in the active language."""
    html = digisnap_poster_html(digisnap=digisnap)
    return pdf_document(html=html, base_url=settings.SITE_URL + "/").write_pdf()
