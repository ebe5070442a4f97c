"""Uploaded files that are too big, too long, of the wrong type or built to
exhaust memory are refused with a message naming the problem, and nothing is
saved. Each file goes through the staff roster import and the
import_network command, the two ways a file reaches the database.
"""

import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from organizations.models import Organization
from surveys.models import Nomination, Round
from tests.organizations.test_roster_import import (
    ALL_COLUMNS,
    GOOD_ROWS,
    counts,
    preview,
    problems_of,
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
GOOD_CSV = (
    b"name,sector,services,contact_email\n"
    b"Lakeside Food Bank,health,food,ana@lakeside.example\n"
)


def workbook_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_XLSX = workbook_bytes(
    [ALL_COLUMNS, *[[r.get(c) for c in ALL_COLUMNS] for r in GOOD_ROWS]]
)


def rewrite_sheet(content, change):
    """Return the workbook with its first sheet's XML passed through change."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(member.filename, data)
    return buffer.getvalue()


def sheet_bomb():
    """A workbook whose sheet unpacks to 300 MB from a few hundred KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in zipfile.ZipFile(io.BytesIO(GOOD_XLSX)).infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                data = zipfile.ZipFile(io.BytesIO(GOOD_XLSX)).read(member)
                archive.writestr(member, data)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet><sheetData><row r="1">')
            chunk = b'<c t="inlineStr"><is><t>aaaa</t></is></c>' * 25_000
            for _ in range(300):
                sheet.write(chunk)
            sheet.write(b"</row></sheetData></worksheet>")
    return buffer.getvalue()


def many_members():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in zipfile.ZipFile(io.BytesIO(GOOD_XLSX)).infolist():
            archive.writestr(
                member, zipfile.ZipFile(io.BytesIO(GOOD_XLSX)).read(member)
            )
        for number in range(2000):
            archive.writestr(f"xl/media/extra{number}.bin", b"")
    return buffer.getvalue()


def declared(reference):
    return rewrite_sheet(
        GOOD_XLSX,
        lambda xml: re.sub(
            rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % reference, xml
        ),
    )


def far_row():
    """A sheet without a declared size and a cell on Excel's last row.

    openpyxl yields every empty row before it, so only the row limit stops
    the reader.
    """
    cell = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'

    def change(xml):
        xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
        return xml.replace(b"</sheetData>", cell + b"</sheetData>")

    return rewrite_sheet(GOOD_XLSX, change)


BAD_FILES = [
    pytest.param(
        "roster.csv", PNG, "The file is a PNG image, not CSV text.", id="png-as-csv"
    ),
    pytest.param(
        "roster.xlsx",
        PNG,
        "The file is a PNG image, not an Excel (.xlsx) workbook.",
        id="png-as-xlsx",
    ),
    pytest.param(
        "roster.csv",
        EXE,
        "The file is a Windows program, not CSV text.",
        id="exe-as-csv",
    ),
    pytest.param(
        "roster.xlsx",
        EXE,
        "The file is a Windows program, not an Excel (.xlsx) workbook.",
        id="exe-as-xlsx",
    ),
    pytest.param(
        "roster.csv",
        GOOD_XLSX,
        "The file is an Excel workbook or zip archive, not CSV text.",
        id="xlsx-as-csv",
    ),
    pytest.param(
        "roster.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
        "The file is an old Excel (.xls) or Word file, not an Excel (.xlsx) workbook.",
        id="xls-as-xlsx",
    ),
    pytest.param("roster.csv", b"", "The file is empty.", id="empty"),
    pytest.param("roster.xlsx", b"", "The file is empty.", id="empty-xlsx"),
    pytest.param(
        "roster.csv",
        GOOD_CSV.replace(b"Lakeside", b"Lake\x00side"),
        "The file holds binary data, not CSV text.",
        id="nul-bytes",
    ),
    pytest.param(
        "roster.csv",
        GOOD_CSV + b"Caf\x81\x8d,health,food,c@x.example\n",
        "The file is neither UTF-8 nor Windows-1252 text.",
        id="invalid-utf8-and-cp1252",
    ),
    pytest.param(
        "roster.csv",
        "name,sector,services,contact_email\n".encode("utf-16"),
        "The file holds binary data, not CSV text.",
        id="utf-16",
    ),
    pytest.param(
        "roster.xlsx",
        sheet_bomb(),
        "The workbook unpacks to far more than its size",
        id="excel-bomb",
    ),
    pytest.param(
        "roster.xlsx",
        many_members(),
        "parts, far more than a spreadsheet has; refused.",
        id="zip-with-thousands-of-members",
    ),
    pytest.param(
        "roster.xlsx",
        declared(b"A1:XFD3"),
        "The file has more than 200 columns.",
        id="declared-16384-columns",
    ),
    pytest.param(
        "roster.xlsx",
        declared(b"A1:N1048576"),
        "The file has more than 20000 rows.",
        id="declared-a-million-rows",
    ),
    pytest.param(
        "roster.xlsx", far_row(), "The file has more than 20000 rows.", id="far-row"
    ),
    pytest.param(
        "roster.csv",
        b"name,sector,services,contact_email\n" + b"a,b,c,d@x.example\n" * 20_001,
        "The file has more than 20000 rows.",
        id="csv-over-row-limit",
    ),
    pytest.param(
        "roster.csv",
        GOOD_CSV + b"x" * (5 * 1024 * 1024),
        "The file is larger than 5.0\xa0MB.",
        id="over-size-limit",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_roster_upload_is_refused_with_a_clear_message(
    staff_client, name, content, message
):
    before = counts()
    started = time.monotonic()

    shown = preview(staff_client, SimpleUploadedFile(name, content))

    assert shown.status_code == 200
    problems = [m for _, _, m in problems_of(shown)]
    assert any(message in problem for problem in problems), problems
    assert shown.context["token"] is None
    assert counts() == before
    assert time.monotonic() - started < 10


def test_size_limit_follows_the_setting(staff_client, settings):
    settings.ROSTER_MAX_BYTES = 100
    before = counts()

    shown = preview(staff_client, SimpleUploadedFile("roster.csv", GOOD_CSV * 3))

    assert [m for _, _, m in problems_of(shown)] == [
        "The file is larger than 100\xa0bytes."
    ]
    assert counts() == before


def test_row_limit_follows_the_setting_for_excel_too(staff_client, settings):
    settings.ROSTER_MAX_ROWS = 1
    before = counts()

    shown = preview(staff_client, SimpleUploadedFile("roster.xlsx", GOOD_XLSX))

    assert [m for _, _, m in problems_of(shown)] == ["The file has more than 1 rows."]
    assert counts() == before


def test_windows_1252_csv_is_read_as_written(staff_client):
    content = "name,sector,services,contact_email\nCafé Niño,health,food,a@x.example\n"

    shown = preview(staff_client, SimpleUploadedFile("r.csv", content.encode("cp1252")))

    assert [o.name for o in shown.context["plan"].organizations] == ["Café Niño"]


def test_a_workbook_at_the_limits_is_still_read(staff_client):
    shown = preview(staff_client, SimpleUploadedFile("roster.xlsx", GOOD_XLSX))

    assert shown.context["plan"].problems == []
    assert shown.context["token"] is not None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("organizations.xlsx", sheet_bomb(), "unpacks to far more than its size"),
        ("organizations.csv", PNG, "The file is a PNG image, not CSV text."),
        ("organizations.xlsx", EXE, "The file is a Windows program"),
        ("organizations.xlsx", declared(b"A1:XFD3"), "more than 200 columns"),
    ],
    ids=["excel-bomb", "png", "exe", "wide"],
)
def test_import_network_refuses_the_file_and_imports_nothing(
    db, tmp_path, name, content, message
):
    organizations = tmp_path / name
    organizations.write_bytes(content)
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target\nA,B\n")
    before = Organization.objects.count()

    with pytest.raises(CommandError) as error:
        call_command(
            "import_network",
            round="Imported",
            organizations=str(organizations),
            ties=str(ties),
            stdout=io.StringIO(),
        )

    assert f"{name}: " in str(error.value) and message in str(error.value)
    assert Organization.objects.count() == before
    assert not Round.objects.filter(name="Imported").exists()
    assert not Nomination.objects.exists()
