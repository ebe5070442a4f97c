"""A demo member sees their organization's network and the shared map."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from organizations.models import Organization
from participants.visibility import RoundView, Viewer
from surveys.demo import DEMO_PASSWORD
from surveys.models import Response, Round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MEMBER = "contact@old-town-medical-center.example"


@pytest.fixture
def demo(db):
    call_command("load_demo", "--reset", verbosity=0)
    call_command("rebuild_network", "--round", "2026", verbosity=0)
    return Round.objects.get(slug="2026")


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_member_sees_ego_map_and_an_anonymous_organization_without_its_name(
    page, screenshot, demo
):
    anonymous = (
        Response.objects.filter(round=demo, status="submitted", visibility="anonymous")
        .select_related("organization")
        .first()
        .organization
    )
    member = Organization.objects.get(memberships__user__email=MEMBER)
    label = RoundView(demo, Viewer(False, frozenset([member.pk]))).label(anonymous.pk)

    sign_in(page, MEMBER)
    page.get_by_role("link", name="My organization").first.click()

    expect(page.get_by_role("heading", name=member.name)).to_be_visible()
    expect(page.locator("#ego-map [data-map-ready='true']")).to_be_attached()
    expect(page.locator("#ego-map [data-map-panel-title]")).to_have_text(member.name)
    near = page.locator("#ego-map [data-map-counts]").get_attribute(
        "data-visible-nodes"
    )
    screenshot("distance-1")
    page.get_by_role("link", name="Partners of partners").click()
    expect(page.locator("#ego-map")).to_have_attribute("data-distance", "2")
    expect(page.locator("#ego-map [data-map-ready='true']")).to_be_attached()
    far = page.locator("#ego-map [data-map-counts]").get_attribute("data-visible-nodes")
    assert int(far) > int(near)
    screenshot("distance-2")

    page.get_by_role("link", name="Shared map").click()
    expect(page.locator("#shared-map [data-map-ready='true']")).to_be_attached()
    page.get_by_label("Find an organization").fill(label)
    page.get_by_role("button", name="Find", exact=True).click()
    expect(page.locator("[data-map-panel-title]")).to_have_text(label)
    page.get_by_label("Search", exact=True).fill(label)
    page.get_by_role("button", name="Filter").click()

    row = page.locator("table.edn-table tbody tr").first
    expect(row).to_contain_text(label)
    expect(page.locator("body")).not_to_contain_text(anonymous.name)
    screenshot("explorer")
