"""Reflections and replies: posting, names, own edits, moderation, events."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guide.models import Event, Reflection, Reply, Stage
from surveys.models import Visibility
from tests.factories import MembershipFactory
from tests.guide.setup import submitted_response


def post_reflection(client, organization, **fields):
    data = {
        "organization": organization.pk,
        "title": "What we learned",
        "body": "A lot.",
    }
    data.update(fields)
    return client.post(reverse("guide:new_reflection"), data)


@pytest.fixture
def reflection(member, organization):
    return Reflection.objects.create(
        author=member, organization=organization, title="Our first agreement", body="x"
    )


def test_member_posts_a_reflection_tied_to_a_stage(member_client, organization):
    stage = Stage.objects.get(slug="access-and-sharing")

    response = post_reflection(
        member_client, organization, stage=stage.pk, theme="First agreement"
    )

    reflection = Reflection.objects.get()
    assert response["Location"] == reflection.get_absolute_url()
    assert reflection.stage == stage and reflection.organization == organization
    page = member_client.get(reverse("guide:stage", args=[stage.slug])).content
    assert b"What we learned" in page


def test_member_cannot_post_for_another_organization(member_client, other_organization):
    response = post_reflection(member_client, other_organization)

    assert response.status_code == 200
    assert not Reflection.objects.exists()


def test_staff_without_an_organization_cannot_post(staff_client):
    assert staff_client.get(reverse("guide:new_reflection")).status_code == 403


@pytest.mark.parametrize(
    ("visibility", "shown"),
    [
        (Visibility.NAMED, "Northside Health Collaborative"),
        (Visibility.ANONYMOUS, "organization"),
        (Visibility.STAFF, "organization"),
    ],
)
def test_posts_honour_the_organizations_visibility(
    outsider_client, reflection, organization, visibility, shown
):
    submitted_response(organization, visibility=visibility)

    page = outsider_client.get(reflection.get_absolute_url()).content.decode()

    assert shown in page
    if visibility != Visibility.NAMED:
        assert organization.name not in page
        assert f"{organization.sector.name} organization" in page


def test_staff_and_own_members_see_the_name_of_an_anonymous_organization(
    staff_client, member_client, reflection, organization
):
    submitted_response(organization, visibility=Visibility.ANONYMOUS)

    for client in (staff_client, member_client):
        page = client.get(reflection.get_absolute_url()).content.decode()
        assert organization.name in page


def test_organization_without_answers_is_shown_without_its_name(
    outsider_client, reflection, organization
):
    page = outsider_client.get(reverse("guide:exchange")).content.decode()

    assert "Our first agreement" in page
    assert organization.name not in page


def test_members_reply_and_names_follow_their_organization(
    outsider_client, reflection, other_organization
):
    submitted_response(other_organization, visibility=Visibility.NAMED)

    outsider_client.post(reflection.get_absolute_url(), {"body": "Thank you."})

    reply = Reply.objects.get()
    assert reply.organization == other_organization
    page = outsider_client.get(reflection.get_absolute_url()).content.decode()
    assert "Thank you." in page and other_organization.name in page


def test_author_edits_and_deletes_their_reflection(member_client, reflection):
    member_client.post(
        reverse("guide:edit_reflection", args=[reflection.pk]),
        {"title": "Our first agreement, a year on", "body": "Still glad."},
    )
    reflection.refresh_from_db()
    assert reflection.title == "Our first agreement, a year on"
    assert reflection.edited_at is not None

    member_client.post(reverse("guide:delete_reflection", args=[reflection.pk]))
    assert not Reflection.objects.exists()


def test_colleague_of_the_author_cannot_edit_or_delete(reflection, organization):
    colleague = MembershipFactory(organization=organization).user
    client = Client()
    client.force_login(colleague)

    edit = client.post(
        reverse("guide:edit_reflection", args=[reflection.pk]),
        {"title": "Mine now", "body": "x"},
    )
    delete = client.post(reverse("guide:delete_reflection", args=[reflection.pk]))

    assert edit.status_code == delete.status_code == 403
    assert Reflection.objects.get().title == "Our first agreement"


def test_outsider_cannot_edit_or_delete_a_reply(outsider_client, member, reflection):
    reply = Reply.objects.create(reflection=reflection, author=member, body="Mine.")

    response = outsider_client.post(
        reverse("guide:edit_reply", args=[reply.pk]), {"delete": "1"}
    )

    assert response.status_code == 403
    assert Reply.objects.exists()


def test_author_deletes_their_reply(member_client, member, reflection):
    reply = Reply.objects.create(reflection=reflection, author=member, body="Mine.")

    member_client.post(reverse("guide:edit_reply", args=[reply.pk]), {"delete": "1"})

    assert not Reply.objects.exists()


def test_staff_pin_hide_and_lock(staff_client, outsider_client, reflection):
    url = reverse("guide:moderate_reflection", args=[reflection.pk])
    for action in ("pin", "lock", "hide"):
        staff_client.post(url, {"action": action})

    reflection.refresh_from_db()
    assert reflection.is_pinned and reflection.is_locked and reflection.is_hidden
    assert outsider_client.get(reflection.get_absolute_url()).status_code == 404
    assert (
        b"Our first agreement"
        not in outsider_client.get(reverse("guide:exchange")).content
    )
    assert staff_client.get(reflection.get_absolute_url()).status_code == 200


def test_members_cannot_moderate(member_client, reflection):
    url = reverse("guide:moderate_reflection", args=[reflection.pk])

    assert member_client.post(url, {"action": "hide"}).status_code == 403
    reflection.refresh_from_db()
    assert not reflection.is_hidden


def test_locked_reflection_refuses_replies(outsider_client, reflection):
    reflection.is_locked = True
    reflection.save()

    response = outsider_client.post(reflection.get_absolute_url(), {"body": "Hi"})

    assert response.status_code == 403
    assert not Reply.objects.exists()


def test_hidden_reply_is_seen_by_staff_only(
    staff_client, outsider_client, member, reflection
):
    reply = Reply.objects.create(reflection=reflection, author=member, body="Rude.")

    staff_client.post(reverse("guide:moderate_reply", args=[reply.pk]))

    assert b"Rude." not in outsider_client.get(reflection.get_absolute_url()).content
    assert b"Rude." in staff_client.get(reflection.get_absolute_url()).content


def test_staff_list_an_event_and_members_see_it(staff_client, member_client):
    stage = Stage.objects.get(slug="analysis")
    starts = timezone.localtime() + timezone.timedelta(days=9)

    staff_client.post(
        reverse("guide:new_event"),
        {
            "title": "Breakout on analysis",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "link": "https://meet.example.org/x",
            "stages": [stage.pk],
        },
    )

    assert Event.objects.get().stages.get() == stage
    assert (
        b"Breakout on analysis" in member_client.get(reverse("guide:exchange")).content
    )
    assert (
        b"Breakout on analysis" in member_client.get(stage.get_absolute_url()).content
    )


def test_event_needs_a_place_or_a_link(staff_client):
    response = staff_client.post(
        reverse("guide:new_event"),
        {"title": "Somewhere", "starts_at": "2030-01-01T10:00"},
    )

    assert "Give a place, a link, or both." in response.content.decode()
    assert not Event.objects.exists()


def test_members_cannot_add_events(member_client):
    assert member_client.get(reverse("guide:new_event")).status_code == 403


def test_staff_reply_as_the_coordinating_team(
    staff_client, outsider_client, reflection
):
    staff_client.post(reflection.get_absolute_url(), {"body": "Thanks, all."})

    reply = Reply.objects.get()
    assert reply.organization is None
    page = outsider_client.get(reflection.get_absolute_url()).content.decode()
    assert "Coordinating team" in page
