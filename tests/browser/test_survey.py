"""The partnership survey in Chromium: from the invitation e-mail to a
submitted response on the staff page, what a link may not open, and the
partner search by keyboard."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from network.models import NetworkSnapshot, RoundNetworkState
from surveys.models import Nomination, Practice, Response
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    ResponseFactory,
    RoundFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LINK = re.compile(r"https?://\S+/i/[\w-]+/")
PHONE = {"width": 375, "height": 740}
STORY = "Residents chose the three questions our annual count answers."


@pytest.fixture
def survey_round(db):
    """Return an open round of five organizations, two with a contact."""
    round_ = RoundFactory(name="2026", slug="2026")
    northside = OrganizationFactory(name="Northside Health Collaborative")
    riverbend = OrganizationFactory(name="Riverbend Housing Alliance")
    food_bank = OrganizationFactory(
        name="Eastside Food Bank", short_name="EFB", aliases=["Eastside Pantry"]
    )
    library = OrganizationFactory(name="Valley Public Library")
    youth = OrganizationFactory(name="Hilltop Youth Club")
    for member in [northside, riverbend, food_bank, library, youth]:
        round_.roster_entries.create(organization=member)
    MembershipFactory(organization=northside, user__email="ana@northside.example")
    MembershipFactory(organization=riverbend, user__email="ben@riverbend.example")
    UserFactory(email="staff@edn.example", is_staff=True)
    return round_


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("correct horse 42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.context.clear_cookies()


def invite_by_hand(page, organization_name):
    """Send one organization's invitation from the staff invitations page."""
    page.goto("/staff/rounds/2026/invitations/")
    page.get_by_label(organization_name).check()
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_role("button", name="Send 1 e-mail").click()
    expect(page.get_by_role("heading", name="Invitations · 2026")).to_be_visible()


def link_path_sent_to(address):
    """Return the path of the survey link in the last e-mail to an address."""
    message = [m for m in mail.outbox if address in m.to][-1]
    return urlsplit(LINK.search(message.body).group()).path


def wait_saved(page):
    expect(page.locator("#save-status")).to_have_text("Saved")


def next_step(page, title):
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def add_from_search(page, name):
    """Press Add beside an organization in the search results."""
    results = page.locator("#search-results").get_by_role("listitem")
    results.filter(has_text=name).get_by_role("button", name="Add").click()


def card(page, partner):
    return page.get_by_role("group", name=re.compile(f"^{re.escape(partner)}"))


