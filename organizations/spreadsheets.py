"""Read uploaded CSV and Excel files into rows with their row numbers.

Every problem is reported as a `FileProblem` naming the row and column a
person would see in their spreadsheet program (the header is row 1), so a
bad file can be fixed without guessing.
"""

import csv
import io
import logging
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

logger = logging.getLogger(__name__)

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
# An .xlsx is a zip; refuse one that would unpack to far more than it weighs
# (a "zip bomb"), before openpyxl opens any member. The sizes read are the
# ones the zip declares; zipfile never inflates a member past its declared
# size, so a lying archive fails its checksum instead of filling memory.
MAX_UNPACKED_RATIO = 100
MAX_UNPACKED_FACTOR = 20
MAX_ZIP_MEMBERS = 1000
# No roster or network file needs more columns than this; a sheet declaring
# more would make openpyxl pad every row out to that width.
MAX_COLUMNS = 200
ZIP_SIGNATURE = b"PK\x03\x04"
# Files people upload by mistake, recognised by their first bytes.
BINARY_SIGNATURES = [
    (b"\x89PNG", _lazy("a PNG image")),
    (b"\xff\xd8\xff", _lazy("a JPEG image")),
    (b"GIF8", _lazy("a GIF image")),
    (b"%PDF", _lazy("a PDF document")),
    (b"MZ", _lazy("a Windows program")),
    (b"\x7fELF", _lazy("a program")),
    (b"\xd0\xcf\x11\xe0", _lazy("an old Excel (.xls) or Word file")),
    (ZIP_SIGNATURE, _lazy("an Excel workbook or zip archive")),
]


@dataclass(frozen=True)
class FileProblem:
    message: str
    row: int | None = None
    column: str | None = None
    file: str | None = None

    def __str__(self):
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Table:
    """A file's header and rows; each row maps column name to stripped text."""

    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class SpreadsheetError(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)


def read_table(name, content, required=(), max_rows=None, max_bytes=None):
    """Return a `Table` read from the bytes of a CSV or Excel file.

    Column names are matched without regard to case or surrounding spaces.
    Raise `SpreadsheetError` listing every problem with the file itself:
    empty, too large, wrong type, wrong encoding, missing columns.
    """
    max_rows = max_rows or settings.ROSTER_MAX_ROWS
    max_bytes = max_bytes or settings.ROSTER_MAX_BYTES
    if not content:
        raise SpreadsheetError([FileProblem(_("The file is empty."), file=name)])
    if len(content) > max_bytes:
        limit = filesizeformat(max_bytes)
        message = _("The file is larger than %(limit)s.") % {"limit": limit}
        raise SpreadsheetError([FileProblem(message, file=name)])

    lower = name.lower()
    if lower.endswith(EXCEL_SUFFIXES):
        header, records = _read_excel(name, content, max_rows, max_bytes)
    elif lower.endswith(CSV_SUFFIXES):
        header, records = _read_csv(name, content, max_rows)
    else:
        message = _("Upload a CSV (.csv) or Excel (.xlsx) file.")
        raise SpreadsheetError([FileProblem(message, file=name)])

    columns = [str(c or "").strip().lower() for c in header]
    if not any(columns):
        message = _("The file has no header row.")
        raise SpreadsheetError([FileProblem(message, row=1, file=name)])
    missing = [c for c in required if c not in columns]
    if missing:
        problems = [
            FileProblem(_("This required column is missing."), 1, c, name)
            for c in missing
        ]
        raise SpreadsheetError(problems)

    table = Table(name=name, columns=[c for c in columns if c])
    for number, record in records:
        values = {
            column: _cell_text(value)
            for column, value in zip(columns, record, strict=False)
            if column
        }
        if any(values.values()):
            table.rows.append((number, values))
    if not table.rows:
        message = _("The file has a header but no rows.")
        raise SpreadsheetError([FileProblem(message, file=name)])
    return table


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _read_csv(name, content, max_rows):
    kind = _binary_kind(content)
    # "MZ" or "%PDF" may also start a text file; believe a signature only
    # when the bytes that follow it are not text.
    looks_binary = kind is not None and not content[:4].decode("latin-1").isprintable()
    if looks_binary or b"\x00" in content:
        raise SpreadsheetError([_not_text(name, kind)])
    text = _decode(name, content)

    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader, [])
        records = []
        for index, record in enumerate(reader, start=2):
            if index - 1 > max_rows:
                raise _too_many_rows(name, max_rows)
            records.append((index, record))
    except csv.Error as error:
        message = _("The CSV file cannot be read: %(error)s") % {"error": error}
        row = reader.line_num
        raise SpreadsheetError([FileProblem(message, row=row, file=name)]) from None
    return header, records


