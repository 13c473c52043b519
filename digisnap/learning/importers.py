"""Reading a training catalogue (CSV, JSON, schema.org JSON-LD, or the HTTP feed) into checked rows.

Every format is first mapped to the same raw fields, then one validator checks them, so a rule
(levels, urls, codes…) reads the same whatever the file was. Nothing here writes to the database.
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import io
import json
import re
import reprlib
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from digisnap.core.levels import LEVEL_BY_LABEL as _LEVELS
from digisnap.core.levels import Level
from digisnap.learning.models import MAX_COST_EUR, MAX_DURATION_MINUTES, CatalogueImport, Training

FIELDS = (
    "external_id",
    "title",
    "provider",
    "url",
    "description",
    "competences",
    "level_from",
    "level_to",
    "format",
    "duration_minutes",
    "language",
    "cost_eur",
)
OPTIONAL_FIELDS = frozenset({"description", "duration_minutes", "cost_eur"})
MAX_LENGTHS = {"external_id": 120, "title": 300, "provider": 200, "url": 500}
MAX_SOURCE_LENGTH = 60
MAX_SHOWN = 80  # characters of a wrong value quoted back in a message
FILE_ROW = 0  # errors about the file as a whole, not one of its rows
USER_AGENT = "Digisnap catalogue import"

_FORMATS = {value for value, _label in Training.Format.choices}
_LANGUAGES = {value for value, _label in Training.Language.choices}
_URL = URLValidator(schemes=["http", "https"])
# PostgreSQL cannot store NUL in text, and no database stores a lone UTF-16 surrogate.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother = 2, MAX_SHOWN, MAX_SHOWN
# A JSON file (and so the feed) may say whose catalogue it is; CSV and JSON-LD cannot.
KINDS_NAMING_THEIR_SOURCE = frozenset({CatalogueImport.Kind.JSON, CatalogueImport.Kind.FEED})


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class TrainingRow:
    """One checked training, in the units the model stores (levels as numbers, cost in euro)."""

    row: int
    external_id: str
    title: str
    provider: str
    url: str
    description: str
    competences: frozenset[str]
    level_from: int
    level_to: int
    format: str
    duration_minutes: int | None
    language: str
    cost_eur: Decimal | None


@dataclass
class Catalogue:
    """What a file holds: checked rows, or the problems that refuse it."""

    kind: str
    source: str = ""
    sample: bool = False
    rows: list[TrainingRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def refused_rows(self) -> int:
        return len({error.row for error in self.errors if error.row != FILE_ROW})


@dataclass
class RawRow:
    """A row mapped to the common field names, before checking.

    `labels` names each field as the file spells it (JSON-LD: `teaches` for competences), so a
    problem points at what the provider wrote. Fields in `errors` already failed while mapping.
    """

    row: int
    values: dict[str, Any]
    labels: dict[str, str] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def label(self, name: str) -> str:
        return self.labels.get(name, name)


class CatalogueFileError(Exception):
    """The file as a whole cannot be read (not UTF-8, not JSON, no header…)."""


class FeedError(Exception):
    """The feed could not be fetched; the reason is meant for the import log."""


# --- the rules of an import as a whole, checked by the form, the command and the import itself --


def check_import_size(size: int) -> None:
    """An import holds at most TRAINING_FEED_MAX_BYTES bytes, whether uploaded, read by the
    command or fetched (the feed is also cut off while it downloads)."""
    limit = settings.TRAINING_FEED_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is larger than %(size)s bytes (TRAINING_FEED_MAX_BYTES).")
            % {"size": limit},
            code="too_large",
        )


def settle_source(*, kind: str, given: str, named: str | None = None) -> str:
    """The source an import files its trainings under: the one given, else the one the file names.

    `named` is None before the file is read (the form and the command check what they can);
    after reading it is what the file names, "" for none. A CSV or JSON-LD file never names one.
    """
    given = given.strip()
    if not given and kind not in KINDS_NAMING_THEIR_SOURCE:
        raise ValidationError(
            _("A CSV or JSON-LD file names no source; give one (e.g. KlasCement)."),
            code="required",
        )
    if named is not None and given and named and given != named:
        raise ValidationError(
            _(
                "The file is the catalogue of «%(named)s», but the import was started for "
                "«%(given)s». Leave the source empty or give the same one."
            )
            % {"named": _shown(named), "given": _shown(given)},
            code="mismatch",
        )
    if named is not None and not (given or named):
        raise ValidationError(
            _("Give a source (for example KlasCement): this file names none."), code="required"
        )
    source = given or named or ""
    if len(source) > MAX_SOURCE_LENGTH:
        raise ValidationError(_("The source name is longer than 60 characters."), code="max_length")
    _check_storable(source)
    return source


# --- detection ----------------------------------------------------------------------------------


def detect_kind(name: str, payload: bytes) -> str | None:
    """csv, json or jsonld from the file name, else from the content; None when it cannot tell."""
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return CatalogueImport.Kind.CSV
    if lowered.endswith(".jsonld"):
        return CatalogueImport.Kind.JSONLD
    start = payload.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"["):
        try:
            data = json.loads(payload.decode("utf-8-sig"))
        except (ValueError, RecursionError):  # ValueError: not UTF-8, not JSON, a huge number
            return CatalogueImport.Kind.JSON  # reading it will report the exact problem
        return (
            CatalogueImport.Kind.JSONLD if _looks_like_jsonld(data) else CatalogueImport.Kind.JSON
        )
    if lowered.endswith(".json"):
        return CatalogueImport.Kind.JSON
    return CatalogueImport.Kind.CSV if b"," in payload.split(b"\n", 1)[0] else None


def _looks_like_jsonld(data: Any) -> bool:
    keys = {"@context", "@type", "@graph"}
    if isinstance(data, dict):
        return bool(keys & data.keys())
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return bool(keys & data[0].keys())
    return False


# --- reading --------------------------------------------------------------------------------------


def read_catalogue(payload: bytes, *, kind: str, competence_codes: Iterable[str]) -> Catalogue:
    """Parse and check a catalogue file. JSON that carries @context/@type/@graph is read as JSON-LD.

    `kind` is csv, json or jsonld (a feed is json). Problems come back in `Catalogue.errors`;
    this function does not raise for bad content.
    """
    catalogue = Catalogue(kind=kind)
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        catalogue.errors.append(
            RowError(FILE_ROW, "", _("The file is not UTF-8 text. Save it as UTF-8 and try again."))
        )
        return catalogue
    try:
        if kind == CatalogueImport.Kind.CSV:
            raw_rows = _csv_rows(text)
        else:
            data = _json(text)
            if kind == CatalogueImport.Kind.JSONLD or _looks_like_jsonld(data):
                catalogue.kind = CatalogueImport.Kind.JSONLD
                raw_rows = _jsonld_rows(data)
            else:
                catalogue.kind = CatalogueImport.Kind.JSON
                raw_rows, catalogue.source, catalogue.sample = _json_rows(data)
        if not raw_rows:
            raise CatalogueFileError(
                _(
                    "The file holds no trainings, so nothing was changed. To withdraw a whole "
                    "source, deactivate its trainings on the catalogue page."
                )
            )
        catalogue.rows, catalogue.errors = validate_rows(
            raw_rows, competence_codes=competence_codes
        )
    except CatalogueFileError as exc:
        catalogue.errors.append(RowError(FILE_ROW, "", str(exc)))
    except RecursionError:  # a value nested deeper than any training needs
        catalogue.rows = []
        catalogue.errors = [RowError(FILE_ROW, "", _("The file nests its data too deeply."))]
    return catalogue


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueFileError(
            _("The file is not valid JSON (line %(line)s, column %(column)s: %(reason)s).")
            % {"line": exc.lineno, "column": exc.colno, "reason": exc.msg}
        ) from None
    except ValueError:  # Python refuses to read an integer of thousands of digits
        raise CatalogueFileError(_("The file holds a number too large to read.")) from None


def _csv_rows(text: str) -> list[RawRow]:
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].strip():
        raise CatalogueFileError(_("The CSV file has no header row."))
    header_line = lines[0]
    delimiter = ";" if ";" in header_line and "," not in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as exc:
        raise CatalogueFileError(
            _("The CSV header cannot be read: %(reason)s") % {"reason": exc}
        ) from None
    missing = [name for name in FIELDS if name not in OPTIONAL_FIELDS and name not in header]
    if missing:
        raise CatalogueFileError(
            _("The CSV header lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows: list[RawRow] = []
    previous_end = reader.line_num
    while True:
        start = previous_end + 1  # a quoted cell may span lines: report where the record starts
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CatalogueFileError(
                _("Line %(line)s cannot be read as CSV: %(reason)s")
                % {"line": start, "reason": exc}
            ) from None
        previous_end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        row = RawRow(row=start, values={})
        if len(cells) > len(header):
            row.errors.append(
                RowError(
                    start,
                    "",
                    _("The line has %(cells)s cells but the header has %(columns)s columns.")
                    % {"cells": len(cells), "columns": len(header)},
                )
            )
        for name, cell in zip(header, cells, strict=False):
            if name in FIELDS:
                row.values[name] = cell
        if "competences" in row.values:
            row.values["competences"] = _split_codes(row.values["competences"])
        rows.append(row)
    return rows


def _split_codes(value: str) -> list[str]:
    return [code for code in re.split(r"[;,\s]+", value) if code]


def _json_rows(data: Any) -> tuple[list[RawRow], str, bool]:
    source, sample = "", False
    if isinstance(data, dict):
        if "trainings" not in data:
            raise CatalogueFileError(
                _('The JSON file needs a "trainings" list (or is a list of trainings itself).')
            )
        file_source = data.get("source", "")
        if not isinstance(file_source, str):
            raise CatalogueFileError(_('"source" must be text.'))
        file_sample = data.get("sample", False)
        if not isinstance(file_sample, bool):
            raise CatalogueFileError(_('"sample" must be true or false.'))
        source, sample, data = file_source.strip(), file_sample, data["trainings"]
    if not isinstance(data, list):
        raise CatalogueFileError(_('"trainings" must be a list.'))
    rows = []
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            rows.append(
                RawRow(
                    position,
                    {},
                    errors=[RowError(position, "", _("Each training must be a JSON object."))],
                )
            )
            continue
        values = {name: item[name] for name in FIELDS if name in item}
        if isinstance(values.get("competences"), str):
            values["competences"] = _split_codes(values["competences"])
        rows.append(RawRow(position, values))
    return rows, source, sample


# --- schema.org JSON-LD -------------------------------------------------------------------------

JSONLD_LABELS = {
    "external_id": "@id",
    "title": "name",
    "provider": "provider",
    "url": "url",
    "description": "description",
    "competences": "teaches",
    "level_from": "educationalLevel",
    "level_to": "educationalLevel",
    "format": "hasCourseInstance.courseMode",
    "duration_minutes": "courseWorkload",
    "language": "inLanguage",
    "cost_eur": "offers.price",
}
_COURSE_MODES = {
    "online": "online",
    "mooc": "online",
    "onsite": "on_site",
    "inperson": "on_site",
    "blended": "blended",
    "mixed": "blended",
    "hybrid": "blended",
    "selfpaced": "self_study",
    "selfstudy": "self_study",
}
_DURATION = re.compile(
    r"^P(?!$)(?:(?P<W>\d+(?:[.,]\d+)?)W)?(?:(?P<D>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?=\d)(?:(?P<H>\d+(?:[.,]\d+)?)H)?(?:(?P<M>\d+(?:[.,]\d+)?)M)?(?:(?P<S>\d+(?:[.,]\d+)?)S)?)?$",
    re.ASCII,
)
# A training day is a working day of 8 hours, a week five of those.
_MINUTES = {"W": 5 * 8 * 60, "D": 8 * 60, "H": 60, "M": 1, "S": Decimal(1) / 60}
_COMPETENCE_CODE = re.compile(r"^\s*(?:DigCompEdu\s*)?(\d+\.\d+)\s*$", re.IGNORECASE)


def _jsonld_rows(data: Any) -> list[RawRow]:
    if isinstance(data, dict) and "@graph" in data:
        nodes = data["@graph"]
    elif isinstance(data, dict):
        nodes = [data]
    else:
        nodes = data
    if not isinstance(nodes, list):
        raise CatalogueFileError(_('"@graph" must be a list.'))
    by_id = {
        node["@id"]: node
        for node in nodes
        if isinstance(node, dict) and isinstance(node.get("@id"), str)
    }
    rows = []
    for position, node in enumerate(nodes, start=1):
        if not isinstance(node, dict):
            rows.append(
                RawRow(
                    position, {}, errors=[RowError(position, "", _("Expected a JSON-LD object."))]
                )
            )
            continue
        types = _types(node)
        if "Course" in types:
            rows.append(_course_row(position, node, by_id))
        elif not types:
            rows.append(
                RawRow(
                    position,
                    {},
                    errors=[
                        RowError(position, "@type", _("Expected a schema.org Course (no @type)."))
                    ],
                )
            )
        # Other typed nodes (Organization, DefinedTermSet…) are what courses refer to.
    return rows


def _types(node: dict) -> set[str]:
    raw = node.get("@type", [])
    names = raw if isinstance(raw, list) else [raw]
    return {str(name).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for name in names}


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> Any:
    """A plain value from a JSON-LD value: first of a list, @value of a value object."""
    for item in _as_list(value):
        if isinstance(item, dict) and "@value" in item:
            return item["@value"]
        return item
    return None


def _resolve(value: Any, by_id: dict[str, dict]) -> Any:
    if isinstance(value, dict) and set(value) == {"@id"} and isinstance(value["@id"], str):
        return by_id.get(value["@id"], value)
    return value


def _course_row(position: int, node: dict, by_id: dict[str, dict]) -> RawRow:
    row = RawRow(position, {}, labels=dict(JSONLD_LABELS))
    values = row.values

    external_id = node.get("@id")
    if not external_id or str(external_id).startswith("_:"):  # a blank node id is not stable
        identifier = _resolve(_text(node.get("identifier")), by_id)
        if isinstance(identifier, dict):
            identifier = identifier.get("value")
        external_id = identifier
        if identifier not in (None, ""):
            row.labels["external_id"] = "identifier"
    if external_id not in (None, ""):
        values["external_id"] = external_id
    for name, key in (("title", "name"), ("url", "url"), ("description", "description")):
        if node.get(key) is not None:
            values[name] = _text(node[key])

    provider = _resolve(_text(node.get("provider")), by_id)
    if isinstance(provider, dict):
        provider = _text(provider.get("name"))
    if provider is not None:
        values["provider"] = provider

    values["competences"] = _teaches(node.get("teaches"), by_id)
    _levels(row, node.get("educationalLevel"), by_id)

    language = _resolve(_text(node.get("inLanguage")), by_id)
    if isinstance(language, dict):
        language = language.get("alternateName") or language.get("identifier")
    if language is not None:
        values["language"] = language

    instances = [_resolve(instance, by_id) for instance in _as_list(node.get("hasCourseInstance"))]
    instances = [instance for instance in instances if isinstance(instance, dict)]
    _course_mode(row, node, instances)
    _workload(row, node, instances)
    _offer(row, node, instances, by_id)
    return row


def _teaches(value: Any, by_id: dict[str, dict]) -> list[str]:
    codes = []
    for item in _as_list(value):
        item = _resolve(item, by_id)
        if isinstance(item, dict):
            item = item.get("termCode") or item.get("codeValue") or _text(item.get("name")) or ""
        text = str(item)
        match = _COMPETENCE_CODE.match(text)
        codes.append(match.group(1) if match else text.strip())
    return codes


def _levels(row: RawRow, value: Any, by_id: dict[str, dict]) -> None:
    if value in (None, "", []):
        return
    tokens = []
    for item in _as_list(value):
        item = _resolve(item, by_id)
        if isinstance(item, dict):
            item = item.get("termCode") or item.get("codeValue") or _text(item.get("name")) or ""
        tokens += [token for token in re.split(r"\s*(?:[-–—/,;]|\s)\s*", str(item)) if token]
    unknown = [token for token in tokens if token.upper() not in _LEVELS]
    if unknown or not tokens:
        row.errors.append(
            RowError(
                row.row,
                "educationalLevel",
                _("«%(value)s» is not a level; use A1, A2, B1, B2, C1 or C2 (a band: A2-B1).")
                % {"value": _shown(", ".join(unknown) or value)},
            )
        )
        return
    levels = sorted(_LEVELS[token.upper()] for token in tokens)
    row.values["level_from"] = Level(levels[0]).label
    row.values["level_to"] = Level(levels[-1]).label


def _course_mode(row: RawRow, node: dict, instances: list[dict]) -> None:
    """The first recognised mode wins; modes that are no format (full-time…) are skipped."""
    written = [
        str(mode)
        for holder in [node, *instances]
        for mode in _as_list(holder.get("courseMode"))
        if mode
    ]
    for mode in written:
        key = re.sub(r"[^a-z]", "", mode.rsplit("/", 1)[-1].lower())
        if key in _COURSE_MODES:
            row.values["format"] = _COURSE_MODES[key]
            return
    if written:
        row.values["format"] = written[0]


def _workload(row: RawRow, node: dict, instances: list[dict]) -> None:
    for holder in [node, *instances]:
        for key in ("courseWorkload", "timeRequired"):
            value = _text(holder.get(key))
            if value in (None, ""):
                continue
            row.labels["duration_minutes"] = key
            minutes = iso_duration_minutes(str(value))
            if minutes is None:
                row.errors.append(
                    RowError(
                        row.row,
                        key,
                        _(
                            "«%(value)s» is not an ISO 8601 duration in weeks, days, hours or "
                            "minutes, such as PT2H30M."
                        )
                        % {"value": _shown(value)},
                    )
                )
            else:
                row.values["duration_minutes"] = minutes
            return


def iso_duration_minutes(value: str) -> int | None:
    """Minutes in an ISO 8601 duration: a day counts 8 hours, a week 5 days. Months/years: None."""
    match = _DURATION.fullmatch(value.strip().upper())
    if not match:
        return None
    total = sum(
        Decimal(amount.replace(",", ".")) * _MINUTES[unit]
        for unit, amount in match.groupdict().items()
        if amount
    )
    return int(total.to_integral_value(rounding=ROUND_HALF_UP))


def _offer(row: RawRow, node: dict, instances: list[dict], by_id: dict[str, dict]) -> None:
    for holder in [node, *instances]:
        offer = _resolve(_text(holder.get("offers")), by_id)
        if not isinstance(offer, dict):
            continue
        currency = _text(offer.get("priceCurrency"))
        if currency not in (None, "") and str(currency).upper() != "EUR":
            row.errors.append(
                RowError(
                    row.row,
                    "offers.priceCurrency",
                    _("Prices must be in euro (EUR), not %(currency)s.")
                    % {"currency": _shown(currency)},
                )
            )
            return
        price = _text(offer.get("price"))
        if price not in (None, ""):
            row.values["cost_eur"] = price
        return


# --- checking -------------------------------------------------------------------------------------


def validate_rows(
    raw_rows: list[RawRow], *, competence_codes: Iterable[str]
) -> tuple[list[TrainingRow], list[RowError]]:
    """Check every row; a row with any problem is left out of the result and reported."""
    known_codes = set(competence_codes)
    rows: list[TrainingRow] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    for raw in raw_rows:
        row_errors = list(raw.errors)
        checked = _check_row(raw, known_codes, row_errors)
        external_id = checked.get("external_id")
        if external_id:
            if external_id in first_row_of:
                row_errors.append(
                    RowError(
                        raw.row,
                        raw.label("external_id"),
                        _("Duplicate id «%(id)s»: row %(row)s has it too.")
                        % {"id": external_id, "row": first_row_of[external_id]},
                    )
                )
            else:
                first_row_of[external_id] = raw.row
        if row_errors:
            errors += row_errors
        else:
            rows.append(TrainingRow(row=raw.row, **checked))
    return rows, errors


def _check_row(raw: RawRow, known_codes: set[str], errors: list[RowError]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    if raw.errors and not raw.values:  # not a training at all: its fields mean nothing
        return checked
    mapped = {error.field for error in raw.errors}

    def problem(name: str, message: str) -> None:
        error = RowError(raw.row, raw.label(name), message)
        if error not in errors:  # JSON-LD gives both levels from one field
            errors.append(error)

    for name in FIELDS:
        label = raw.label(name)
        if label in mapped:
            continue
        value = raw.values.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            if name in OPTIONAL_FIELDS:
                checked[name] = "" if name == "description" else None
            else:
                problem(name, _("This field is required."))
            continue
        try:
            checked[name] = _CHECKS[name](value, known_codes)
        except ValidationError as exc:
            problem(name, exc.messages[0])
    if (
        "level_from" in checked
        and "level_to" in checked
        and checked["level_from"] > checked["level_to"]
    ):
        problem(
            "level_to",
            _("The band runs backwards: %(to)s is below the start level %(from)s.")
            % {"to": Level(checked["level_to"]).label, "from": Level(checked["level_from"]).label},
        )
    return checked


def _check_text(name: str):
    def check(value: Any, _codes: set[str]) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError(_("Must be text."))
        text = str(value).strip()
        limit = MAX_LENGTHS.get(name)
        if limit and len(text) > limit:
            raise ValidationError(
                _("Too long: at most %(limit)s characters, this has %(length)s.")
                % {"limit": limit, "length": len(text)}
            )
        _check_storable(text)
        return text

    return check


def _check_url(value: Any, codes: set[str]) -> str:
    url = _check_text("url")(value, codes)
    try:
        _URL(url)
    except ValidationError:
        raise ValidationError(
            _("«%(url)s» is not a web address starting with http:// or https://.")
            % {"url": _shown(url)}
        ) from None
    return url


def _check_competences(value: Any, known_codes: set[str]) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_('Must be a list of competence codes such as "2.1".'))
    codes = [code.strip() for code in value if code.strip()]
    if not codes:
        raise ValidationError(_("This field is required."))
    unknown = [code for code in codes if code not in known_codes]
    if unknown:
        raise ValidationError(
            _("Unknown competence code(s) %(codes)s: not in the current framework.")
            % {
                "codes": ", ".join(f"«{_shown(code)}»" for code in unknown[:5])
                + (" …" if len(unknown) > 5 else "")
            }
        )
    return frozenset(codes)


def _check_level(value: Any, _codes: set[str]) -> int:
    if isinstance(value, str) and value.strip().upper() in _LEVELS:
        return _LEVELS[value.strip().upper()]
    raise ValidationError(
        _("«%(value)s» is not a level; use A1, A2, B1, B2, C1 or C2.") % {"value": _shown(value)}
    )


def _check_format(value: Any, _codes: set[str]) -> str:
    key = re.sub(r"[\s-]+", "_", str(value).strip().lower())
    if key in _FORMATS:
        return key
    raise ValidationError(
        _("Unknown format «%(value)s»; use online, on_site, self_study or blended.")
        % {"value": _shown(value)}
    )


def _check_language(value: Any, _codes: set[str]) -> str:
    key = re.split(r"[-_]", str(value).strip().lower(), maxsplit=1)[0]
    if key in _LANGUAGES:
        return key
    raise ValidationError(
        _("Unknown language «%(value)s»; use nl, en or fr.") % {"value": _shown(value)}
    )


def _check_duration(value: Any, _codes: set[str]) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip(), re.ASCII):
        text = value.strip()
        # Python will not read thousands of digits; a dozen already exceed the bound.
        huge = -(10**12) if text.startswith("-") else 10**12
        value = int(text) if len(text.lstrip("-").lstrip("0")) <= 12 else huge
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            _("«%(value)s» is not a whole number of minutes.") % {"value": _shown(value)}
        )
    if value < 0:
        raise ValidationError(_("A duration cannot be negative."))
    if value > MAX_DURATION_MINUTES:
        raise ValidationError(
            _("A duration is at most %(limit)s minutes.") % {"limit": MAX_DURATION_MINUTES}
        )
    return value


def _check_cost(value: Any, _codes: set[str]) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError(_("«%(value)s» is not an amount in euro.") % {"value": _shown(value)})
    text = str(value).strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(
            _("«%(value)s» is not an amount in euro (e.g. 25 or 12.50; 0 = free).")
            % {"value": _shown(value)}
        )
    if amount < 0:
        raise ValidationError(_("A cost cannot be negative."))
    if amount > MAX_COST_EUR or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(
            _("«%(value)s» does not fit: at most %(limit)s euro, with two decimals.")
            % {"value": _shown(value), "limit": MAX_COST_EUR}
        )
    return amount


def _check_storable(text: str) -> None:
    if _UNSTORABLE.search(text):
        raise ValidationError(
            _("Contains a NUL character or broken Unicode, which cannot be stored."),
            code="unstorable",
        )


def _shown(value: Any) -> str:
    """A wrong value as a message may quote it: short, flat, and storable in the import log."""
    if isinstance(value, str):
        text = value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"
    else:
        try:
            text = _SHOWN.repr(value)
        except (ValueError, RecursionError):  # an integer of thousands of digits
            text = "…"
    return _UNSTORABLE.sub("\ufffd", text)


_CHECKS = {
    "external_id": _check_text("external_id"),
    "title": _check_text("title"),
    "provider": _check_text("provider"),
    "url": _check_url,
    "description": _check_text("description"),
    "competences": _check_competences,
    "level_from": _check_level,
    "level_to": _check_level,
    "format": _check_format,
    "duration_minutes": _check_duration,
    "language": _check_language,
    "cost_eur": _check_cost,
}


# --- the HTTP feed ------------------------------------------------------------------------------


def fetch_feed(url: str, *, timeout: float, max_bytes: int) -> bytes:
    """GET the feed with a deadline and a size cap; only http(s), also after redirects.

    The deadline covers the whole transfer (connect, TLS, headers, every read, redirects), not
    each wait: a server sending one byte a second must not hold the worker past it.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise FeedError(_("The feed address must start with http:// or https://."))
    request = urllib.request.Request(  # noqa: S310 — the scheme is checked above
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json, application/ld+json"}
    )
    too_large = _("The feed is larger than %(size)s bytes (TRAINING_FEED_MAX_BYTES).") % {
        "size": max_bytes
    }
    too_slow = _(
        "The feed did not arrive within the time limit of %(seconds)s s "
        "(TRAINING_FEED_TIMEOUT_SECONDS)."
    ) % {"seconds": timeout}
    with _Watchdog(timeout) as watchdog:
        try:
            payload = _download(_opener(watchdog), request, watchdog, max_bytes, too_large)
        except FeedError:
            raise
        except (OSError, http.client.HTTPException) as exc:
            if watchdog.expired or _is_timeout(exc):
                raise FeedError(too_slow) from None
            if isinstance(exc, urllib.error.HTTPError):
                raise FeedError(
                    _("The feed answered HTTP %(status)s (%(reason)s).")
                    % {"status": exc.code, "reason": exc.reason}
                ) from None
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            raise FeedError(
                _("The feed cannot be reached: %(reason)s") % {"reason": reason}
            ) from None
        if watchdog.expired:  # a cut connection can look like a short, complete answer
            raise FeedError(too_slow)
    return payload


