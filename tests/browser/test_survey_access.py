"""Every survey page checked with axe-core at desktop and phone widths, and
for sideways scrolling on a phone."""

import pytest
from playwright.sync_api import expect

from surveys.access import new_token
from surveys.models import (
    Aspiration,
    CollaborationLevel,
    Invitation,
    LifeCycleStage,
    Practice,
)
from tests.browser.axe import load_axe, severe_violations
from tests.factories import (
    MembershipFactory,
    NominationFactory,
    OrganizationFactory,
    PracticeFactory,
    ResponseFactory,
    RoundFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STEPS = [
    "organization",
    "partners",
    "partner-details",
    "aspirations",
    "practices",
    "visibility",
    "review",
]
WIDTHS = [1280, 375]
LONG_NAME = "Northside Health Collaborative for Families and Neighbourhoods"


@pytest.fixture
def answered(db):
    """Return a half-answered response and a working link to it."""
    round_ = RoundFactory(name="2026", slug="2026")
    northside = OrganizationFactory(name=LONG_NAME)
    food_bank = OrganizationFactory(name="Eastside Food Bank", short_name="EFB")
    library = OrganizationFactory(name="Valley Public Library")
    for member in [northside, food_bank, library]:
        round_.roster_entries.create(organization=member)
    MembershipFactory(organization=northside, user__email="ana@northside.example")
    UserFactory(email="staff@edn.example", is_staff=True)

    response = ResponseFactory(round=round_, organization=northside)
    NominationFactory(
        response=response,
        partner=food_bank,
        collaboration_level=CollaborationLevel.COLLABORATION,
        sends_referrals=True,
    )
    NominationFactory(
        response=response,
        partner=None,
        write_in_name="Southern Counties Interfaith Housing Cooperative Network",
        write_in_key="southern counties interfaith housing cooperative network",
    )
    Aspiration.objects.create(response=response, organization=library)
    PracticeFactory(
        response=response,
        suggestion="planning-community-questions",
        consent=Practice.Consent.NAMED,
    )
    PracticeFactory(
        response=response,
        suggestion="",
        stage=LifeCycleStage.REPORTING,
        text="We read our annual report aloud at the neighbourhood meeting "
        "before it is printed, and change what people say is wrong.",
        consent=Practice.Consent.NAMED,
    )

    token, token_hash = new_token()
    Invitation.objects.create(
        round=round_,
        organization=northside,
        email="ana@northside.example",
        token_hash=token_hash,
    )
    return response, f"/i/{token}/"


def resize(page, width):
    page.set_viewport_size({"width": width, "height": 800})


def sideways_overflow(page):
    """Return how many pixels the page is wider than the phone's screen."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def check(page, screenshot, name, width):
    """Assert no severe axe violations and, on a phone, no sideways scroll."""
    assert severe_violations(page) == [], f"{name} at {width}px"
    if width < 576:
        assert sideways_overflow(page) <= 0, f"{name} scrolls sideways"
    screenshot(f"{name}-{width}")


def test_invitation_and_every_step_pass_axe_at_both_widths(page, screenshot, answered):
    response, link = answered

    for width in WIDTHS:
        resize(page, width)
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_contain_text(LONG_NAME)
        check(page, screenshot, "confirm", width)

    page.get_by_role("button", name="Continue to the survey").click()
    expect(page.get_by_role("heading", name="About your organization")).to_be_visible()
    for width in WIDTHS:
        resize(page, width)
        for slug in STEPS:
            page.goto(f"/survey/{response.pk}/{slug}/")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            check(page, screenshot, slug, width)

        page.goto(f"/survey/{response.pk}/partners/?q=eastsde")
        expect(page.get_by_role("button", name="Add")).to_be_visible()
        check(page, screenshot, "search-results", width)


def test_failed_steps_and_the_thank_you_page_pass_axe(page, screenshot, answered):
    response, link = answered
    page.goto(link)
    page.get_by_role("button", name="Continue to the survey").click()

    for width in WIDTHS:
        resize(page, width)
        page.goto(f"/survey/{response.pk}/partners/")
        page.get_by_text("Not on the list? Add it by name").click()
        page.get_by_label("Organization not in the list").fill(
            "Valley Public Libraries"
        )
        page.get_by_label("Organization not in the list").press("Enter")
        expect(page.get_by_text("Did you mean one of these")).to_be_visible()
        check(page, screenshot, "did-you-mean", width)

        page.goto(f"/survey/{response.pk}/review/")
        page.get_by_role("button", name="Submit answers").click()
        expect(page.get_by_role("alert")).to_contain_text("Please tick the box")
        check(page, screenshot, "review-error", width)

    page.get_by_label("We agree that EDN stores these answers").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("your answers are submitted")).to_be_visible()
    for width in WIDTHS:
        resize(page, width)
        page.reload()
        check(page, screenshot, "submitted", width)


def test_save_status_in_every_state_passes_axe(page, screenshot, answered):
    response, link = answered
    page.goto(link)
    page.get_by_role("button", name="Continue to the survey").click()
    status = page.locator("#save-status[role=status][aria-live=polite]")

    for width in WIDTHS:
        resize(page, width)
        page.goto(f"/survey/{response.pk}/practices/")
        # axe-core comes from the server, so it is loaded before going offline.
        load_axe(page)
        page.context.set_offline(True)
        page.get_by_label("Tell us about one practice").fill("We share first.")
        expect(status).to_contain_text("Connection lost — retrying")
        check(page, screenshot, "save-offline", width)

        page.context.set_offline(False)
        expect(status).to_have_text("Saved", timeout=10_000)
        check(page, screenshot, "saved", width)

    other_tab = page.context.new_page()
    other_tab.goto(f"/survey/{response.pk}/practices/")
    other_tab.get_by_label("Tell us about one practice").fill("From the other tab.")
    expect(other_tab.locator("#save-status")).to_have_text("Saved")
    other_tab.close()
    page.get_by_label("Tell us about one practice").fill("From this tab.")
    expect(status).to_contain_text("changed")
    expect(status.get_by_role("button", name="Reload")).to_be_visible()
    check(page, screenshot, "save-stale", 375)


def test_dead_link_and_my_surveys_pass_axe(page, screenshot, answered):
    for width in WIDTHS:
        resize(page, width)
        page.goto("/i/not-a-real-token/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "This link no longer works"
        )
        check(page, screenshot, "dead-link", width)

    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill("ana@northside.example")
    page.get_by_label("Password").fill("correct horse 42")
    page.get_by_role("button", name="Sign in").click()
    for width in WIDTHS:
        resize(page, width)
        page.goto("/survey/")
        expect(page.get_by_role("heading", name="My surveys")).to_be_visible()
        check(page, screenshot, "my-surveys", width)
