"""Hostile strings and the checks that show a page or file keeps them inert.

A name or text is inert when a browser shows it as text (no tag, handler or
link from it runs), a spreadsheet program shows it as text (no formula), and
a data file holds it exactly as it was given.
"""

import csv
import io
import json
import re
import zlib
from html.parser import HTMLParser

import networkx as nx
from openpyxl import load_workbook

SCRIPT = "<script>alert(1)</script> Care"
IMAGE = "<img src=x onerror=alert(1)> Clinic"
SVG = '"><svg onload=alert(1)> Shelter'
RIGHT_TO_LEFT = "Health \u202eexe.daolnwod\u202c Hub"
ZERO_WIDTH = "Food\u200bBank\ufeff Pantry"
EMOJI = "Youth 🧒🏽 Centre 👩🏽‍⚕️"
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
JAVASCRIPT_LINK = (
    "[read more](javascript:alert(1)) and <a href=javascript:alert(1)>x</a>"
)
NUL = "Nul\x00Byte"
LONG = "Long story " + "x" * 4989

# Organization names: each fits the 200 characters a name may have.
NAMES = [SCRIPT, IMAGE, SVG, RIGHT_TO_LEFT, ZERO_WIDTH, EMOJI, *FORMULAS]
# An organization's name is stored with its runs of spaces folded into one
# (Organization.save), so "\t=1" is kept as "=1".
STORED_NAMES = [" ".join(name.split()) for name in NAMES]
# Free texts also carry Markdown links and a story of 5,000 characters.
TEXTS = [*NAMES, JAVASCRIPT_LINK]
TAG_PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
TAG_PAYLOADS += ["<svg onload=alert(1)>", "<a href=javascript:alert(1)>"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Elements(HTMLParser):
    """Collect every element with its attributes, and the text of scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.scripts = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script = [attributes.get("type", ""), ""]
            self.scripts.append(self._script)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data


def assert_inert_html(html, where):
    """Fail if the page carries a tag, handler or link from a payload."""
    for payload in TAG_PAYLOADS:
        assert payload not in html, f"{where}: unescaped {payload!r}"
    parser = _Elements()
    parser.feed(html)
    for tag, attributes in parser.elements:
        for name, value in attributes.items():
            assert not (name.startswith("on") and "alert(" in value), (
                f"{where}: <{tag} {name}={value!r}>"
            )
            lowered = re.sub(r"\s", "", value).lower()
            assert not lowered.startswith("javascript:"), (
                f"{where}: <{tag} {name}={value!r}>"
            )
        assert not (tag == "img" and attributes.get("src") == "x"), where
        assert tag != "svg" or "onload" not in attributes, where
    for kind, text in parser.scripts:
        if kind in ("application/json", "application/ld+json"):
            json.loads(text)
        else:
            assert "alert(1)" not in text, f"{where}: payload inside a script"


def strings_in(value):
    """Return every string a decoded JSON value holds, keys included."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        found = set(value)
        for inner in value.values():
            found |= strings_in(inner)
        return found
    if isinstance(value, list):
        return set().union(*(strings_in(inner) for inner in value)) if value else set()
    return set()


def texts_holding(strings, names):
    """Return the names not found exactly, alone or inside a longer text."""
    return [n for n in names if not any(n in s for s in strings)]


def spreadsheet_text(value):
    """Return the cell a spreadsheet should show for a stored string."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_formula_safe(cell, where):
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        assert _is_number(cell), f"{where}: cell {cell!r} would run as a formula"


def csv_cells(content, where):
    """Return every cell of a CSV file, failing on one a formula could start."""
    cells = [
        cell
        for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))
        for cell in row
    ]
    for cell in cells:
        assert_formula_safe(cell, where)
    return set(cells)


def xlsx_cells(content, where):
    """Return every cell of a workbook, failing on a formula or its look-alike."""
    workbook = load_workbook(io.BytesIO(content))
    cells = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: formula {cell.value!r}"
                assert_formula_safe(cell.value, where)
                if isinstance(cell.value, str):
                    cells.add(cell.value)
    return cells


def graph_strings(content, format):
    """Return every node label and attribute text of a GraphML or GEXF file."""
    read = nx.read_graphml if format == "graphml" else nx.read_gexf
    graph = read(io.BytesIO(content))
    found = set()
    for node, data in graph.nodes(data=True):
        found.add(str(node))
        found |= {v for v in data.values() if isinstance(v, str)}
    return found


def pdf_text(content):
    """Return the text-drawing operators of a PDF's content streams."""
    assert content.startswith(b"%PDF")
    found = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            found.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            found.append(stream.decode("latin-1"))
    return "\n".join(found)