def _download(
    opener: urllib.request.OpenerDirector,
    request: urllib.request.Request,
    watchdog: _Watchdog,
    max_bytes: int,
    too_large: str,
) -> bytes:
    with opener.open(request, timeout=watchdog.remaining()) as response:
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FeedError(too_large)
        chunks, size = [], 0
        while chunk := response.read(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise FeedError(too_large)
            watchdog.remaining()
            chunks.append(chunk)
    return b"".join(chunks)


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, TimeoutError) or (
        isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, TimeoutError)
    )


def _opener(watchdog: _Watchdog) -> urllib.request.OpenerDirector:
    """Only http(s) handlers: a redirect cannot lead to file:, ftp: or data:."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        _WatchedHTTPHandler(watchdog),
        _WatchedHTTPSHandler(watchdog),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


class _Watchdog:
    """Cuts every connection of one fetch when its deadline passes, whatever it is waiting for.

    A socket timeout bounds each single wait, never the sum of them. A timer that shuts the
    sockets down ends any blocked connect, handshake or read at once. It holds duplicates of
    the sockets, so it never touches a file descriptor that was closed and reused meanwhile.
    """

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        with self._lock:
            for watched in self._sockets:
                watched.close()
            self._sockets.clear()

    def remaining(self) -> float:
        """Seconds left; a TimeoutError once the deadline has passed."""
        left = self.deadline - time.monotonic()
        if left <= 0 or self.expired:
            raise TimeoutError
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            watched = sock.dup()
            self._sockets.append(watched)
            if self.expired:
                _shut(watched)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for watched in self._sockets:
                _shut(watched)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedHTTPConnection(http.client.HTTPConnection):
    watchdog: _Watchdog

    def connect(self) -> None:
        super().connect()
        self.watchdog.watch(self.sock)


# HTTPSConnection.connect shakes hands after HTTPConnection.connect, so under the watchdog.
class _WatchedHTTPSConnection(http.client.HTTPSConnection, _WatchedHTTPConnection):
    pass


def _watched(connection_class: type[_WatchedHTTPConnection], watchdog: _Watchdog):
    def connection(*args, **kwargs) -> _WatchedHTTPConnection:
        kwargs["timeout"] = watchdog.remaining()  # a redirect's connection gets what is left
        built = connection_class(*args, **kwargs)
        built.watchdog = watchdog
        return built

    return connection


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self.watchdog = watchdog

    def http_open(self, req):
        return self.do_open(_watched(_WatchedHTTPConnection, self.watchdog), req)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self.watchdog = watchdog

    def https_open(self, req):
        return self.do_open(_watched(_WatchedHTTPSConnection, self.watchdog), req)
