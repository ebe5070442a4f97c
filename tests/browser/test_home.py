"""The home page and the sign-in form, as a person sees them in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import RosterEntryFactory, RoundFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_home_page_shows_the_round_card(page, screenshot):
    survey_round = RoundFactory(name="2026")
    RosterEntryFactory.create_batch(4, round=survey_round)

    page.goto("/")

    card = page.locator(".edn-round-card")
    expect(card).to_be_visible()
    expect(card.get_by_role("heading")).to_have_text("Round 2026")
    expect(card).to_contain_text("0 of 4 invited organizations have answered.")
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    screenshot("home")


def test_staff_signs_in_through_the_form_and_reaches_the_admin(page, screenshot):
    UserFactory(email="coordinator@edn.example", is_staff=True, is_superuser=True)

    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("E-mail address").fill("coordinator@edn.example")
    page.get_by_label("Password").fill("correct horse 42")
    screenshot("login")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Equitable Data Network")).to_be_visible()
    screenshot("admin")


def test_the_footer_switches_every_page_to_spanish_and_back(page, screenshot):
    survey_round = RoundFactory(name="2026")
    RosterEntryFactory.create_batch(4, round=survey_round)
    page.goto("/accounts/login/")

    page.get_by_role("button", name="Español").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    page.goto("/")
    expect(page.locator(".edn-round-card")).to_contain_text(
        "0 de 4 organizaciones invitadas han respondido."
    )
    expect(page.get_by_role("button", name="Español")).to_have_attribute(
        "aria-pressed", "true"
    )
    screenshot("home-spanish")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Round 2026")).to_be_visible()
