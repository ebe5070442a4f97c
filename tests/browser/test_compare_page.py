"""Round comparison and exports on the demo network, in headless Chromium."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from network.models import ExportLog
from network.services import rebuild_round
from surveys.models import Round
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COMPARE_URL = "/staff/rounds/2026/compare/"
EXPORTS_URL = "/staff/rounds/2026/exports/"


@pytest.fixture
def demo_rounds():
    """Load the demo region and build both rounds' snapshots."""
    call_command("load_demo", verbosity=0)
    for round_ in Round.objects.filter(slug__in=["2025", "2026"]):
        rebuild_round(round_.pk, force=True)


def sign_in(page, next_url):
    UserFactory(email="comparer@edn.example", is_staff=True)
    page.goto("/accounts/login/?next=" + next_url)
    page.get_by_label("E-mail address").fill("comparer@edn.example")
    page.get_by_label("Password").fill("correct horse 42")
    page.get_by_role("button", name="Sign in").click()


def test_the_comparison_map_marks_every_new_tie(page, demo_rounds, screenshot):
    sign_in(page, COMPARE_URL)
    expect(page.locator("[data-map-ready]")).to_have_count(1)

    changed = page.request.get("/staff/rounds/2026/compare/2025.json").json()
    marked = page.evaluate("window.ednMap.highlight.counts[0]")

    assert marked == len(changed["new"]) > 0
    legend = page.locator("[data-map-legend]")
    expect(legend).to_contain_text(f"New ties{len(changed['new'])}")
    expect(page.get_by_role("heading", name="Round figures")).to_be_visible()
    screenshot("compare")

    page.get_by_role("list", name="Ties marked on the map").get_by_role(
        "link", name="Strengthened ties"
    ).click()
    page.wait_for_url("**mark=strengthened**")
    expect(page.locator("[data-map-ready]")).to_have_count(1)
    marked = page.evaluate("window.ednMap.highlight.counts[0]")
    assert marked == len(changed["strengthened"])


def test_a_download_from_the_exports_page_is_logged(page, demo_rounds, screenshot):
    sign_in(page, EXPORTS_URL)
    expect(page.get_by_role("heading", name="Recent exports")).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name="Anonymized GEXF").click()
    download = info.value

    assert download.suggested_filename.startswith("edn-2026-")
    assert download.suggested_filename.endswith("-anonymized.gexf")
    (entry,) = ExportLog.objects.all()
    assert (entry.user_email, entry.format, entry.variant) == (
        "comparer@edn.example",
        "gexf",
        "anonymized",
    )
    page.reload()
    expect(page.locator(".edn-log-table")).to_contain_text("comparer@edn.example")
    screenshot("exports")
