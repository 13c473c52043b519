"""PDFs parse each stylesheet once per process and content, and style exactly as the links do."""

import pytest

from digisnap.core import pdf

PAGE = (
    '<html><head><link rel="stylesheet" href="/static/digisnap/a.css">'
    '<link rel="stylesheet" href="/static/digisnap/b.css"></head>'
    '<body><p class="x">Hallo</p></body></html>'
)


@pytest.fixture
def sheets(monkeypatch):
    """Two stylesheets served from memory, and a count of how often each is parsed."""
    files = {
        "digisnap/a.css": b"@page { size: A5; } .x { color: red; }",
        "digisnap/b.css": b".x { color: blue; }",
    }
    parsed = []
    real_css = pdf.CSS

    def counting_css(**kwargs):
        parsed.append(kwargs["base_url"])
        return real_css(**kwargs)

    monkeypatch.setattr(pdf, "_static_file", files.get)
    monkeypatch.setattr(pdf, "CSS", counting_css)
    monkeypatch.setattr(pdf, "_PARSED", {})
    return files, parsed


def page_size_mm(document):
    page = document.pages[0]
    return round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)


def colour_of_text(document):
    box = document.pages[0]._page_box
    while box.children:
        box = box.children[0]
    return tuple(box.style["color"])


def test_a_stylesheet_is_parsed_once_and_applies_in_link_order(sheets):
    _files, parsed = sheets
    first = pdf.pdf_document(html=PAGE, base_url="http://testserver/")
    second = pdf.pdf_document(html=PAGE, base_url="http://testserver/")
    assert len(parsed) == 2  # a.css and b.css, for both documents
    for document in (first, second):
        assert page_size_mm(document) == (148, 210)  # A5 from a.css
        assert colour_of_text(document)[:3] == (0, 0, 1)  # b.css comes after a.css


def test_an_edited_stylesheet_is_parsed_again(sheets):
    files, parsed = sheets
    pdf.pdf_document(html=PAGE, base_url="http://testserver/")
    files["digisnap/a.css"] = b"@page { size: A4; }"
    document = pdf.pdf_document(html=PAGE, base_url="http://testserver/")
    assert len(parsed) == 3
    assert page_size_mm(document) == (210, 297)


def test_a_missing_stylesheet_still_refuses_the_pdf(sheets):
    files, _parsed = sheets
    del files["digisnap/b.css"]
    with pytest.raises(pdf.PdfResourceMissing, match="b.css"):
        pdf.pdf_document(html=PAGE, base_url="http://testserver/")


def test_a_document_with_another_kind_of_link_is_read_as_it_is(sheets):
    _files, parsed = sheets
    html = PAGE.replace(
        'href="/static/digisnap/b.css"', 'href="/static/digisnap/b.css" media="print"'
    )
    document = pdf.pdf_document(html=html, base_url="http://testserver/")
    assert parsed == []  # WeasyPrint reads both links itself
    assert colour_of_text(document)[:3] == (0, 0, 1)
