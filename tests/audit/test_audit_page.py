"""The audit log page: newest first, filters, pages, CSV, and staff only."""

import csv
import io

import pytest
from django.urls import reverse

from audit.log import record_event
from audit.models import AuditEvent
from tests.factories import RoundFactory

pytestmark = pytest.mark.django_db

URL = reverse("audit:log")
CSV_URL = reverse("audit:log_csv")


def events(count, action=AuditEvent.Action.EXPORT, round=None, actor=None):
    return [
        record_event(action, f"Event {i}", round=round, actor=actor)
        for i in range(count)
    ]


def test_staff_see_entries_newest_first(staff_client, staff):
    spring = RoundFactory(name="Spring 2026")
    record_event(AuditEvent.Action.EXPORT, "Full csv export, 4 rows", actor=staff)
    record_event(AuditEvent.Action.PURGE, "Responses deleted", round=spring)

    page = staff_client.get(URL)

    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("Responses deleted") < text.index("Full csv export, 4 rows")
    assert "staff@edn.example" in text
    assert "EDN (scheduled or command)" in text
    assert "Spring 2026" in text
    assert "2 entries" in text


def test_the_log_filters_by_action_and_round(staff_client):
    spring, autumn = RoundFactory(), RoundFactory()
    record_event(AuditEvent.Action.EXPORT, "Spring export", round=spring)
    record_event(AuditEvent.Action.PURGE, "Spring purge", round=spring)
    record_event(AuditEvent.Action.EXPORT, "Autumn export", round=autumn)

    by_action = staff_client.get(URL, {"action": "network.export"})
    by_both = staff_client.get(URL, {"action": "network.export", "round": autumn.pk})

    assert [e.summary for e in by_action.context["page"]] == [
        "Autumn export",
        "Spring export",
    ]
    assert [e.summary for e in by_both.context["page"]] == ["Autumn export"]


def test_a_filter_it_does_not_know_is_named_and_filters_nothing(staff_client):
    events(2)

    page = staff_client.get(URL, {"action": "everything", "round": "999"})

    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 2
    assert "Select a valid choice" in page.content.decode()


def test_the_log_comes_in_pages_of_fifty_that_keep_the_filter(staff_client):
    events(120)
    events(3, action=AuditEvent.Action.PURGE)

    first = staff_client.get(URL, {"action": "network.export"})
    last = staff_client.get(URL, {"action": "network.export", "page": 3})

    assert len(first.context["page"].object_list) == 50
    assert "action=network.export&amp;page=2" in first.content.decode()
    assert "Page 1 of 3" in first.content.decode()
    assert len(last.context["page"].object_list) == 20
    assert list(last.context["page"])[-1].summary == "Event 0"


def test_an_empty_log_says_nothing_is_recorded_yet(staff_client):
    page = staff_client.get(URL)

    assert "Nothing recorded yet" in page.content.decode()


def test_a_filter_that_matches_nothing_says_so(staff_client):
    events(1)

    page = staff_client.get(URL, {"action": "surveys.responses_purged"})

    assert "No entries match" in page.content.decode()


def test_the_csv_holds_the_filtered_list_and_no_formulas(staff_client, staff):
    spring = RoundFactory(name="=HYPERLINK(1)")
    record_event(AuditEvent.Action.PURGE, "Kept out", round=spring)
    record_event(AuditEvent.Action.MERGE, "@SUM(A1)", actor=staff, organization="+Org")

    response = staff_client.get(CSV_URL, {"action": "organizations.merge"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["when", "who", "action", "round", "organization", "summary"]
    assert rows[1][1:] == [
        "staff@edn.example",
        "organizations.merge",
        "",
        "'+Org",
        "'@SUM(A1)",
    ]
    assert len(rows) == 2


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_only_staff_open_the_log(url, anonymous_client, member_client):
    events(1)

    assert anonymous_client.get(url).url.startswith(reverse("login"))
    assert member_client.get(url).status_code == 403


def test_staff_navigation_links_to_the_log(staff_client, member_client):
    assert URL in staff_client.get(reverse("home")).content.decode()
    assert URL not in member_client.get(reverse("home")).content.decode()


def test_the_admin_shows_entries_but_cannot_change_or_delete_them(staff_client):
    (event,) = events(1)
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])

    listing = staff_client.get(reverse("admin:audit_auditevent_changelist"))
    shown = staff_client.get(change)
    staff_client.post(change, {"summary": "Rewritten", "action": "data.backup"})
    refused = staff_client.post(delete, {"post": "yes"})

    assert listing.status_code == 200
    assert "delete_selected" not in listing.content.decode()
    assert shown.status_code == 200 and 'name="summary"' not in shown.content.decode()
    assert refused.status_code == 403
    event.refresh_from_db()
    assert (event.summary, event.action) == ("Event 0", "network.export")
    assert reverse("admin:audit_auditevent_add") not in listing.content.decode()
