"""Responses past their round's retention are deleted, and the map rebuilt."""

import gzip
import io
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from guide.models import Entry, Submission
from network.models import NetworkSnapshot, OrganizationMetrics, SnapshotMap
from network.services import rebuild_round, round_state
from participants.models import AnonymousLabel, TieReview
from surveys import tasks
from surveys.models import Aspiration, Nomination, Practice, Response, Round
from surveys.models.rounds import add_months
from surveys.retention import expired_rounds, purge_expired_responses
from tests.guide.setup import published_entry
from tests.network.builders import roster_round, submit

pytestmark = pytest.mark.django_db

# Words that appear only in the answers, so a search for them finds leftovers.
WRITE_IN = "Quixotic Zebra Pantry"
PRACTICE = "We read the zebra ledger aloud with residents."
NOTE = "The zebra partnership ended last spring."


def answered_round(months_closed, keep_months):
    """Return a closed round with answers of every kind and a built snapshot."""
    closed = timezone.now() - timedelta(days=round(months_closed * 30.5))
    round_, organizations = roster_round(
        3,
        status=Round.Status.CLOSED,
        opens_at=closed - timedelta(days=30),
        closes_at=closed,
        keep_responses_months=keep_months,
    )
    first, second, third = organizations
    response = submit(round_, first, [second], write_ins=[WRITE_IN])
    submit(round_, second, [first, third])
    practice = Practice.objects.create(
        response=response, stage="planning", text=PRACTICE, consent="named"
    )
    Aspiration.objects.create(response=response, organization=third)
    TieReview.objects.create(
        round=round_, organization=second, reporter=first, verdict="disputed", note=NOTE
    )
    AnonymousLabel.objects.create(round=round_, organization=first, number=7)
    rebuild_round(round_.pk)
    return round_, organizations, practice


def rows_of(round_):
    return {
        "responses": Response.objects.filter(round=round_).count(),
        "nominations": Nomination.objects.filter(response__round=round_).count(),
        "practices": Practice.objects.filter(response__round=round_).count(),
        "aspirations": Aspiration.objects.filter(response__round=round_).count(),
        "guide": Submission.objects.filter(practice__response__round=round_).count(),
        "tie_reviews": TieReview.objects.filter(round=round_).count(),
        "labels": AnonymousLabel.objects.filter(round=round_).count(),
    }


