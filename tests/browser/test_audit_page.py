"""The audit log and the round's retention note in Chromium, checked with
axe-core for serious and critical accessibility violations."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audit.log import record_event
from audit.models import AuditEvent
from surveys.models import Round
from tests.browser.axe import severe_violations
from tests.factories import UserFactory
from tests.network.insight_rounds import small_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def staff_page(page):
    spring = small_round()
    coordinator = UserFactory(email="coordinator@edn.example", is_staff=True)
    record_event(
        AuditEvent.Action.ROSTER_IMPORT,
        "Imported roster-2026.xlsx: 42 organizations, 40 contacts, 38 new people",
        actor=coordinator,
        round=spring.round,
    )
    record_event(
        AuditEvent.Action.MERGE,
        "Merged North Side Foodbank into Northside Food Bank",
        actor=coordinator,
        organization="Northside Food Bank",
    )
    record_event(
        AuditEvent.Action.EXPORT,
        "Anonymized gexf export, 8 rows",
        actor=coordinator,
        round=spring.round,
    )
    record_event(
        AuditEvent.Action.PURGE,
        "Responses past retention deleted: 31 responses, 240 nominations, "
        "12 practices, 3 network snapshots",
        round=spring.round,
    )
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill("coordinator@edn.example")
    page.get_by_label("Password").fill("correct horse 42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def test_the_audit_log_filters_without_violations(staff_page, screenshot):
    staff_page.get_by_role("link", name="Audit log").click()

    expect(staff_page.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(staff_page.get_by_text("4 entries")).to_be_visible()
    assert severe_violations(staff_page) == []
    screenshot("log")

    staff_page.get_by_label("Action").select_option(label="Export downloaded")
    staff_page.get_by_role("button", name="Show").click()

    expect(staff_page.get_by_text("1 entry")).to_be_visible()
    expect(staff_page.get_by_text("Anonymized gexf export, 8 rows")).to_be_visible()
    assert severe_violations(staff_page) == []


def test_the_overview_says_when_responses_will_be_deleted(staff_page, screenshot):
    Round.objects.filter(slug="spring").update(
        closes_at=timezone.now() + timedelta(days=1), keep_responses_months=24
    )

    staff_page.goto("/staff/rounds/spring/")

    expect(staff_page.get_by_text("Responses will be deleted on")).to_be_visible()
    assert severe_violations(staff_page) == []
    screenshot("retention")
