"""From a survey practice to its published guide entry, in Chromium, checked
with axe-core on every page of the guide and the exchange."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guide.models import Reflection, Reply
from surveys.models import Practice, Response, Round, Visibility
from tests.browser.axe import load_axe
from tests.factories import (
    MembershipFactory,
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

PRACTICE = "Before a project starts, residents choose the questions we ask."


@pytest.fixture
def practice(db):
    organization = OrganizationFactory(name="Northside Health Collaborative")
    MembershipFactory(organization=organization, user__email="member@northside.example")
    UserFactory(email="staff@edn.example", is_staff=True, is_superuser=True)
    closed = RoundFactory(name="2025", slug="2025", status=Round.Status.CLOSED)
    response = ResponseFactory(
        organization=organization,
        round=closed,
        status=Response.Status.SUBMITTED,
        submitted_at=timezone.now(),
        visibility=Visibility.ANONYMOUS,
    )
    return PracticeFactory(
        response=response,
        stage="planning",
        text=PRACTICE,
        consent=Practice.Consent.NAMED,
    )


def sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("correct horse 42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def assert_accessible(page):
    """Run axe-core on the page and fail on any violation."""
    load_axe(page)
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    assert violations == [], page.url


def test_staff_publish_a_survey_practice_and_a_member_reads_it(
    page, screenshot, practice
):
    sign_in(page, "staff@edn.example")
    page.goto("/guide/review/")
    expect(page.get_by_text(PRACTICE)).to_be_visible()
    assert_accessible(page)
    screenshot("review-queue")

    page.get_by_role("link", name=re.compile("^Review")).first.click()
    expect(page.get_by_role("heading", name="Review a practice")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("Residents choose the questions")
    page.get_by_label("Community voice").check()
    screenshot("review-submission")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(
        page.get_by_text("Published “Residents choose the questions”.")
    ).to_be_visible()

    sign_in(page, "member@northside.example")
    page.get_by_role("link", name="Practice guide").first.click()
    assert_accessible(page)
    screenshot("guide-home")
    page.get_by_role("link", name=re.compile("Planning and governance")).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Residents choose the questions").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Residents choose the questions"
    )
    expect(page.get_by_text(PRACTICE)).to_be_visible()
    expect(page.get_by_text("Northside Health Collaborative")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="We use this").click()
    expect(page.get_by_role("button", name="We use this")).to_have_attribute(
        "aria-pressed", "true"
    )
    screenshot("entry")

    page.goto("/guide/print/")
    expect(page.get_by_role("button", name="Print / save as PDF")).to_be_visible()
    assert_accessible(page)


def test_exchange_and_digest_pages_are_accessible(page, screenshot, practice):
    member = practice.response.organization.memberships.get().user
    reflection = Reflection.objects.create(
        author=member,
        organization=practice.response.organization,
        title="What changed after our first data-use agreement",
        body="We *expected* delays.\n\n- It sped us up.",
        round=practice.response.round,
    )
    Reply.objects.create(reflection=reflection, author=member, body="Same here.")

    sign_in(page, "staff@edn.example")
    page.goto("/exchange/")
    assert_accessible(page)
    page.get_by_role("button", name="Generate the digest of round 2025").click()
    expect(page.get_by_role("heading", name="What round 2025 changed")).to_be_visible()
    assert_accessible(page)
    screenshot("digest")

    sign_in(page, "member@northside.example")
    page.goto("/exchange/")
    page.get_by_role("link", name=reflection.title).click()
    expect(page.get_by_text("Same here.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your reply").fill("Thank you for **sharing**.")
    page.get_by_role("button", name="Reply").click()
    expect(page.locator("strong", has_text="sharing")).to_be_visible()
    screenshot("reflection")
    page.goto("/exchange/new/")
    assert_accessible(page)
