"""The round dashboard, measures table and coverage pages in Chromium, checked
with axe-core for serious and critical accessibility violations."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import load_axe
from tests.factories import UserFactory
from tests.network.insight_rounds import small_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SEVERE = ("serious", "critical")


@pytest.fixture
def staff_page(page):
    small_round()
    UserFactory(email="coordinator@edn.example", is_staff=True)
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill("coordinator@edn.example")
    page.get_by_label("Password").fill("correct horse 42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def severe_violations(page):
    """Run axe-core on the page; return its serious and critical violations."""
    load_axe(page)
    return page.evaluate(
        """async (severe) => (await axe.run(document)).violations
            .filter(v => severe.includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))
        """,
        list(SEVERE),
    )


def test_staff_landing_leads_to_the_dashboard_without_violations(
    staff_page, screenshot
):
    staff_page.goto("/staff/")

    expect(staff_page.get_by_role("heading", name="Round Spring")).to_be_visible()
    expect(
        staff_page.get_by_text("The network splits into 4 fragments").first
    ).to_be_visible()
    assert severe_violations(staff_page) == []
    screenshot("dashboard")


def test_measures_table_sorts_and_has_no_violations(staff_page, screenshot):
    staff_page.goto("/staff/rounds/spring/organizations/")
    staff_page.get_by_role("link", name="Named by").click()

    first = staff_page.locator("tbody tr").first.get_by_role("rowheader")
    expect(first).to_contain_text("Org D")
    assert severe_violations(staff_page) == []
    screenshot("table")


def test_coverage_page_has_no_violations(staff_page, screenshot):
    staff_page.goto("/staff/rounds/spring/coverage/")

    expect(
        staff_page.get_by_role("heading", name="Gateway Food Pantry")
    ).to_be_visible()
    assert severe_violations(staff_page) == []
    screenshot("coverage")


def test_staff_merge_a_write_in_group_after_confirming(staff_page):
    staff_page.goto("/staff/rounds/spring/coverage/")
    staff_page.get_by_role("button", name="Merge…").click()
    expect(
        staff_page.get_by_text("3 respondents will name Gateway Food Pantry")
    ).to_be_visible()

    staff_page.get_by_role("button", name="Merge", exact=True).click()

    expect(staff_page.get_by_role("status").first).to_contain_text(
        "3 nominations now name Gateway Food Pantry."
    )
    expect(staff_page.get_by_text("No write-ins to review.")).to_be_visible()
