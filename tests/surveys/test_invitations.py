# ruff: noqa: F811 -- fixtures imported from invitation_setup are used as arguments
import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from surveys import tasks
from surveys.access import hash_token
from surveys.invitations import invite_organizations, revoke_invitation
from surveys.models import Invitation, Round, SentEmail
from tests.factories import MembershipFactory, OrganizationFactory, RoundFactory
from tests.surveys.invitation_setup import (  # noqa: F401
    clock,
    invite_round,
    link_in,
    path_of,
)

pytestmark = pytest.mark.django_db

SEND = "django.core.mail.EmailMultiAlternatives.send"


def test_inviting_a_round_emails_each_contact_a_personal_link(invite_round, settings):
    settings.SITE_URL = "https://edn.example/"

    outcome = invite_organizations(invite_round)

    assert outcome.sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@northside.example",
        "ben@riverbend.example",
    ]
    links = {link_in(m) for m in mail.outbox}
    assert len(links) == 2
    assert all(link.startswith("https://edn.example/i/") for link in links)
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 2


def test_an_organization_without_a_contact_is_skipped_and_named(invite_round):
    outcome = invite_organizations(invite_round)

    assert outcome.skipped == [("Hilltop Youth Club", "no_contact")]
    assert "Skipped 1: 1 no contact person on record (Hilltop Youth Club)" in (
        outcome.summary()
    )
    assert not Invitation.objects.filter(organization__name="Hilltop Youth Club")


def test_the_email_says_what_the_survey_asks_and_who_sees_answers(
    invite_round, organization
):
    invite_organizations(invite_round, [organization.pk])

    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert message.subject == (
        "Northside Health Collaborative is invited to the 2026 partnership survey"
    )
    closing = invite_round.closes_at.strftime("%Y")
    for text in [message.body, html]:
        assert "Northside Health Collaborative" in text
        assert "2026" in text
        assert closing in text
        assert "which organizations you work with" in text.replace("Which", "which")
        assert "coordinating team only" in text
    assert message.alternatives[0][1] == "text/html"


def test_only_the_hash_of_the_link_is_stored(invite_round, organization):
    invite_organizations(invite_round, [organization.pk])

    token = path_of(link_in(mail.outbox[0])).split("/")[2]
    invitation = Invitation.objects.get(organization=organization)
    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.values().get(pk=invitation.pk))


def test_a_double_click_sends_one_invitation(invite_round, organization):
    first = invite_organizations(invite_round, [organization.pk])
    second = invite_organizations(invite_round, [organization.pk])

    assert (first.sent, second.sent) == (1, 0)
    assert second.skipped == [("Northside Health Collaborative", "recent")]
    assert len(mail.outbox) == 1


def test_inviting_again_later_sends_the_same_link(clock, invite_round, organization):
    invite_organizations(invite_round, [organization.pk])
    clock.advance(minutes=11)
    invite_organizations(invite_round, [organization.pk])

    assert len(mail.outbox) == 2
    assert link_in(mail.outbox[0]) == link_in(mail.outbox[1])
    assert Invitation.objects.filter(organization=organization).count() == 1


def test_a_revoked_link_is_replaced_on_the_next_invitation(
    clock, invite_round, organization
):
    invite_organizations(invite_round, [organization.pk])
    revoke_invitation(Invitation.objects.get())
    clock.advance(minutes=11)
    invite_organizations(invite_round, [organization.pk])

    assert link_in(mail.outbox[0]) != link_in(mail.outbox[1])
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1


def test_one_address_gets_at_most_five_emails_a_day(db):
    round_ = RoundFactory()
    organizations = OrganizationFactory.create_batch(6)
    for organization in organizations:
        MembershipFactory(organization=organization, user__email="busy@example.org")
        round_.roster_entries.create(organization=organization)

    outcome = invite_organizations(round_)

    assert outcome.sent == 5
    assert [reason for _who, reason in outcome.skipped] == ["daily_limit"]


def test_a_contact_of_two_organizations_gets_both_invitations(invite_round):
    other = invite_round.roster.get(name="Riverbend Housing Alliance")
    MembershipFactory(organization=other, user__email="ana@northside.example")

    invite_organizations(invite_round)

    assert [m.to[0] for m in mail.outbox].count("ana@northside.example") == 2


def test_organizations_off_the_roster_are_not_invited(invite_round):
    stranger = OrganizationFactory(name="Not On The Roster")
    MembershipFactory(organization=stranger)

    outcome = invite_organizations(invite_round, [stranger.pk])

    assert outcome.sent == 0
    assert outcome.skipped == [(f"#{stranger.pk}", "not_on_roster")]


@pytest.mark.parametrize("status", [Round.Status.DRAFT, Round.Status.CLOSED])
def test_a_round_that_is_not_open_sends_nothing(invite_round, status):
    invite_round.status = status
    invite_round.save()

    outcome = invite_organizations(invite_round)

    assert outcome.sent == 0
    assert {reason for _who, reason in outcome.skipped} == {"not_open"}
    assert not mail.outbox


