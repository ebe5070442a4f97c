"""Every page, map, report and download shows hostile names and texts inert.

The sweep opens each GET route of the access table (with every export
format, download kind and survey step spelled out) as each persona allowed
there, in a world whose organizations, write-ins, practices, guide entries
and posts carry script, tags, handlers, javascript: links, right-to-left and
zero-width characters, emoji and spreadsheet formulas. Each answer is
checked by its type: HTML carries no tag or handler from a payload, CSV and
Excel cells cannot start a formula, JSON, GraphML and GEXF hold the names
exactly, and the PDF is drawn.
"""

import gzip
import json

import pytest
from django.db import transaction
from django.urls import reverse

from network.exports import FORMATS
from tests.edn.access_rules import OK, PERSONAS, RULES
from tests.edn.test_access_rules import address, client_of
from tests.security.hostile import (
    IMAGE,
    STORED_NAMES,
    assert_inert_html,
    csv_cells,
    graph_strings,
    pdf_text,
    spreadsheet_text,
    strings_in,
    texts_holding,
    xlsx_cells,
)
from tests.security.hostile_world import build_hostile_world
from tests.surveys.survey_setup import STEP_SLUGS

EXPORT = "staff/rounds/<slug:slug>/exports/<str:variant>/<str:format>/"
TABLE_EXPORT = "staff/rounds/<slug:slug>/organizations/export.<str:format>"
MY_DATA = "my/<int:organization_id>/data.<str:kind>"
STEP = "survey/<int:response_id>/<slug:step>/"
# Arguments the access table fixes to one value, spelled out here in full.
EXPANSIONS = {
    EXPORT: [
        {"variant": variant, "format": format}
        for variant in ("full", "anonymized")
        for format in FORMATS
    ],
    TABLE_EXPORT: [{"format": "csv"}, {"format": "xlsx"}],
    MY_DATA: [{"kind": "csv"}, {"kind": "json"}],
    STEP: [{"step": slug} for slug in STEP_SLUGS],
}
# Searches whose results list hostile names.
QUERIES = {
    "survey/<int:response_id>/search/": "?q=alert",
    "survey/<int:response_id>/<slug:step>/": "?q=alert",
    "guide/search/": "?q=alert",
}
# Where every hostile organization name must be found exactly.
HOLDS_EVERY_NAME = {
    "staff/rounds/<slug:slug>/map.json",
    TABLE_EXPORT,
}
SKIPPED = {"accounts/logout/", "healthz", "i18n/setlang/"}


def sweep_cases():
    cases = []
    for route, method, outcomes in RULES:
        if method != "GET" or route in SKIPPED:
            continue
        allowed = tuple(p for p, o in zip(PERSONAS, outcomes, strict=True) if o == OK)
        for values in EXPANSIONS.get(route, [{}]):
            label = ",".join(values.values())
            cases.append(
                pytest.param(route, values, allowed, id=f"{route or '/'}[{label}]")
            )
    return cases


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_hostile_world()
        transaction.set_rollback(True)


def url_of(route, world, values):
    original = world.kwargs

    def kwargs(route):
        return {**original(route), **values}

    world.kwargs = kwargs
    try:
        return address(route, world) + QUERIES.get(route, "")
    finally:
        world.kwargs = original


def body_of(response):
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content


def checked(response, where):
    """Check an answer by its type; return the texts it holds."""
    kind = response["Content-Type"].split(";")[0]
    content = body_of(response)
    if kind == "text/html":
        assert_inert_html(content.decode(), where)
        return {content.decode()}
    if kind == "application/json":
        return strings_in(json.loads(content))
    if kind == "text/csv":
        return csv_cells(content, where)
    if kind.endswith("spreadsheetml.sheet"):
        return xlsx_cells(content, where)
    if kind == "application/xml":
        return graph_strings(content, "gexf" if b"<gexf" in content else "graphml")
    if kind == "application/pdf":
        return {pdf_text(content)}
    raise AssertionError(f"{where}: unexpected content type {kind}")