def test_respondent_answers_every_step_from_the_email_and_staff_see_it_submitted(
    page, screenshot, survey_round
):
    sign_in(page, "staff@edn.example")
    invite_by_hand(page, "Northside Health Collaborative")
    sign_out(page)
    link = link_path_sent_to("ana@northside.example")

    page.set_viewport_size(PHONE)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You are answering for Northside Health Collaborative"
    )
    screenshot("1-confirm")
    page.get_by_role("button", name="Continue to the survey").click()
    assert "/i/" not in page.url

    # 1. About your organization
    expect(page.get_by_role("heading", level=1)).to_have_text("About your organization")
    # The autosave listens once survey.js has run: type after the load.
    page.wait_for_load_state("load")
    page.get_by_label("Sector").select_option(label="Social & Community Service")
    page.get_by_label("Size").select_option(label="11–50 staff")
    page.get_by_label("Area you serve").fill("North county")
    page.get_by_label("Food", exact=True).check()
    page.get_by_label("Case management").check()
    wait_saved(page)
    screenshot("2-organization")
    next_step(page, "Your partners")

    # 2. Your partners: two from the search box, one written in
    search = page.get_by_label("Find an organization you work with")
    search.fill("eastsde")
    add_from_search(page, "Eastside Food Bank")
    expect(page.locator("#partners")).to_contain_text("Eastside Food Bank")
    expect(search).to_be_focused()
    search.fill("riverbend")
    add_from_search(page, "Riverbend Housing Alliance")
    expect(page.locator("#partners")).to_contain_text("Riverbend Housing Alliance")
    expect(search).to_be_focused()

    page.get_by_text("Not on the list? Add it by name").click()
    page.get_by_label("Organization not in the list").fill("Valley Public Libraries")
    page.get_by_role("button", name="Add", exact=True).click()
    question = page.locator("#did-you-mean")
    expect(question).to_contain_text("Did you mean one of these")
    expect(question).to_contain_text("Valley Public Library")
    expect(question).to_be_focused()
    screenshot("3-did-you-mean")
    question.get_by_role("button", name=re.compile("^No, add")).click()
    expect(page.locator("#partners")).to_contain_text("Valley Public Libraries")
    expect(page.get_by_role("heading", name="Your partners (3)")).to_be_visible()
    screenshot("4-partners")
    next_step(page, "About each partner")

    # 3. About each partner, with a reload halfway through
    food_bank = card(page, "Eastside Food Bank")
    food_bank.get_by_label("Level").select_option(label="Collaboration")
    food_bank.get_by_label("How often").select_option(label="Weekly or more")
    food_bank.get_by_label("Data we share").select_option(label="Record-level data")
    food_bank.get_by_label("Data-use agreement").select_option(label="Signed")
    food_bank.get_by_label("We refer clients to them").check()
    food_bank.get_by_label("They refer clients to us").check()
    food_bank.get_by_text("More: services, trust and value").click()
    food_bank.get_by_label("Food", exact=True).check()
    food_bank.get_by_label("Trust (optional, 1–4)").select_option("4")
    food_bank.get_by_label("Value to you (optional, 1–4)").select_option("3")
    wait_saved(page)

    page.reload()
    food_bank = card(page, "Eastside Food Bank")
    expect(food_bank.get_by_label("Level")).to_have_value("collaboration")
    expect(food_bank.get_by_label("How often")).to_have_value("weekly")
    expect(food_bank.get_by_label("Data-use agreement")).to_have_value("signed")
    expect(food_bank.get_by_label("They refer clients to us")).to_be_checked()
    expect(food_bank.get_by_label("Trust (optional, 1–4)")).to_have_value("4")

    riverbend = card(page, "Riverbend Housing Alliance")
    riverbend.get_by_label("Level").select_option(label="Coordination")
    riverbend.get_by_label("How often").select_option(label="Monthly")
    riverbend.get_by_label("We would like to deepen this").check()
    library = card(page, "Valley Public Libraries")
    library.get_by_label("How often").select_option(label="Once or twice a year")
    wait_saved(page)
    screenshot("5-partner-details")
    next_step(page, "Organizations you would like to work with")

    # 4. Organizations you would like to work with
    page.get_by_label("Find an organization you would like to work with").fill(
        "hiltop youth"
    )
    add_from_search(page, "Hilltop Youth Club")
    expect(page.locator("#wishes")).to_contain_text("Hilltop Youth Club")
    screenshot("6-aspirations")
    next_step(page, "Equitable data practices")

    # 5. Practices, a story and consent to publish it
    page.get_by_label(
        "We ask the people the data is about which questions it should answer."
    ).check()
    page.get_by_label("Tell us about one practice you are proud of").fill(STORY)
    page.get_by_label("Which stage is your story mostly about?").select_option(
        label="Planning"
    )
    page.get_by_label("Publish without our name").check()
    screenshot("7-practices")
    # Straight on, while the last changes may still be saving.
    next_step(page, "Who may see your answers")

    # 6. Who may see the answers
    page.get_by_role("radio", name=re.compile("^Anonymous to participants")).check()
    page.get_by_label("The EDN team may contact us about our answers.").check()
    wait_saved(page)
    screenshot("8-visibility")

    # The reload midway: every step still holds its answers.
    page.reload()
    expect(
        page.get_by_role("radio", name=re.compile("^Anonymous to participants"))
    ).to_be_checked()
    page.get_by_role("link", name="Step 5: Practices").click()
    expect(page.get_by_label("Tell us about one practice")).to_have_value(STORY)
    expect(page.get_by_label("Publish without our name")).to_be_checked()
    page.get_by_role("link", name="Step 1: Organization").click()
    expect(page.get_by_label("Area you serve")).to_have_value("North county")
    expect(page.get_by_label("Case management")).to_be_checked()

    # 7. Review and submit
    page.get_by_role("link", name="Step 7: Submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review and submit")
    partners = page.get_by_role("table", name="Your partners")
    expect(partners).to_contain_text("Eastside Food Bank")
    expect(partners).to_contain_text("Valley Public Libraries")
    expect(page.get_by_text(STORY)).to_be_visible()
    expect(page.get_by_text("Hilltop Youth Club")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the review page scrolls sideways on a phone"
    )
    screenshot("9-review")
    page.get_by_label("We agree that EDN stores these answers").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("your answers are submitted")).to_be_visible()
    screenshot("10-submitted")

    response = Response.objects.get(organization__name="Northside Health Collaborative")
    assert response.is_submitted
    assert response.visibility == "anonymous"
    assert response.consent_to_contact
    assert sorted(n.partner_name for n in response.nominations.all()) == [
        "Eastside Food Bank",
        "Riverbend Housing Alliance",
        "Valley Public Libraries",
    ]
    tie = response.nominations.get(partner__name="Eastside Food Bank")
    assert (tie.collaboration_level, tie.frequency, tie.trust) == (
        "collaboration",
        "weekly",
        4,
    )
    assert Nomination.objects.filter(write_in_name="Valley Public Libraries").exists()
    assert response.practices.filter(consent=Practice.Consent.UNNAMED).count() == 2
    assert response.aspirations.get().organization.name == "Hilltop Youth Club"
    assert RoundNetworkState.objects.get(round=survey_round).generation == 1
    assert NetworkSnapshot.objects.filter(
        round=survey_round, status=NetworkSnapshot.Status.READY
    ).exists()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.context.clear_cookies()
    sign_in(page, "staff@edn.example")
    page.goto("/staff/rounds/2026/invitations/")
    row = page.get_by_role("row").filter(has_text="Northside Health Collaborative")
    expect(row).to_contain_text("Submitted")
    screenshot("11-staff")


