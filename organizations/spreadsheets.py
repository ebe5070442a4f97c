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
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
# An .xlsx is a zip; refuse one that would unpack to far more than it weighs.
MAX_UNPACKED_RATIO = 100


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
        limit = max_bytes // (1024 * 1024)
        message = _("The file is larger than %(limit)d MB.") % {"limit": limit}
        raise SpreadsheetError([FileProblem(message, file=name)])

    lower = name.lower()
    if lower.endswith(EXCEL_SUFFIXES):
        header, records = _read_excel(name, content, max_rows)
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
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = content[: error.start].count(b"\n") + 1
        message = _(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."
        )
        raise SpreadsheetError([FileProblem(message, row=row, file=name)]) from None
    if "\x00" in text:
        message = _("The file is not a text CSV file.")
        raise SpreadsheetError([FileProblem(message, file=name)])

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


def _read_excel(name, content, max_rows):
    from openpyxl import load_workbook

    not_excel = FileProblem(_("The file is not a readable Excel workbook."), file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise SpreadsheetError([not_excel]) from None
    if unpacked > MAX_UNPACKED_RATIO * len(content) + 10 * 1024 * 1024:
        message = _("The workbook unpacks to far more than its size; refused.")
        raise SpreadsheetError([FileProblem(message, file=name)])

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        logger.warning("unreadable workbook %s", name, exc_info=True)
        raise SpreadsheetError([not_excel]) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = list(next(rows, None) or [])
        records = []
        for index, record in enumerate(rows, start=2):
            if index - 1 > max_rows:
                raise _too_many_rows(name, max_rows)
            records.append((index, list(record)))
    finally:
        workbook.close()
    return header, records


def _too_many_rows(name, max_rows):
    message = _("The file has more than %(limit)d rows.") % {"limit": max_rows}
    return SpreadsheetError([FileProblem(message, file=name)])


def split_list(text):
    """Split a `;`-separated cell into its non-empty items."""
    return [item.strip() for item in text.split(";") if item.strip()]
