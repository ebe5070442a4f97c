"""Each visibility choice × each viewer × each output: what may appear.

Outputs are the participant pages (My organization at both distances, ties
others reported, My data, the shared explorer), their JSON (ego map and
explorer payload), the team report (HTML and PDF) and the downloads.
"""

import re
import zlib

import pytest
from django.test import Client
from django.urls import reverse

from tests.participants.world import NAMES, NOMINATES, build_world, read_map, secret

pytestmark = pytest.mark.django_db

PARTICIPANTS = ["alpha", "bravo", "charlie", "delta", "echo"]


@pytest.fixture
def world(db):
    return build_world()


def pdf_text(blob):
    """Return the text drawn in a PDF's (possibly compressed) streams."""
    found = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", blob, re.S):
        try:
            found.append(zlib.decompress(stream))
        except zlib.error:
            found.append(stream)
    return b"\n".join(found).decode("latin-1")


def own_urls(world, key):
    pk = world.organizations[key].pk
    slug = world.round.slug
    return [
        reverse("participants:my_organization", args=[pk]) + f"?round={slug}",
        reverse("participants:my_organization", args=[pk])
        + f"?round={slug}&distance=2",
        reverse("participants:ego_map_json", args=[pk]) + f"?round={slug}",
        reverse("participants:ego_map_json", args=[pk]) + f"?round={slug}&distance=2",
        reverse("participants:team_report", args=[pk]) + f"?round={slug}",
        reverse("participants:team_report_pdf", args=[pk]) + f"?round={slug}",
        reverse("participants:ties_reported", args=[pk]) + f"?round={slug}",
        reverse("participants:my_data", args=[pk]),
        reverse("participants:my_data_download", args=[pk, "json"]),
        reverse("participants:my_data_download", args=[pk, "csv"]),
    ]


def shared_urls(world):
    slug = world.round.slug
    return [
        reverse("participants:explorer", args=[slug]),
        reverse("participants:explorer", args=[slug]) + "?sort=-partners",
        reverse("participants:explorer_json", args=[slug]),
    ]


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if response["Content-Type"] == "application/pdf":
        return pdf_text(response.content)
    return response.content.decode()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def hidden_from(viewer):
    """Return the organizations whose names a member of `viewer` never sees.

    Bravo is anonymous, Charlie staff only, and Foxtrot is named only by
    Charlie; an organization knows itself and the partners it named.
    """
    return {"bravo", "charlie", "foxtrot"} - {viewer} - set(NOMINATES.get(viewer, []))


@pytest.mark.parametrize("viewer", PARTICIPANTS)
def test_member_sees_only_what_each_organization_allows(world, viewer):
    client = client_for(world.members[viewer])
    hidden = hidden_from(viewer)

    outputs = {url: read(client, url) for url in own_urls(world, viewer)}
    outputs |= {url: read(client, url) for url in shared_urls(world)}

    for url, text in outputs.items():
        for key in hidden:
            assert NAMES[key] not in text, (viewer, key, url)
        for key in PARTICIPANTS:
            if key != viewer:
                assert secret(key) not in text, (viewer, key, url)
    own_pages = " ".join(outputs[url] for url in own_urls(world, viewer))
    assert NAMES[viewer] in own_pages
    data = outputs[
        reverse("participants:my_data", args=[world.organizations[viewer].pk])
    ]
    if viewer != "delta":
        assert secret(viewer) in data


@pytest.mark.parametrize("viewer", PARTICIPANTS)
def test_named_organizations_are_shown_by_name(world, viewer):
    client = client_for(world.members[viewer])

    text = read(client, reverse("participants:explorer_json", args=[world.round.slug]))

    for key in ("alpha", "delta", "echo"):
        assert NAMES[key] in text


@pytest.mark.parametrize("viewer", ["alpha", "bravo", "delta", "echo"])
def test_ties_a_staff_only_organization_reported_are_absent(world, viewer):
    client = client_for(world.members[viewer])

    nodes, ties = read_map(
        client.get(reverse("participants:explorer_json", args=[world.round.slug]))
    )

    pairs = {frozenset((t["source"], t["target"])) for t in ties}
    ids = {n["label"]: n["id"] for n in nodes}
    alpha, delta, echo = (ids[NAMES[k]] for k in ("alpha", "delta", "echo"))
    assert len(pairs) == 4
    assert frozenset((alpha, delta)) in pairs
    assert frozenset((echo, alpha)) in pairs
    assert all(not n["label"].startswith("Charlie") for n in nodes)


def test_a_tie_is_confirmed_only_when_both_reports_may_be_seen(world):
    client = client_for(world.members["echo"])

    _nodes, ties = read_map(
        client.get(reverse("participants:explorer_json", args=[world.round.slug]))
    )

    confirmed = [t for t in ties if t["confirmed"]]
    assert len(confirmed) == 1  # Alpha and Bravo named each other.


def test_anonymous_organization_gets_a_sector_label_and_no_real_id(world):
    client = client_for(world.members["echo"])
    bravo = world.organizations["bravo"]

    nodes, _ties = read_map(
        client.get(reverse("participants:explorer_json", args=[world.round.slug]))
    )

    labels = [n for n in nodes if str(n["id"]).startswith("a")]
    assert len(labels) == 1
    assert re.fullmatch(r"Health organization \d+", labels[0]["label"])
    assert labels[0]["id"] != str(bravo.pk)
    assert labels[0]["services"] == []
    assert labels[0]["betweenness"] is None


def test_staff_see_every_name_and_tie(world, staff_client):
    text = read(
        staff_client, reverse("participants:explorer_json", args=[world.round.slug])
    )

    for name in NAMES.values():
        assert name in text


def test_staff_may_open_any_organization(world, staff_client):
    for url in own_urls(world, "bravo"):
        assert staff_client.get(url).status_code == 200


def test_anonymous_visitor_is_sent_to_sign_in_everywhere(world, anonymous_client):
    for url in own_urls(world, "alpha") + shared_urls(world):
        response = anonymous_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("viewer", PARTICIPANTS)
def test_member_cannot_open_another_organization_by_guessing_its_id(world, viewer):
    client = client_for(world.members[viewer])

    for other in PARTICIPANTS + ["foxtrot"]:
        if other == viewer:
            continue
        for url in own_urls(world, other):
            assert client.get(url).status_code == 404, (viewer, other, url)
    missing = max(o.pk for o in world.organizations.values()) + 1000
    assert client.get(f"/my/{missing}/").status_code == 404


def test_outsider_of_the_round_cannot_open_its_explorer(world, outsider_client):
    response = outsider_client.get(
        reverse("participants:explorer_json", args=[world.round.slug])
    )

    assert response.status_code == 404