def test_a_link_opens_its_own_response_and_neither_another_nor_the_admin(
    page, survey_round
):
    riverbend = survey_round.roster.get(name="Riverbend Housing Alliance")
    other = ResponseFactory(round=survey_round, organization=riverbend)
    sign_in(page, "staff@edn.example")
    invite_by_hand(page, "Northside Health Collaborative")
    sign_out(page)

    page.goto(link_path_sent_to("ana@northside.example"))
    page.get_by_role("button", name="Continue to the survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About your organization")
    expect(
        page.get_by_text("Answering for Northside Health Collaborative")
    ).to_be_visible()

    for path in [f"/survey/{other.pk}/", f"/survey/{other.pk}/partners/"]:
        answer = page.goto(path)
        assert answer.status == 404, path
        expect(page.get_by_text("Riverbend Housing Alliance")).to_have_count(0)
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(
        f"/survey/{other.pk}/organization/",
        form={"version": "1", "service_area": "Taken over"},
        headers={"X-EDN-Autosave": "1", "X-CSRFToken": csrf},
    )
    assert answer.status == 404

    page.goto("/admin/")
    assert urlsplit(page.url).path == "/admin/login/"
    expect(page.get_by_label("Password")).to_be_visible()
    other.refresh_from_db()
    assert other.service_area != "Taken over"


def wait_until_htmx_has_processed(page, selector):
    """Wait until htmx has taken over the elements: before that, Enter on an
    Add button sends its form as a plain page, and focus starts at the top."""
    page.wait_for_function(
        """selector => {
            const found = Array.from(document.querySelectorAll(selector));
            return found.length > 0 && found.every(e => e["htmx-internal-data"]);
        }""",
        arg=selector,
    )


def test_partner_search_works_with_the_keyboard_alone(page, survey_round):
    northside = survey_round.roster.get(name="Northside Health Collaborative")
    sign_in(page, "ana@northside.example")
    response = ResponseFactory(round=survey_round, organization=northside)
    page.goto(f"/survey/{response.pk}/partners/")

    search = page.get_by_label("Find an organization you work with")
    for _ in range(40):
        if search.evaluate("box => box === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(search).to_be_focused()
    page.keyboard.type("valley")
    results = page.locator("#search-results")
    expect(results.get_by_role("button", name="Add")).to_have_count(1)
    wait_until_htmx_has_processed(page, "#search-results [hx-post]")

    page.keyboard.press("ArrowDown")
    expect(results.get_by_role("button", name="Add")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(search).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#partners")).to_contain_text("Valley Public Library")
    expect(search).to_be_focused()

    page.keyboard.type("EFB")
    expect(results).to_contain_text("Eastside Food Bank")
    wait_until_htmx_has_processed(page, "#search-results [hx-post]")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(results.get_by_role("button", name="Add")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#partners")).to_contain_text("Eastside Food Bank")
    assert sorted(n.partner_name for n in response.nominations.all()) == [
        "Eastside Food Bank",
        "Valley Public Library",
    ]
