# ruff: noqa: F811 -- fixtures imported from invitation_setup are used as arguments
import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from edn.celery import app as celery_app
from surveys import tasks
from surveys.invitations import (
    invite_organizations,
    remind_organizations,
    revoke_invitation,
    send_due_reminders,
)
from surveys.models import Invitation, Response, Round, SentEmail
from tests.factories import ResponseFactory
from tests.surveys.invitation_setup import (  # noqa: F401
    clock,
    invite_round,
    link_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(clock, invite_round, organization):
    """Invite Northside's contact and forget the invitation e-mail."""
    invite_organizations(invite_round, [organization.pk])
    mail.outbox.clear()
    return Invitation.objects.get()


def reminders_over(clock, days):
    """Run the periodic check hourly for some days; return the days it sent on."""
    sent_on = []
    for hour in range(days * 24):
        clock.advance(hours=1)
        if send_due_reminders().sent:
            sent_on.append((hour + 1) / 24)
    return sent_on


def test_no_reminder_before_the_first_one_is_due(clock, invited):
    clock.advance(days=6, hours=23)

    assert send_due_reminders().sent == 0
    assert not mail.outbox


def test_the_first_reminder_comes_after_the_rounds_delay(clock, invited):
    clock.advance(days=7)

    outcome = send_due_reminders()

    invited.refresh_from_db()
    assert outcome.sent == 1
    assert mail.outbox[0].to == ["ana@northside.example"]
    assert mail.outbox[0].subject == (
        "Reminder: the 2026 partnership survey for Northside Health Collaborative"
    )
    assert (invited.reminders_sent, invited.last_reminded_at) == (1, clock.now)


def test_reminders_repeat_on_the_cadence_up_to_the_limit(clock, invited):
    assert reminders_over(clock, 29) == [7, 14, 21]

    invited.refresh_from_db()
    assert invited.reminders_sent == 3
    assert SentEmail.objects.filter(kind="reminder").count() == 3


def test_each_round_sets_its_own_cadence(clock, invited, invite_round):
    Round.objects.filter(pk=invite_round.pk).update(
        reminder_after_days=3, reminder_every_days=2, reminder_limit=2
    )

    assert reminders_over(clock, 20) == [3, 5]


def test_the_reminder_carries_the_same_working_link(clock, invite_round, organization):
    invite_organizations(invite_round, [organization.pk])
    clock.advance(days=7)
    send_due_reminders()

    invitation_link, reminder_link = (link_in(m) for m in mail.outbox)
    assert invitation_link == reminder_link


def test_a_draft_is_reminded_to_pick_up_where_it_left_off(
    clock, invited, invite_round, organization
):
    ResponseFactory(round=invite_round, organization=organization)
    clock.advance(days=7)

    send_due_reminders()

    assert "Your answers so far are saved" in mail.outbox[0].body


def test_no_reminder_to_an_organization_that_submitted(
    clock, invited, invite_round, organization
):
    ResponseFactory(
        round=invite_round,
        organization=organization,
        status=Response.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )

    assert reminders_over(clock, 30) == []


def test_no_reminder_once_the_round_is_closed(clock, invited, invite_round):
    invite_round.status = Round.Status.CLOSED
    invite_round.save()

    assert reminders_over(clock, 10) == []


def test_no_reminder_after_the_closing_date(clock, invited, invite_round):
    Round.objects.filter(pk=invite_round.pk).update(
        closes_at=timezone.now() + timezone.timedelta(days=10)
    )

    assert reminders_over(clock, 30) == [7]


def test_no_reminder_for_a_revoked_link(clock, invited):
    revoke_invitation(invited)

    assert reminders_over(clock, 10) == []


def test_running_twice_sends_each_due_reminder_once(clock, invited):
    clock.advance(days=7)

    first, second = send_due_reminders(), send_due_reminders()

    assert (first.sent, second.sent) == (1, 0)
    assert len(mail.outbox) == 1


def test_staff_can_remind_by_hand_before_the_cadence(
    clock, invited, invite_round, organization, staff
):
    clock.advance(days=1)

    outcome = remind_organizations(invite_round, [organization.pk], sender=staff)

    invited.refresh_from_db()
    assert outcome.sent == 1
    assert invited.reminders_sent == 1
    assert SentEmail.objects.get(kind="reminder").sent_by == staff


def test_a_reminder_right_after_the_invitation_waits(invited, invite_round):
    outcome = remind_organizations(invite_round, [invited.organization_id])

    assert outcome.sent == 0
    assert [reason for _who, reason in outcome.skipped] == ["recent"]


def test_staff_reminders_skip_those_who_submitted_or_were_never_invited(
    clock, invited, invite_round, organization, other_organization
):
    ResponseFactory(
        round=invite_round,
        organization=organization,
        status=Response.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    clock.advance(days=1)

    outcome = remind_organizations(invite_round)

    assert outcome.sent == 0
    assert sorted(outcome.skipped) == [
        ("Hilltop Youth Club", "not_invited"),
        ("Northside Health Collaborative", "submitted"),
        ("Riverbend Housing Alliance", "not_invited"),
    ]


def test_the_periodic_task_sends_due_reminders(clock, invited):
    clock.advance(days=7)

    result = tasks.send_due_reminders.delay()

    assert result.get()["sent"] == 1


def test_beat_checks_reminders_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]

    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == 3600
