"""Sign-in, lockout, password and rate-limit pages in Chromium: each one
reads right, passes axe, and the survey shows a 429 without losing the change."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from playwright.sync_api import expect

from surveys.models import Response
from tests.browser.axe import severe_violations
from tests.factories import MembershipFactory, OrganizationFactory, RoundFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "ana@northside.example"
PASSWORD = "correct horse 42"
NEW = "lantern orchard 1987"
WAIT = re.compile(
    "Too many requests in a short time. Please wait \\d+ (second|minute|hour)"
)
SAVES = re.compile("Too many saves in a short time. Your change is kept here")


@pytest.fixture
def response(db):
    """Return a member's draft response in an open round."""
    round_ = RoundFactory(name="2026", slug="2026")
    organization = OrganizationFactory(name="Northside Health Collaborative")
    for name in ("Eastside Food Bank", "Eastside Library"):
        round_.roster_entries.create(organization=OrganizationFactory(name=name))
    round_.roster_entries.create(organization=organization)
    MembershipFactory(organization=organization, user__email=EMAIL)
    return Response.objects.create(round=round_, organization=organization)


def try_sign_in(page, password):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def check(page, screenshot, name):
    assert severe_violations(page) == [], name
    screenshot(name)


def test_sign_in_failure_and_lockout_pages(page, response, screenshot):
    try_sign_in(page, "wrong password")
    expect(page.get_by_text("Please enter a correct e-mail address")).to_be_visible()
    expect(page.get_by_role("link", name="Forgot your password?")).to_be_visible()
    check(page, screenshot, "failed")

    for _ in range(4):
        try_sign_in(page, "wrong password")
    try_sign_in(page, PASSWORD)

    expect(page.get_by_role("heading", name="Sign-in paused")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    check(page, screenshot, "locked-out")


def test_password_reset_by_e_mail_then_change(page, response, screenshot):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    check(page, screenshot, "ask")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    check(page, screenshot, "sent")

    path = re.search(r"/accounts/password/reset/\S+", mail.outbox[0].body)[0]
    page.goto(path)
    page.locator("#id_new_password1").fill("1234567890")
    page.locator("#id_new_password2").fill("1234567890")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("This password is entirely numeric.")).to_be_visible()
    check(page, screenshot, "weak")
    page.locator("#id_new_password1").fill(NEW)
    page.locator("#id_new_password2").fill(NEW)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Password set")).to_be_visible()
    check(page, screenshot, "set")

    page.goto(path)
    expect(page.get_by_text("This link does not work")).to_be_visible()
    check(page, screenshot, "used-link")

    try_sign_in(page, NEW)
    page.get_by_role("button", name="Account").click()
    page.get_by_role("link", name="Change password").click()
    check(page, screenshot, "change")
    page.locator("#id_old_password").fill(NEW)
    page.locator("#id_new_password1").fill(PASSWORD + " again")
    page.locator("#id_new_password2").fill(PASSWORD + " again")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    check(page, screenshot, "changed")


@override_settings(RATE_LIMIT_SIGN_IN="1/d")
def test_too_many_sign_ins_get_the_429_page(page, response, screenshot):
    try_sign_in(page, "wrong password")
    try_sign_in(page, PASSWORD)

    expect(page.get_by_role("heading", name="Too many requests")).to_be_visible()
    expect(page.get_by_text(WAIT)).to_be_visible()
    check(page, screenshot, "429")


@override_settings(RATE_LIMIT_AUTOSAVE="1/d")
def test_a_refused_autosave_says_so_and_keeps_the_change(page, response, screenshot):
    try_sign_in(page, PASSWORD)
    page.goto(f"/survey/{response.pk}/organization/")
    field = page.get_by_label("Area you serve")
    status = page.locator("#save-status")
    field.fill("North county")
    expect(status).to_have_text("Saved")

    field.fill("North county and the river townships")

    expect(status).to_have_text(SAVES)
    expect(field).to_have_value("North county and the river townships")
    assert Response.objects.get(pk=response.pk).service_area == "North county"
    check(page, screenshot, "autosave-429")


@override_settings(RATE_LIMIT_SEARCH="1/d")
def test_a_refused_search_says_so_in_place_of_the_results(page, response, screenshot):
    try_sign_in(page, PASSWORD)
    page.goto(f"/survey/{response.pk}/partners/")
    search = page.get_by_label("Find an organization you work with")
    results = page.locator("#search-results")
    search.fill("Eastside")
    expect(results).to_contain_text("Eastside Food Bank")

    search.fill("Eastside Lib")

    expect(results).to_contain_text(WAIT)
    check(page, screenshot, "search-429")
