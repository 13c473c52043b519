"""The staff list as CSV: reading a user manager's upload (all or nothing, errors per row and
column) and writing a result list that spreadsheet programs open safely."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from digisnap.core.spreadsheet import neutralised
from digisnap.rights.models import StaffMember

# The header of the template and of a download; an upload may use `;` or `,`.
COLUMNS = ("voornaam", "achternaam", "e-mail", "categorie", "begindatum", "einddatum")
MAX_ROWS = 5000
CATEGORIES = {
    "leraar": StaffMember.Category.TEACHER,
    "leerkracht": StaffMember.Category.TEACHER,
    "teacher": StaffMember.Category.TEACHER,
    "directie": StaffMember.Category.DIRECTION,
    "direction": StaffMember.Category.DIRECTION,
    "medewerker": StaffMember.Category.EMPLOYEE,
    "employee": StaffMember.Category.EMPLOYEE,
    "andere": StaffMember.Category.OTHER,
    "other": StaffMember.Category.OTHER,
}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")


@dataclass
class StaffRow:
    first_name: str
    last_name: str
    email: str
    category: str
    employed_from: datetime.date | None
    employed_until: datetime.date | None


@dataclass
class CellError:
    row: int  # the line in the file, the header being line 1
    column: str
    message: str


@dataclass
class UploadResult:
    rows: list[StaffRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


def _date(value: str) -> datetime.date | None:
    if not value:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def staff_csv_read(data: bytes) -> UploadResult:
    """Every row of an upload, or the errors that refuse the whole file."""
    result = UploadResult()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(
            CellError(0, "", _("The file is not UTF-8 text. Save it as CSV UTF-8."))
        )
        return result
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        result.errors.append(
            CellError(1, ", ".join(missing), _("These columns are missing from the first line."))
        )
        return result
    position = {column: header.index(column) for column in COLUMNS}
    seen: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if line - 1 > MAX_ROWS:
            result.errors.append(
                CellError(line, "", _("At most %(max)s people per file.") % {"max": MAX_ROWS})
            )
            break
        values = {
            column: (cells[index].strip() if index < len(cells) else "")
            for column, index in position.items()
        }
        result.rows.extend(_row(values, line, seen, result.errors))
    if result.errors:
        result.rows = []
    return result


def _row(values: dict[str, str], line: int, seen: dict[str, int], errors: list[CellError]):
    before = len(errors)
    for column in ("voornaam", "achternaam"):
        if not values[column]:
            errors.append(CellError(line, column, _("Fill this in.")))
        elif len(values[column]) > 150:
            errors.append(CellError(line, column, _("At most 150 characters.")))
    email = values["e-mail"].lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.append(CellError(line, "e-mail", _("Not a valid e-mail address.")))
    else:
        if email in seen:
            errors.append(
                CellError(line, "e-mail", _("Also on line %(line)s.") % {"line": seen[email]})
            )
        seen.setdefault(email, line)
    category = CATEGORIES.get(values["categorie"].lower())
    if category is None:
        errors.append(
            CellError(line, "categorie", _("Use Leraar, Directie, Medewerker or Andere."))
        )
    dates = {}
    for column in ("begindatum", "einddatum"):
        try:
            dates[column] = _date(values[column])
        except ValueError:
            errors.append(CellError(line, column, _("Write the date as dd/mm/yyyy.")))
    if (
        dates.get("begindatum")
        and dates.get("einddatum")
        and dates["einddatum"] < dates["begindatum"]
    ):
        errors.append(CellError(line, "einddatum", _("The end date is before the begin date.")))
    if len(errors) > before:
        return []
    return [
        StaffRow(
            first_name=values["voornaam"],
            last_name=values["achternaam"],
            email=email,
            category=category,
            employed_from=dates["begindatum"],
            employed_until=dates["einddatum"],
        )
    ]


def _date_cell(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def staff_csv_write(staff: Iterable[StaffMember]) -> bytes:
    """The list as UTF-8 with a BOM and `;`, which Excel in Belgium opens as columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for member in staff:
        writer.writerow(
            [
                neutralised(member.first_name),
                neutralised(member.last_name),
                neutralised(member.email),
                member.category.capitalize(),  # read back by an upload
                _date_cell(member.employed_from),
                _date_cell(member.employed_until),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def staff_csv_template() -> bytes:
    example = StaffMember(
        first_name="Katrien",
        last_name="Bernaerts",
        email="katrien.bernaerts@school.example",
        category=StaffMember.Category.EMPLOYEE,
        employed_from=datetime.date(2022, 7, 25),
        employed_until=datetime.date(2032, 7, 25),
    )
    return staff_csv_write([example])