@pytest.mark.parametrize(("route", "values", "personas"), sweep_cases())
def test_hostile_names_are_inert(db, world, route, values, personas):
    url = url_of(route, world, values)
    shown = 0

    for persona in personas:
        response = client_of(world, persona).get(url, follow=True)
        assert response.status_code < 500, f"{persona} {url}"
        if response.status_code != 200:
            continue
        shown += 1
        texts = checked(response, f"{persona} {url}")
        if route in HOLDS_EVERY_NAME or values.get("variant") == "full":
            spreadsheet = route == TABLE_EXPORT or values.get("format") in (
                "csv",
                "xlsx",
            )
            expected = [spreadsheet_text(n) if spreadsheet else n for n in STORED_NAMES]
            assert texts_holding(texts, expected) == [], f"{persona} {url}"

    assert shown, f"no persona was shown {url}"


def test_the_members_report_pdf_prints_its_hostile_name(db, world):
    client = client_of(world, "member")
    url = reverse("participants:team_report_pdf", args=[world.organization.pk])

    text = pdf_text(body_of(client.get(url)))

    assert "img src=x onerror=alert" in text


def test_the_members_data_holds_its_name_exactly(db, world):
    client = client_of(world, "member")
    url = reverse("participants:my_data_download", args=[world.organization.pk, "json"])

    data = json.loads(body_of(client.get(url)))

    assert IMAGE in strings_in(data)


@pytest.mark.parametrize(
    "name",
    [
        "admin:organizations_organization_changelist",
        "admin:surveys_nomination_changelist",
        "admin:guide_reflection_changelist",
    ],
)
def test_admin_lists_show_hostile_names_inert(db, world, name):
    client = client_of(world, "admin")

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_inert_html(response.content.decode(), name)


# Pages that show the member's organization name, escaped; the sweep above
# would pass on a page that showed nothing, so these must show the name.
SHOWS_THE_NAME = [
    ("member", "participants:my_organization", "organization"),
    ("member", "participants:team_report", "organization"),
    ("member", "participants:my_data", "organization"),
    ("staff", "network:round_table", "round"),
    ("staff", "network:round_coverage", "round"),
]


@pytest.mark.parametrize(("persona", "name", "argument"), SHOWS_THE_NAME)
def test_pages_show_the_hostile_name_as_text(db, world, persona, name, argument):
    client = client_of(world, persona)
    value = world.organization.pk if argument == "organization" else world.round.slug

    page = client.get(reverse(name, args=[value])).content.decode()

    assert "&lt;img src=x onerror=alert(1)&gt; Clinic" in page


def test_the_guide_entry_keeps_link_text_and_drops_the_markup(db, world):
    """Markdown is rendered through nh3: tags go, the words around them stay."""
    page = client_of(world, "member").get(world.entry.get_absolute_url())

    html = page.content.decode()
    assert '<a rel="nofollow noopener noreferrer">read more</a>' in html
    assert (
        "Care  Clinic &quot;&gt; Shelter" in html
        or 'Care  Clinic "&gt; Shelter' in html
    )
    assert_inert_html(html, "entry")


@pytest.mark.parametrize(
    "html",
    [
        "<p><img src=x onerror=alert(1)></p>",
        '<a href=" javascript:alert(1)">x</a>',
        "<div onclick='alert(1)'>x</div>",
        "<script>alert(1)</script>",
    ],
)
def test_the_html_check_catches_a_live_payload(html):
    with pytest.raises(AssertionError):
        assert_inert_html(html, "sample")


@pytest.mark.parametrize("cell", ["=1+1", "@SUM(A1)", "\t=1", "-2+3"])
def test_the_csv_check_catches_a_formula(cell):
    with pytest.raises(AssertionError):
        csv_cells(f"name\r\n{cell}\r\n".encode(), "sample")