def _decode(name, content):
    """Return the text of a CSV file saved as UTF-8 or as Windows-1252.

    Excel on Windows saves "CSV (Comma delimited)" as Windows-1252, so that
    is tried when the bytes are not UTF-8; bytes that are neither refuse the
    file rather than guess further.
    """
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        first_error = error
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        row = content[: first_error.start].count(b"\n") + 1
        message = _(
            "The file is neither UTF-8 nor Windows-1252 text. Save it as "
            "“CSV UTF-8” and upload it again."
        )
        raise SpreadsheetError([FileProblem(message, row=row, file=name)]) from None


def _binary_kind(content):
    for signature, kind in BINARY_SIGNATURES:
        if content.startswith(signature):
            return kind
    return None


def _not_text(name, kind):
    if kind is None:
        message = _("The file holds binary data, not CSV text.")
    else:
        message = _("The file is %(kind)s, not CSV text.") % {"kind": kind}
    return FileProblem(message, file=name)


def _read_excel(name, content, max_rows, max_bytes):
    from openpyxl import load_workbook

    _check_archive(name, content, max_bytes)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        logger.warning("unreadable workbook %s", name, exc_info=True)
        message = _("The file is not a readable Excel workbook.")
        raise SpreadsheetError([FileProblem(message, file=name)]) from None
    try:
        if not workbook.worksheets:
            message = _("The workbook has no worksheet.")
            raise SpreadsheetError([FileProblem(message, file=name)])
        sheet = workbook.worksheets[0]
        _check_dimensions(name, sheet, max_rows)
        width = min(sheet.max_column or MAX_COLUMNS + 1, MAX_COLUMNS + 1)
        rows = sheet.iter_rows(max_col=width, values_only=True)
        header = _trimmed(name, next(rows, None) or [])
        records = []
        for index, record in enumerate(rows, start=2):
            if index - 1 > max_rows:
                raise _too_many_rows(name, max_rows)
            records.append((index, _trimmed(name, record)))
    finally:
        workbook.close()
    return header, records


def _check_archive(name, content, max_bytes):
    """Refuse a workbook that is not a zip, or one that unpacks too far."""
    if not content.startswith(ZIP_SIGNATURE):
        kind = _binary_kind(content)
        if kind is None:
            message = _("The file is not a readable Excel workbook.")
        else:
            message = _("The file is %(kind)s, not an Excel (.xlsx) workbook.") % {
                "kind": kind
            }
        raise SpreadsheetError([FileProblem(message, file=name)])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        message = _("The file is not a readable Excel workbook.")
        raise SpreadsheetError([FileProblem(message, file=name)]) from None

    unpacked = sum(member.file_size for member in members)
    limit = min(
        MAX_UNPACKED_RATIO * len(content) + 10 * 1024 * 1024,
        MAX_UNPACKED_FACTOR * max_bytes,
    )
    if len(members) > MAX_ZIP_MEMBERS:
        message = _(
            "The workbook holds %(count)d parts, far more than a spreadsheet "
            "has; refused."
        ) % {"count": len(members)}
    elif unpacked > limit:
        message = _(
            "The workbook unpacks to far more than its size (%(size)s); "
            "refused. Save it again from your spreadsheet program."
        ) % {"size": filesizeformat(unpacked)}
    else:
        return
    logger.warning(
        "refused workbook %s: %d members unpack to %d bytes",
        name,
        len(members),
        unpacked,
    )
    raise SpreadsheetError([FileProblem(message, file=name)])


def _check_dimensions(name, sheet, max_rows):
    """Refuse a sheet that declares more rows or columns than allowed."""
    if (sheet.max_row or 0) > max_rows + 1:
        raise _too_many_rows(name, max_rows)
    if (sheet.max_column or 0) > MAX_COLUMNS:
        raise _too_many_columns(name)


def _trimmed(name, record):
    """Return a row's cells without the empty ones at its end."""
    cells = list(record)
    while cells and cells[-1] in (None, ""):
        cells.pop()
    if len(cells) > MAX_COLUMNS:
        raise _too_many_columns(name)
    return cells


def _too_many_columns(name):
    message = _("The file has more than %(limit)d columns.") % {"limit": MAX_COLUMNS}
    return SpreadsheetError([FileProblem(message, file=name)])


def _too_many_rows(name, max_rows):
    message = _("The file has more than %(limit)d rows.") % {"limit": max_rows}
    return SpreadsheetError([FileProblem(message, file=name)])


def split_list(text):
    """Split a `;`-separated cell into its non-empty items."""
    return [item.strip() for item in text.split(";") if item.strip()]