def test_every_email_sent_is_logged(invite_round, staff):
    invite_organizations(invite_round, sender=staff)

    logged = SentEmail.objects.order_by("to")
    assert [(e.kind, e.to, e.sent_by) for e in logged] == [
        ("invitation", "ana@northside.example", staff),
        ("invitation", "ben@riverbend.example", staff),
    ]
    assert all(e.invitation and e.round == invite_round for e in logged)
    assert mail.outbox[0].reply_to == [staff.email]


def test_a_refused_address_is_skipped_and_not_logged(invite_round, organization):
    refused = smtplib.SMTPRecipientsRefused({"ana@northside.example": (550, b"no")})
    with mock.patch(SEND, side_effect=refused):
        outcome = invite_organizations(invite_round, [organization.pk])

    assert outcome.skipped == [("Northside Health Collaborative", "refused")]
    assert not SentEmail.objects.exists()
    assert Invitation.objects.get().sent_at is None


def test_the_task_retries_only_what_the_mail_server_could_not_take(invite_round):
    ana = invite_round.roster.get(name="Northside Health Collaborative")

    def flaky_send(message, *args, **kwargs):
        if message.to == ["ana@northside.example"]:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return 1

    task = tasks.send_invitations
    with (
        mock.patch(SEND, autospec=True, side_effect=flaky_send),
        mock.patch.object(task, "retry", return_value=Retry()) as retry,
        pytest.raises(Retry),
    ):
        task.run(invite_round.pk, None, None)

    retry.assert_called_once_with(
        args=[invite_round.pk, [ana.pk], None], kwargs={}, countdown=60
    )
    assert [e.to for e in SentEmail.objects.all()] == ["ben@riverbend.example"]


def test_the_task_gives_up_after_its_retries(invite_round, organization, caplog):
    task = tasks.send_invitations
    task.push_request(retries=tasks.MAX_RETRIES)
    try:
        with (
            mock.patch(SEND, side_effect=smtplib.SMTPServerDisconnected("down")),
            mock.patch.object(task, "retry") as retry,
        ):
            result = task.run(invite_round.pk, [organization.pk], None)
    finally:
        task.pop_request()

    assert not retry.called
    assert result["failed_organization_ids"] == [organization.pk]
    assert "left 1 organizations unreached" in caplog.text


def test_run_in_process_a_failure_is_reported_not_retried(invite_round, organization):
    with mock.patch(SEND, side_effect=smtplib.SMTPServerDisconnected("down")):
        result = tasks.send_invitations.delay(invite_round.pk, [organization.pk])

    outcome = tasks.finished_outcome(result)
    assert outcome.sent == 0
    assert "the mail server did not answer" in outcome.summary()
    assert not SentEmail.objects.exists()


def test_the_task_skips_a_round_that_is_gone(db, caplog):
    result = tasks.send_invitations.delay(987654, None, None)

    assert result.get() is None
    assert "round 987654 is gone" in caplog.text


def test_the_admin_invites_the_whole_roster_of_a_round(invite_round, staff_client):
    response = staff_client.post(
        reverse("admin:surveys_round_changelist"),
        {"action": "invite_roster", "_selected_action": [invite_round.pk]},
        follow=True,
    )

    assert len(mail.outbox) == 2
    assert "2 e-mails sent" in response.content.decode()


def test_the_admin_revokes_links(invite_round, staff_client):
    invite_organizations(invite_round)

    staff_client.post(
        reverse("admin:surveys_invitation_changelist"),
        {
            "action": "revoke",
            "_selected_action": list(Invitation.objects.values_list("pk", flat=True)),
        },
    )

    assert not Invitation.objects.filter(revoked_at__isnull=True).exists()


def test_the_admin_lists_sent_emails_without_letting_them_change(
    invite_round, staff_client
):
    invite_organizations(invite_round)
    log = SentEmail.objects.first()

    listing = staff_client.get(reverse("admin:surveys_sentemail_changelist"))
    change = staff_client.post(
        reverse("admin:surveys_sentemail_change", args=[log.pk]), {"to": "x@y.z"}
    )

    assert listing.status_code == 200
    assert log.to in listing.content.decode()
    assert change.status_code == 403


def test_make_invitation_link_prints_a_working_link(
    invite_round, organization, client, capsys
):
    call_command("make_invitation_link", "--organization", organization.name)

    link = capsys.readouterr().out.split()[-1]
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "Northside Health Collaborative" in page.content.decode()
    assert not mail.outbox


def test_make_invitation_link_picks_a_demo_organization_and_repeats_its_link(
    invite_round, capsys
):
    call_command("make_invitation_link")
    call_command("make_invitation_link")

    output = capsys.readouterr().out.splitlines()
    links = [line.strip() for line in output if line.strip().startswith("http")]
    assert len(links) == 2
    assert links[0] == links[1]
    assert Invitation.objects.count() == 1


def test_make_invitation_link_without_an_open_round_says_so(db, capsys):
    RoundFactory(status=Round.Status.CLOSED, closes_at=timezone.now())

    call_command("make_invitation_link")

    assert "No open round" in capsys.readouterr().out
