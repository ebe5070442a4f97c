"""Every URL of the project answers each persona as the access table says."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from guide.models import Adoption, Reflection
from network.services import rebuild_round
from surveys.models import Response, Round
from tests.edn.access_rules import DENIED, LOGIN, MISSING, OK, PERSONAS, RULES
from tests.edn.access_world import build_world
from tests.factories import RosterEntryFactory, RoundFactory
from tests.guide.setup import draft_entry
from tests.network.builders import submit

APPS = ("organizations", "surveys", "network", "participants", "guide")
# What a persona that must not get in might try to post to any form.
HOSTILE_FORM = {
    "title": "Taken over",
    "body": "Taken over",
    "text": "Taken over",
    "is_public": "on",
    "is_hidden": "on",
    "action": "hide",
    "reason": "Taken over",
    "organizations": ["1", "2", "3"],
    "names": ["Lakeshore Food Bank"],
    "confirm": "on",
    "confirmed": "1",
    "kind": "use",
}


def routes(resolver=None, prefix=""):
    """Yield the route of every URL pattern, included ones spelled in full."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def address(route, world):
    values = world.kwargs(route)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), route)


def outcome(response):
    """Name what a response did, in the words of the table."""
    status = response.status_code
    location = response.get("Location", "")
    if status == 302 and location.startswith(reverse("login")):
        return LOGIN
    if status < 400:
        return OK
    return {403: DENIED, 404: MISSING}.get(status, str(status))


def fingerprint():
    """Return every row of the project's own tables, to compare before and after."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for name in APPS
        for model in apps.get_app_config(name).get_models()
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Build the rows once for the module and roll them back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def client_of(world, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


CASES = [
    pytest.param(route, method, persona, expected, id=f"{persona}:{route or '/'}")
    for route, method, outcomes in RULES
    for persona, expected in zip(PERSONAS, outcomes, strict=True)
]


def test_every_url_pattern_has_a_rule():
    listed = [route for route, _, _ in RULES]
    project = [route for route in routes() if not route.startswith("admin/")]

    assert sorted(set(project) - set(listed)) == []
    assert sorted(set(listed) - set(project)) == []
    assert len(listed) == len(set(listed))


@pytest.mark.parametrize(("route", "method", "persona", "expected"), CASES)
def test_persona_gets_what_the_table_says(db, world, route, method, persona, expected):
    client = client_of(world, persona)
    url = address(route, world)

    if method == "GET":
        assert outcome(client.get(url)) == expected
    elif expected == OK:
        assert client.get(url).status_code == 405
    else:
        before = fingerprint()
        assert outcome(client.post(url, HOSTILE_FORM)) == expected
        assert fingerprint() == before


@pytest.mark.parametrize(
    ("route", "persona"),
    [
        (route, persona)
        for route, method, outcomes in RULES
        for persona, expected in zip(PERSONAS, outcomes, strict=True)
        if method == "GET" and expected != OK
    ],
)
def test_posting_where_the_persona_may_not_go_changes_nothing(
    db, world, route, persona
):
    client = client_of(world, persona)
    before = fingerprint()

    response = client.post(address(route, world), HOSTILE_FORM)

    assert outcome(response) in (LOGIN, DENIED, MISSING, "405")
    assert fingerprint() == before


def admin_urls():
    """Return the admin's index and the list page of every registered model."""
    return [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


@pytest.mark.parametrize("persona", ["anonymous", "member", "outsider"])
def test_admin_site_sends_everyone_but_staff_to_its_sign_in(db, world, persona):
    client = client_of(world, persona)

    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_admin_site_opens_to_the_superuser_and_only_its_index_to_staff(db, world):
    admin_client, staff_client = client_of(world, "admin"), client_of(world, "staff")

    assert staff_client.get(reverse("admin:index")).status_code == 200
    for url in admin_urls():
        assert admin_client.get(url).status_code == 200, url
        if url != reverse("admin:index"):
            assert staff_client.get(url).status_code == 403, url


def test_a_session_from_an_invitation_link_reaches_only_its_own_response(db, world):
    client = Client()
    invited = world.invited_response

    response = client.post(reverse("surveys:invitation", args=[world.token]))

    assert response["Location"] == reverse("surveys:survey_start", args=[invited.pk])
    for step in ("organization", "partners", "review"):
        url = reverse("surveys:survey_step", args=[invited.pk, step])
        assert client.get(url).status_code == 200
    for other in Response.objects.exclude(pk=invited.pk):
        url = reverse("surveys:survey_step", args=[other.pk, "organization"])
        assert client.get(url).status_code == 404
        assert (
            client.get(reverse("surveys:survey_search", args=[other.pk])).status_code
            == 404
        )
    for route in ("survey/", "my/", "staff/", "guide/", "exchange/"):
        assert outcome(client.get("/" + route)) == LOGIN
    my_page = reverse("participants:my_organization", args=[invited.organization_id])
    assert outcome(client.get(my_page)) == LOGIN


def test_outsider_cannot_mark_an_entry_for_another_organization(db, world):
    client = client_of(world, "outsider")
    url = reverse("guide:mark", args=[world.entry.pk])

    response = client.post(url, {"organization": world.organization.pk, "kind": "use"})

    assert response.status_code == 404
    assert not Adoption.objects.filter(organization=world.organization).exists()
    client.post(url, {"organization": world.other_organization.pk, "kind": "use"})
    assert Adoption.objects.filter(organization=world.other_organization).exists()


def test_a_revoked_link_no_longer_opens_its_response(db, world):
    client = Client()
    client.post(reverse("surveys:invitation", args=[world.token]))
    url = reverse("surveys:survey_step", args=[world.invited_response.pk, "partners"])
    assert client.get(url).status_code == 200

    world.invitation.revoked_at = world.round.opens_at
    world.invitation.save(update_fields=["revoked_at"])

    assert client.get(url).status_code == 404


def test_explorer_finds_no_round_the_organization_was_not_in(db, world):
    alone = RoundFactory(name="Round 2027", slug="r2027")
    RosterEntryFactory(round=alone, organization=world.organization)
    submit(alone, world.organization, partners=[world.other_organization])
    rebuild_round(alone.id, force=True)
    draft = RoundFactory(name="Round 2028", slug="r2028", status=Round.Status.DRAFT)
    RosterEntryFactory(round=draft, organization=world.organization)
    member, outsider = client_of(world, "member"), client_of(world, "outsider")

    for name in ("participants:explorer", "participants:explorer_json"):
        assert member.get(reverse(name, args=[alone.slug])).status_code == 200
        assert outsider.get(reverse(name, args=[alone.slug])).status_code == 404
        assert member.get(reverse(name, args=[draft.slug])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("member", MISSING), ("outsider", MISSING), ("staff", OK), ("admin", OK)],
)
def test_hidden_posts_and_draft_entries_are_found_by_staff_only(
    db, world, persona, expected
):
    hidden = Reflection.objects.create(
        author=world.users["outsider"],
        organization=world.other_organization,
        title="Hidden by staff",
        body="Not for everyone.",
        is_hidden=True,
    )
    draft = draft_entry()
    client = client_of(world, persona)

    assert outcome(client.get(hidden.get_absolute_url())) == expected
    assert outcome(client.get(reverse("guide:entry", args=[draft.pk]))) == expected


def test_the_same_hostile_post_changes_rows_when_staff_send_it(db, world):
    client = client_of(world, "admin")
    before = fingerprint()

    client.post(reverse("guide:settings"), HOSTILE_FORM)

    assert fingerprint() != before
