"""The UI speaks Dutch by default: every message has a Dutch translation, compiled and current."""

import gettext
import re
from pathlib import Path

from django.test import Client
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "digisnap" / "locale"
PO = LOCALE / "nl" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "nl" / "LC_MESSAGES" / "django.mo"


def _po_entries(text: str) -> list[dict]:
    """Minimal reader for the entries makemessages writes (msgctxt, msgid, plural, msgstr)."""
    entries, current, key = [], {}, None
    for line in text.splitlines() + [""]:
        if not line.strip():
            if current.get("msgid"):
                entries.append(current)
            current, key = {}, None
            continue
        if line.startswith("#,"):
            current["flags"] = line
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            key = match.group(1)
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
    return entries


def test_every_dutch_message_is_translated_and_not_fuzzy():
    entries = _po_entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 100
    untranslated = [
        e["msgid"]
        for e in entries
        if not (e.get("msgstr") or e.get("msgstr[0]"))
        or ("msgid_plural" in e and not e.get("msgstr[1]"))
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_holds_every_translation():
    catalogue = gettext.GNUTranslations(MO.open("rb"))
    entries = [
        e
        for e in _po_entries(PO.read_text(encoding="utf-8"))
        if "msgid_plural" not in e and "msgctxt" not in e
    ]
    stale = [
        e["msgid"]
        for e in entries
        if catalogue.gettext(e["msgid"].encode().decode("unicode_escape")) == e["msgid"]
        and e["msgstr"] != e["msgid"]
    ]
    assert stale == [], "run `make messages` (compilemessages) after editing the .po file"


def test_pages_speak_dutch_by_default_and_english_on_request(db):
    dutch = Client().get("/")
    assert dutch.headers["Content-Language"] == "nl"
    assert "Aanmelden" in dutch.content.decode()
    english = Client(headers={"Accept-Language": "en"}).get("/")
    assert english.headers["Content-Language"] == "en"
    assert "Sign in" in english.content.decode()


def test_band_labels_are_translated():
    from digisnap.core.levels import Band

    with translation.override("nl"):
        assert [str(b.label) for b in Band] == ["beginner", "gebruiker", "expert"]
