"""Hostile names and texts stay text in a real browser: maps, panels, guide.

The world of tests/security gives every organization, write-in, practice,
guide entry and post a hostile name or text. Each page is opened in headless
Chromium; no dialog may open, no element may carry a handler or image from
a payload, and the names must be shown as text.
"""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.security.hostile import IMAGE, SCRIPT
from tests.security.hostile_world import build_hostile_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Elements a payload would create if it were parsed as HTML.
PAYLOAD_ELEMENTS = "[onerror], [onload], img[src='x'], svg[onload]"


@pytest.fixture
def world():
    return build_hostile_world()


@pytest.fixture
def dialogs(page):
    """Record every alert, confirm or prompt the page opens."""
    opened = []
    page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))
    return opened


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie,
                "url": live_server.url,
            }
        ]
    )


def assert_inert(page, dialogs):
    page.wait_for_load_state("networkidle")
    assert dialogs == []
    assert page.locator(PAYLOAD_ELEMENTS).count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0


def find_on_map(page, name):
    page.get_by_label("Find an organization").fill(name)
    page.get_by_role("button", name="Find", exact=True).click()
    expect(page.locator("[data-map-panel-title]")).to_have_text(name)


def test_staff_map_explorer_shows_hostile_names_as_text(
    page, live_server, world, dialogs, screenshot
):
    sign_in(page, live_server, world.users["staff"])

    page.goto(f"/staff/rounds/{world.round.slug}/map/")
    expect(page.locator("[data-map-ready]")).to_have_count(1)
    for name in (IMAGE, SCRIPT):
        find_on_map(page, name)
    page.get_by_role("button", name="Table view").click()
    expect(page.locator("[data-map-table]")).to_contain_text(IMAGE)
    expect(page.locator("[data-map-table]")).to_contain_text("=1")
    screenshot("staff-map")

    assert_inert(page, dialogs)


def test_member_ego_map_and_shared_map_show_hostile_names_as_text(
    page, live_server, world, dialogs, screenshot
):
    sign_in(page, live_server, world.users["member"])

    page.goto(f"/my/{world.organization.pk}/")
    # The page's title; the map's panel heading may carry the name too.
    expect(page.get_by_role("heading", name=IMAGE, level=1)).to_be_visible()
    expect(page.locator("#ego-map [data-map-ready='true']")).to_be_attached()
    expect(page.locator("#ego-map [data-map-panel-title]")).to_have_text(IMAGE)
    screenshot("ego-map")
    assert_inert(page, dialogs)

    page.goto(f"/rounds/{world.round.slug}/explorer/")
    expect(page.locator("[data-map-ready='true']")).to_be_attached()
    find_on_map(page, IMAGE)
    screenshot("shared-map")
    assert_inert(page, dialogs)


def test_guide_entry_and_exchange_post_show_hostile_texts_inert(
    page, live_server, world, dialogs
):
    sign_in(page, live_server, world.users["member"])

    page.goto(world.entry.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(world.entry.title)
    expect(page.get_by_text("read more")).to_be_visible()
    assert_inert(page, dialogs)

    page.goto(world.reflection.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(IMAGE)
    assert_inert(page, dialogs)
