"""Autosave through a lost connection, in Chromium: the change is kept, the
page says it is retrying, and the typed value reaches the database, also
across a reload during the outage."""

import json

import pytest
from playwright.sync_api import expect

from surveys.models import Response
from tests.factories import MembershipFactory, OrganizationFactory, RoundFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RETRYING = "Connection lost — retrying…"
AREA = "Eastside and the river townships"


@pytest.fixture
def response(db):
    """Return a member's draft response in an open round; the member signs in."""
    round_ = RoundFactory(name="2026", slug="2026")
    organization = OrganizationFactory(name="Northside Health Collaborative")
    round_.roster_entries.create(organization=organization)
    MembershipFactory(organization=organization, user__email="ana@northside.example")
    return Response.objects.create(round=round_, organization=organization)


def sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill("ana@northside.example")
    page.get_by_label("Password").fill("correct horse 42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def is_autosave(route):
    request = route.request
    return request.method == "POST" and request.headers.get("x-edn-autosave") == "1"


def test_failed_autosaves_are_retried_until_saved(page, response, screenshot):
    sign_in(page)
    page.goto(f"/survey/{response.pk}/organization/")
    failures = []

    def fail_three_times(route):
        if not is_autosave(route) or len(failures) >= 3:
            route.continue_()
            return
        failures.append(route.request.post_data)
        if len(failures) == 2:
            route.fulfill(
                status=503,
                headers={"Retry-After": "1"},
                content_type="application/json",
                body=json.dumps({"error": "database unavailable", "retry": True}),
            )
        else:
            route.abort("connectionreset")

    page.route(f"**/survey/{response.pk}/organization/", fail_three_times)
    field = page.get_by_label("Area you serve")
    field.fill(AREA)
    status = page.locator("#save-status[role=status][aria-live=polite]")

    expect(status).to_have_text(RETRYING)
    screenshot("retrying")
    expect(field).to_have_value(AREA)
    assert Response.objects.get(pk=response.pk).service_area == ""

    expect(status).to_have_text("Saved", timeout=20_000)
    assert len(failures) == 3
    assert all(AREA in body for body in failures)
    stored = Response.objects.get(pk=response.pk)
    assert stored.service_area == AREA
    assert stored.version == 2
    expect(field).to_have_value(AREA)


def test_a_reload_during_the_outage_keeps_the_unsaved_change(page, response):
    sign_in(page)
    page.goto(f"/survey/{response.pk}/organization/")
    page.on("dialog", lambda dialog: dialog.accept())

    def outage(route):
        if is_autosave(route):
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(f"**/survey/{response.pk}/organization/", outage)
    page.get_by_label("Area you serve").fill(AREA)
    status = page.locator("#save-status")
    expect(status).to_have_text(RETRYING)

    page.reload()

    expect(page.get_by_label("Area you serve")).to_have_value(AREA)
    expect(status).to_have_text(RETRYING)
    assert Response.objects.get(pk=response.pk).service_area == ""

    page.unroute(f"**/survey/{response.pk}/organization/")
    expect(status).to_have_text("Saved", timeout=20_000)
    assert Response.objects.get(pk=response.pk).service_area == AREA
    kept = page.evaluate("Object.keys(window.localStorage)")
    assert not [key for key in kept if key.startswith("edn-unsaved:")]

    page.reload()
    expect(page.get_by_label("Area you serve")).to_have_value(AREA)
    expect(status).to_be_empty()
