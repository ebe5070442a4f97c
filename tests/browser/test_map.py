"""The staff map explorer on the demo network, in headless Chromium."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from network.services import rebuild_round
from organizations.models import Organization
from surveys.models import Round
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOSTILE = "<img src=x onerror=alert(1)>"
MAP_URL = "/staff/rounds/2026/map/"


@pytest.fixture
def demo_map():
    """Load the demo region, give one organization a hostile name, map 2026."""
    call_command("load_demo", verbosity=0)
    round_ = Round.objects.get(slug="2026")
    hostile = round_.roster.order_by("name").first()
    Organization.objects.filter(pk=hostile.pk).update(name=HOSTILE)
    rebuild_round(round_.pk, force=True)
    return round_


def sign_in(page):
    UserFactory(email="mapper@edn.example", is_staff=True)
    page.goto("/accounts/login/?next=" + MAP_URL)
    page.get_by_label("E-mail address").fill("mapper@edn.example")
    page.get_by_label("Password").fill("correct horse 42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-map-ready]")).to_have_count(1)


def visible_ties(page):
    return int(page.locator("[data-map-counts]").get_attribute("data-visible-ties"))


def test_map_draws_and_filters_change_the_visible_ties(page, demo_map, screenshot):
    sign_in(page)

    counts = page.locator("[data-map-counts]")
    expect(counts).to_contain_text(re.compile(r"Showing [\d,]+ of [\d,]+ ties"))
    everything = visible_ties(page)
    assert everything > 100
    assert page.evaluate("window.ednMap.firstRenderMs") > 0
    screenshot("map")

    page.get_by_label("Ties to show").select_option("collaboration")
    collaboration = visible_ties(page)
    page.get_by_label("Confirmed ties only").check()
    confirmed = visible_ties(page)
    page.get_by_label("Sector", exact=True).select_option(label="Health")
    health = visible_ties(page)

    assert everything > collaboration > confirmed >= health
    expect(page.locator("[data-map-legend]")).to_contain_text("Health")
    expect(page.locator("[data-map-legend]")).not_to_contain_text("Philanthropy")

    page.get_by_label("Colour by").select_option("position")
    expect(page.locator("[data-map-legend]")).to_contain_text("Colour: Position")


def test_search_opens_the_panel_and_partners_lead_on(page, demo_map, screenshot):
    sign_in(page)

    page.get_by_label("Find an organization").fill("Old Town Medical")
    page.get_by_role("button", name="Find").click()

    panel = page.locator("[data-map-panel]")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", level=2)).to_have_text(
        "Old Town Medical Center"
    )
    expect(panel).to_contain_text("Sector")
    expect(panel).to_contain_text(re.compile(r"Partners \(\d+\)"))
    screenshot("panel")

    partner = panel.locator("[data-map-panel-partners] button").first
    name = partner.text_content()
    partner.click()
    expect(panel.get_by_role("heading", level=2)).to_have_text(name)

    page.get_by_text("Partners of partners").click()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()


def test_unknown_name_says_so(page, demo_map):
    sign_in(page)

    page.get_by_label("Find an organization").fill("Nowhere Agency")
    page.get_by_role("button", name="Find").click()

    expect(page.locator("[data-map-search-message]")).to_have_text(
        "No organization matches “Nowhere Agency”."
    )


def test_png_and_svg_exports_download_with_the_round_name(page, demo_map, tmp_path):
    sign_in(page)

    with page.expect_download() as png:
        page.get_by_role("button", name="PNG image").click()
    with page.expect_download() as svg:
        page.get_by_role("button", name="SVG drawing").click()

    assert png.value.suggested_filename == "edn-map-2026.png"
    png_path = tmp_path / "map.png"
    png.value.save_as(png_path)
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg_path = tmp_path / "map.svg"
    svg.value.save_as(svg_path)
    drawing = svg_path.read_text()
    assert "EDN · 2026" in drawing and "Colour: Sector" in drawing
    assert "<circle" in drawing and "<line" in drawing
    assert "<img" not in drawing


def test_hostile_name_stays_text_on_the_map_panel_and_table(page, demo_map):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page)

    page.get_by_label("Find an organization").fill(HOSTILE)
    page.get_by_role("button", name="Find").click()
    expect(page.locator("[data-map-panel-title]")).to_have_text(HOSTILE)
    page.get_by_role("button", name="Table view").click()
    expect(page.locator("[data-map-table]")).to_contain_text(HOSTILE)
    with page.expect_download():
        page.get_by_role("button", name="SVG drawing").click()

    assert page.locator("img[src=x]").count() == 0
    assert dialogs == []


def test_table_view_lists_organizations_and_works_by_keyboard(page, demo_map):
    sign_in(page)

    toggle = page.get_by_role("button", name="Table view")
    toggle.focus()
    page.keyboard.press("Enter")

    expect(toggle).to_have_attribute("aria-expanded", "true")
    table = page.locator("[data-map-table] table")
    expect(table.locator("caption")).to_have_text(
        "Organizations in the current view and their partners"
    )
    expect(table.locator("tbody tr")).to_have_count(100)
    page.locator("[data-map-table-more]").click()
    assert table.locator("tbody tr").count() > 100
    first = table.locator("tbody th button").first
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-map-panel-title]")).to_have_text(first.text_content())


def test_round_picker_switches_to_another_round(page, demo_map):
    rebuild_round(Round.objects.get(slug="2025").pk, force=True)
    sign_in(page)

    page.get_by_label("Round", exact=True).select_option(label="2025")

    expect(page).to_have_url(re.compile(r"/staff/rounds/2025/map/$"))
    expect(page.locator("[data-map-ready]")).to_have_count(1)