def everything_stored():
    """Return the whole database as text, snapshot payloads unzipped."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    text = [out.getvalue()]
    for blob in NetworkSnapshot.objects.values_list("payload", flat=True):
        text.append(gzip.decompress(bytes(blob)).decode() if blob else "")
    for blob in SnapshotMap.objects.values_list("payload", flat=True):
        text.append(gzip.decompress(bytes(blob)).decode() if blob else "")
    return "\n".join(text)


def test_a_round_past_retention_loses_every_answer_and_old_snapshot():
    round_, organizations, practice = answered_round(13, keep_months=12)
    # Staff word the entry themselves; it was published with consent and stays.
    entry = published_entry(
        practice, title="Read the ledger aloud", text="Staff wording of it."
    )
    old_snapshots = list(NetworkSnapshot.objects.filter(round=round_))
    assert WRITE_IN in everything_stored()
    assert all(count for count in rows_of(round_).values())

    purged = purge_expired_responses()

    assert list(purged) == [round_.pk]
    assert set(rows_of(round_).values()) == {0}
    assert not NetworkSnapshot.objects.filter(pk__in=[s.pk for s in old_snapshots])
    stored = everything_stored()
    for words in [WRITE_IN, PRACTICE, NOTE]:
        assert words not in stored
    round_.refresh_from_db()
    assert round_.responses_purged_at is not None
    # The round, its roster and the published guide entry stay.
    assert round_.roster_entries.count() == 3
    assert Entry.objects.filter(pk=entry.pk, status="published").exists()


def test_the_purge_rebuilds_the_map_without_answers():
    round_, organizations, _ = answered_round(13, keep_months=12)
    rebuilds_before = round_state(round_).rebuilds

    purge_expired_responses()

    state = round_state(round_)
    assert state.rebuilds == rebuilds_before + 1
    assert state.built_generation >= state.generation
    snapshot = NetworkSnapshot.objects.get(round=round_)
    assert snapshot.status == NetworkSnapshot.Status.READY
    assert (snapshot.responses_count, snapshot.ties_count) == (0, 0)
    metrics = OrganizationMetrics.objects.filter(snapshot=snapshot)
    assert {m.organization_id for m in metrics} == {o.pk for o in organizations}
    assert not metrics.filter(responded=True).exists()


def test_a_round_within_retention_or_without_one_is_untouched():
    kept, _, _ = answered_round(11, keep_months=12)
    forever, _, _ = answered_round(60, keep_months=None)
    before = {r.pk: rows_of(r) for r in (kept, forever)}
    snapshots = set(NetworkSnapshot.objects.values_list("pk", flat=True))

    assert purge_expired_responses() == {}

    assert {r.pk: rows_of(r) for r in (kept, forever)} == before
    assert set(NetworkSnapshot.objects.values_list("pk", flat=True)) == snapshots
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PURGE).exists()


def test_a_second_purge_finds_nothing_to_do():
    round_, _, _ = answered_round(13, keep_months=12)
    purge_expired_responses()
    snapshot = NetworkSnapshot.objects.get(round=round_)

    assert expired_rounds() == []
    assert purge_expired_responses() == {}
    assert NetworkSnapshot.objects.get(round=round_) == snapshot
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PURGE).count() == 1


def test_a_snapshot_stored_late_by_a_rebuild_begun_before_the_purge_goes_next():
    round_, _, _ = answered_round(13, keep_months=12)
    purge_expired_responses()
    late = NetworkSnapshot.objects.create(
        round=round_, version=99, status="ready", responses_count=2
    )

    assert expired_rounds() == [round_]
    purge_expired_responses()

    assert not NetworkSnapshot.objects.filter(pk=late.pk).exists()
    assert NetworkSnapshot.objects.get(round=round_).responses_count == 0


def test_the_purge_is_in_the_audit_log_with_counts_only():
    round_, _, _ = answered_round(13, keep_months=12)

    purge_expired_responses()

    event = AuditEvent.objects.get(action=AuditEvent.Action.PURGE)
    assert event.actor is None
    assert event.round == round_
    assert event.round_name == round_.name
    assert event.details["responses"] == 2
    assert event.details["nominations"] == 4
    assert event.details["practices"] == 1
    assert event.details["keep_responses_months"] == 12
    for words in [WRITE_IN, PRACTICE, NOTE]:
        assert words not in event.summary
        assert words not in str(event.details)


def test_the_daily_task_purges_and_is_on_the_beat_schedule():
    round_, _, _ = answered_round(25, keep_months=24)

    assert tasks.purge_expired_responses.delay().get() == [round_.pk]

    assert not Response.objects.filter(round=round_).exists()
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-expired-responses"]
    assert schedule["task"] == "surveys.tasks.purge_expired_responses"
    assert schedule["schedule"] == 24 * 60 * 60


def test_the_command_lists_on_a_dry_run_and_purges_without_one():
    round_, _, _ = answered_round(13, keep_months=12)
    out = io.StringIO()

    call_command("purge_expired_responses", "--dry-run", stdout=out)

    assert f"Round {round_.name}: would delete 2 responses" in out.getvalue()
    assert Response.objects.filter(round=round_).count() == 2

    out = io.StringIO()
    call_command("purge_expired_responses", stdout=out)
    assert f"Round {round_.name}: deleted 2 responses" in out.getvalue()
    assert not Response.objects.filter(round=round_).exists()
    out = io.StringIO()
    call_command("purge_expired_responses", stdout=out)
    assert "No round is past its retention" in out.getvalue()


def test_the_purge_date_counts_calendar_months_from_closing():
    closes = timezone.make_aware(datetime(2025, 1, 31, 17, 0))
    round_ = Round(closes_at=closes, keep_responses_months=13)

    assert round_.responses_purge_at == timezone.make_aware(
        datetime(2026, 2, 28, 17, 0)
    )
    assert add_months(closes, 1).day == 28
    assert Round(closes_at=closes).responses_purge_at is None
    assert Round(keep_responses_months=6).responses_purge_at is None


def test_the_dashboard_says_when_responses_will_be_deleted(staff_client):
    round_, _, _ = answered_round(1, keep_months=12)
    due = round_.responses_purge_at

    page = staff_client.get(reverse("network:round_dashboard", args=[round_.slug]))

    text = page.content.decode()
    assert "Responses will be deleted on" in text
    assert f"{due:%Y}" in text
    assert "kept 12 months after the round closes" in text


def test_the_dashboard_says_when_responses_were_deleted(staff_client):
    round_, _, _ = answered_round(13, keep_months=12)
    purge_expired_responses()

    page = staff_client.get(reverse("network:round_dashboard", args=[round_.slug]))

    assert "Responses deleted on" in page.content.decode()


def test_a_round_without_retention_says_responses_are_kept(staff_client):
    round_, _, _ = answered_round(1, keep_months=None)

    page = staff_client.get(reverse("network:round_dashboard", args=[round_.slug]))

    assert "Responses are kept with no end date." in page.content.decode()


def test_admins_set_the_retention_on_the_round(admin_client):
    round_, _, _ = answered_round(1, keep_months=None)
    url = reverse("admin:surveys_round_change", args=[round_.pk])

    page = admin_client.get(url)

    assert 'name="keep_responses_months"' in page.content.decode()
    assert 'name="responses_purged_at"' not in page.content.decode()
