# ruff: noqa: F811 -- fixtures imported from invitation_setup are used as arguments
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys.invitations import invite_organizations
from surveys.models import Invitation, Response
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    ResponseFactory,
    RoundFactory,
)
from tests.surveys.invitation_setup import clock, invite_round  # noqa: F401

pytestmark = pytest.mark.django_db


def invitations_page(round_):
    return reverse("surveys:staff_round_invitations", args=[round_.slug])


def send_url(round_):
    return reverse("surveys:staff_send_invitations", args=[round_.slug])


def remind_url(round_):
    return reverse("surveys:staff_send_reminders", args=[round_.slug])


def messages_of(page):
    return [str(m) for m in page.context["messages"]]


@pytest.fixture
def staff_urls(invite_round, organization):
    invite_organizations(invite_round, [organization.pk])
    invitation = Invitation.objects.get()
    return [
        ("get", reverse("surveys:staff_rounds")),
        ("get", invitations_page(invite_round)),
        ("post", send_url(invite_round)),
        ("post", remind_url(invite_round)),
        (
            "post",
            reverse(
                "surveys:staff_revoke_invitation",
                args=[invite_round.slug, invitation.pk],
            ),
        ),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(anonymous_client, staff_urls):
    for method, url in staff_urls:
        page = getattr(anonymous_client, method)(url)
        assert page.status_code == 302, url
        assert page["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("persona", ["member_client", "outsider_client"])
def test_members_are_refused_the_staff_pages(request, persona, staff_urls):
    client = request.getfixturevalue(persona)
    for method, url in staff_urls:
        assert getattr(client, method)(url, {"confirmed": "1"}).status_code == 403
    assert len(mail.outbox) == 1
    assert not Invitation.objects.filter(revoked_at__isnull=False).exists()


def test_staff_open_the_staff_pages(staff_client, staff_urls):
    for method, url in staff_urls:
        page = getattr(staff_client, method)(url)
        assert page.status_code in (200, 302), url


def test_the_navbar_links_the_rounds_for_staff_only(staff_client, member_client):
    rounds = reverse("surveys:staff_rounds")

    assert rounds in staff_client.get(reverse("home")).content.decode()
    assert rounds not in member_client.get(reverse("home")).content.decode()


def test_the_round_list_counts_roster_invited_opened_draft_and_submitted(
    staff_client, invite_round, organization, other_organization
):
    invite_organizations(invite_round)
    Invitation.objects.filter(organization=organization).update(
        opened_at=timezone.now()
    )
    ResponseFactory(round=invite_round, organization=organization)
    ResponseFactory(
        round=invite_round,
        organization=other_organization,
        status=Response.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    RoundFactory(name="2025", slug="2025")

    page = staff_client.get(reverse("surveys:staff_rounds"))

    rounds = {r.slug: r for r in page.context["rounds"]}
    counted = rounds["2026"]
    assert (
        counted.roster_size,
        counted.invited,
        counted.opened,
        counted.drafts,
        counted.submitted,
    ) == (3, 2, 1, 1, 1)
    assert rounds["2025"].roster_size == 0
    assert invitations_page(invite_round) in page.content.decode()


def test_the_invitations_page_shows_each_organization_and_where_it_stands(
    clock, staff_client, invite_round, organization
):
    invite_organizations(invite_round, [organization.pk])
    clock.advance(days=8)
    Invitation.objects.update(
        opened_at=timezone.now(), reminders_sent=2, last_reminded_at=timezone.now()
    )
    ResponseFactory(round=invite_round, organization=organization)

    page = staff_client.get(invitations_page(invite_round))

    rows = {row.organization.name: row for row in page.context["rows"]}
    northside = rows["Northside Health Collaborative"]
    assert northside.contacts == ["ana@northside.example"]
    assert northside.invited_at and northside.opened_at
    assert (northside.status, northside.reminders) == ("draft", 2)
    assert rows["Riverbend Housing Alliance"].status == "not_invited"
    assert rows["Hilltop Youth Club"].contacts == []
    text = page.content.decode()
    assert "No contact" in text
    assert "Revoke link" in text
    assert "2 times" in text


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("not_invited", ["Hilltop Youth Club", "Riverbend Housing Alliance"]),
        ("invited", ["Northside Health Collaborative"]),
        ("no_contact", ["Hilltop Youth Club"]),
        ("submitted", []),
        ("nonsense", None),
    ],
)
def test_the_invitations_page_filters_by_status(
    staff_client, invite_round, organization, status, names
):
    invite_organizations(invite_round, [organization.pk])

    page = staff_client.get(invitations_page(invite_round), {"status": status})

    shown = [row.organization.name for row in page.context["rows"]]
    assert shown == (names if names is not None else sorted(shown))
    if names is None:
        assert len(shown) == 3


def test_the_invitations_page_shows_50_organizations_a_page(staff_client):
    round_ = RoundFactory()
    for organization in OrganizationFactory.create_batch(51):
        round_.roster_entries.create(organization=organization)

    first = staff_client.get(invitations_page(round_))
    second = staff_client.get(invitations_page(round_), {"page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 1
    assert "Page 1 of 2" in first.content.decode()


def test_the_invitations_page_costs_the_same_queries_for_many_organizations(
    staff_client, django_assert_max_num_queries
):
    round_ = RoundFactory()
    for organization in OrganizationFactory.create_batch(40):
        round_.roster_entries.create(organization=organization)
        membership = MembershipFactory.build(organization=organization)
        membership.user.save()
        membership.save()
        Invitation.objects.create(
            round=round_,
            organization=organization,
            email=membership.user.email,
            token_hash=f"{organization.pk:064d}",
            sent_at=timezone.now(),
            reminders_sent=1,
        )
        ResponseFactory(round=round_, organization=organization)

    with django_assert_max_num_queries(12):
        page = staff_client.get(invitations_page(round_))

    assert len(page.context["rows"]) == 40


def test_sending_asks_for_a_confirmation_first(
    staff_client, invite_round, organization
):
    page = staff_client.post(
        send_url(invite_round), {"scope": "chosen", "organizations": organization.pk}
    )

    text = page.content.decode()
    assert page.status_code == 200
    assert "Send invitations?" in text
    assert "ana@northside.example" in text
    assert "Send 1 e-mail" in text
    assert not mail.outbox


def test_confirmed_invitations_go_out_with_a_count_of_sent_and_skipped(
    staff_client, invite_round, organization, staff
):
    hilltop = invite_round.roster.get(name="Hilltop Youth Club")

    page = staff_client.post(
        send_url(invite_round),
        {
            "scope": "chosen",
            "organizations": [organization.pk, hilltop.pk],
            "confirmed": "1",
        },
        follow=True,
    )

    assert messages_of(page) == [
        "1 e-mail sent. Skipped 1: 1 no contact person on record (Hilltop Youth Club)."
    ]
    assert [m.to for m in mail.outbox] == [["ana@northside.example"]]
    assert mail.outbox[0].reply_to == [staff.email]


def test_a_double_click_on_confirm_sends_one_email(
    staff_client, invite_round, organization
):
    form = {"scope": "chosen", "organizations": organization.pk, "confirmed": "1"}

    staff_client.post(send_url(invite_round), form)
    second = staff_client.post(send_url(invite_round), form, follow=True)

    assert len(mail.outbox) == 1
    assert messages_of(second)[-1] == (
        "0 e-mails sent. Skipped 1: 1 already e-mailed in the last 10 minutes "
        "(Northside Health Collaborative)."
    )


def test_inviting_all_not_yet_invited_passes_over_the_invited(
    staff_client, invite_round, organization
):
    invite_organizations(invite_round, [organization.pk])

    confirm = staff_client.post(send_url(invite_round), {"scope": "uninvited"})
    staff_client.post(send_url(invite_round), {"scope": "uninvited", "confirmed": "1"})

    assert "ben@riverbend.example" in confirm.content.decode()
    assert [m.to for m in mail.outbox] == [
        ["ana@northside.example"],
        ["ben@riverbend.example"],
    ]


def test_reminding_chosen_organizations(
    clock, staff_client, invite_round, organization, other_organization
):
    invite_organizations(invite_round, [organization.pk])
    clock.advance(hours=1)

    page = staff_client.post(
        remind_url(invite_round),
        {
            "scope": "chosen",
            "organizations": [organization.pk, other_organization.pk],
            "confirmed": "1",
        },
        follow=True,
    )

    assert mail.outbox[-1].subject.startswith("Reminder:")
    assert messages_of(page) == [
        "1 e-mail sent. Skipped 1: 1 not invited yet (Riverbend Housing Alliance)."
    ]
    assert Invitation.objects.get().reminders_sent == 1


def test_revoking_a_link_asks_then_revokes(staff_client, invite_round, organization):
    invite_organizations(invite_round, [organization.pk])
    invitation = Invitation.objects.get()
    url = reverse(
        "surveys:staff_revoke_invitation", args=[invite_round.slug, invitation.pk]
    )

    confirm = staff_client.post(url)
    invitation.refresh_from_db()
    assert "Revoke this link?" in confirm.content.decode()
    assert invitation.revoked_at is None

    done = staff_client.post(url, {"confirmed": "1"}, follow=True)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "no longer works" in messages_of(done)[0]


def test_an_organization_off_the_roster_is_refused_and_nothing_is_sent(
    staff_client, invite_round
):
    stranger = OrganizationFactory(name="Not On The Roster")
    MembershipFactory(organization=stranger)

    page = staff_client.post(
        send_url(invite_round),
        {"scope": "chosen", "organizations": stranger.pk, "confirmed": "1"},
        follow=True,
    )

    assert messages_of(page) == [
        f"Organization {stranger.pk} is not on this round's roster."
    ]
    assert not mail.outbox


def test_choosing_nothing_is_refused(staff_client, invite_round):
    page = staff_client.post(
        send_url(invite_round), {"scope": "chosen", "confirmed": "1"}, follow=True
    )

    assert messages_of(page) == ["Choose at least one organization."]
    assert not mail.outbox


def test_after_an_action_staff_return_to_the_page_they_came_from_only(
    staff_client, invite_round, organization
):
    form = {"scope": "chosen", "organizations": organization.pk, "confirmed": "1"}
    came_from = "/staff/rounds/2026/invitations/?page=1"

    here = staff_client.post(send_url(invite_round), {**form, "next": came_from})
    elsewhere = staff_client.post(
        remind_url(invite_round), {**form, "next": "https://evil.example/"}
    )

    assert here["Location"] == came_from
    assert elsewhere["Location"] == invitations_page(invite_round)


def test_inviting_all_not_yet_invited_passes_over_those_already_answering(
    staff_client, invite_round, other_organization
):
    ResponseFactory(round=invite_round, organization=other_organization)

    staff_client.post(send_url(invite_round), {"scope": "uninvited", "confirmed": "1"})

    assert [m.to for m in mail.outbox] == [["ana@northside.example"]]
