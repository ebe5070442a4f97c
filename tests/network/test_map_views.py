"""The staff map page and its JSON: who may open them and what they carry."""

import gzip
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from network.map_payload import TIE_COLUMNS, build_map_payload
from network.models import SnapshotMap
from network.services import latest_snapshot, rebuild_round, round_state
from organizations.models import Membership
from surveys.models import Practice
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.network.builders import roster_round, submit

pytestmark = pytest.mark.django_db

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mapped_round():
    """A round of five with three answers, a write-in and a hostile name."""
    round_, (a, b, c, d, e) = roster_round(5, name="2031", slug="2031")
    e.name = HOSTILE
    e.save()
    MembershipFactory(organization=a, user__email="contact@a.example")
    outside = OrganizationFactory(name="Lakeside Legal Aid")
    response = submit(
        round_, a, [b, c, e], collaboration_level="collaboration", data_sharing="record"
    )
    Practice.objects.create(
        response=response, stage="planning", text="Our secret weekly huddle"
    )
    submit(round_, b, [a, outside], sends_referrals=True)
    submit(round_, c, [d], write_ins=["Hilltop Food Pantry"])
    rebuild_round(round_.pk, force=True)
    return round_


def map_url(round_):
    return reverse("network:round_map", args=[round_.slug])


def json_url(round_):
    return reverse("network:round_map_json", args=[round_.slug])


def payload_of(response):
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return json.loads(body)


@pytest.mark.parametrize("url", [map_url, json_url])
def test_anonymous_visitor_is_sent_to_sign_in(anonymous_client, mapped_round, url):
    response = anonymous_client.get(url(mapped_round))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [map_url, json_url])
def test_member_cannot_open_the_staff_map(member_client, mapped_round, url):
    assert member_client.get(url(mapped_round)).status_code == 403


@pytest.mark.parametrize("url", [map_url, json_url])
def test_outsider_cannot_open_the_staff_map(outsider_client, mapped_round, url):
    assert outsider_client.get(url(mapped_round)).status_code == 403


def test_staff_open_the_map_page_with_tabs_and_explorer(staff_client, mapped_round):
    response = staff_client.get(map_url(mapped_round))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-current="page"' in page and "Map · 2031" in page
    assert "data-edn-map" in page and "sigma.min.js" in page
    options = response.context["map_options"]
    assert options["payloadUrl"] == json_url(mapped_round)
    assert options["rounds"] == [
        {"name": "2031", "url": map_url(mapped_round), "current": True}
    ]


def test_map_page_carries_no_organization_names(staff_client, mapped_round):
    page = staff_client.get(map_url(mapped_round)).content.decode()

    assert "2031 organization 1" not in page
    assert "onerror" not in page


def test_staff_get_the_payload_with_what_the_map_needs(staff_client, mapped_round):
    response = staff_client.get(json_url(mapped_round))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    payload = payload_of(response)
    columns = payload["node_columns"]
    nodes = [dict(zip(columns, row, strict=True)) for row in payload["nodes"]]
    labels = {node["label"] for node in nodes}
    assert {"2031 organization 0", HOSTILE, "Hilltop Food Pantry"} <= labels
    for key in ("x", "y", "sector", "services", "community", "component", "position"):
        assert key in columns
    assert {"degree", "betweenness", "pagerank", "responded", "on_roster"} <= set(
        columns
    )
    assert payload["tie_columns"] == list(TIE_COLUMNS)
    assert len(payload["ties"]) == latest_snapshot(mapped_round).ties_count
    assert payload["round"] == {"name": "2031", "slug": "2031"}
    assert set(payload["legend"]) == {
        "sector",
        "community",
        "component",
        "position",
        "levels",
    }
    assert all(entry["colour"].startswith("#") for entry in payload["legend"]["sector"])


def test_ties_name_their_ends_by_node_index_with_levels_and_referrals(
    staff_client, mapped_round
):
    payload = payload_of(staff_client.get(json_url(mapped_round)))

    columns = payload["node_columns"]
    labels = [row[columns.index("label")] for row in payload["nodes"]]
    ties = [
        dict(zip(payload["tie_columns"], row, strict=True)) for row in payload["ties"]
    ]
    by_pair = {frozenset((labels[t["source"]], labels[t["target"]])): t for t in ties}
    a_b = by_pair[frozenset(("2031 organization 0", "2031 organization 1"))]
    assert a_b["confirmed"] == 1
    assert payload["levels"][a_b["level"]] == "Collaboration"
    referral = by_pair[frozenset(("2031 organization 1", "Lakeside Legal Aid"))]
    assert referral["referrals"] and referral["layers"] & (1 << 3)


def test_payload_holds_no_emails_contacts_or_free_text(staff_client, mapped_round):
    body = gzip.decompress(
        staff_client.get(json_url(mapped_round), HTTP_ACCEPT_ENCODING="gzip").content
    ).decode()

    assert "@" not in body
    assert "contact" not in body
    assert "secret weekly huddle" not in body
    assert "reported_by" not in body and "wants_to_deepen" not in body


def test_payload_is_sent_gzipped_to_browsers_that_accept_it(staff_client, mapped_round):
    response = staff_client.get(json_url(mapped_round), HTTP_ACCEPT_ENCODING="gzip, br")

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert payload_of(response)["format"] == 1


def test_unchanged_payload_answers_not_modified(staff_client, mapped_round):
    first = staff_client.get(json_url(mapped_round))

    again = staff_client.get(json_url(mapped_round), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_serving_the_map_builds_nothing_and_sends_stored_bytes(
    staff_client, mapped_round, monkeypatch, django_assert_max_num_queries
):
    def refuse(*args, **kwargs):
        pytest.fail("the map payload was built in a request")

    for name in ("build_map_payload", "map_parts", "translated_payload"):
        monkeypatch.setattr(f"network.map_payload.{name}", refuse)
    monkeypatch.setattr("network.map_payload.gzip_payload", refuse)
    monkeypatch.setattr("network.snapshots.store_maps", refuse)
    monkeypatch.setattr("network.map_views.store_maps", refuse)
    stored = SnapshotMap.objects.get(
        snapshot=latest_snapshot(mapped_round), audience="staff", language="en"
    )

    with django_assert_max_num_queries(5):
        response = staff_client.get(json_url(mapped_round), HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response.content == bytes(stored.payload)
    assert response["ETag"] == f'"{stored.etag}"'


def test_the_rebuild_stores_the_map_in_every_language(mapped_round):
    snapshot = latest_snapshot(mapped_round)

    maps = SnapshotMap.objects.filter(snapshot=snapshot, audience="staff")

    assert sorted(m.language for m in maps) == ["en", "es"]
    spanish = json.loads(gzip.decompress(bytes(maps.get(language="es").payload)))
    assert spanish["levels"][2] != "Collaboration"


def test_a_rebuild_changes_the_stored_payload_and_its_etag(staff_client, mapped_round):
    before = staff_client.get(json_url(mapped_round))
    submit(
        mapped_round,
        mapped_round.roster.get(name="2031 organization 3"),
        [mapped_round.roster.get(name="2031 organization 1")],
    )
    rebuild_round(mapped_round.pk, force=True)

    after = staff_client.get(json_url(mapped_round), HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert len(payload_of(after)["ties"]) == len(payload_of(before)["ties"]) + 1


def test_map_and_payload_take_a_bounded_number_of_queries(
    staff_client, mapped_round, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        staff_client.get(map_url(mapped_round))
    with django_assert_max_num_queries(6):
        staff_client.get(json_url(mapped_round))
    with django_assert_max_num_queries(5):
        staff_client.get(json_url(mapped_round))


def test_round_without_a_snapshot_shows_the_empty_state(staff_client):
    round_, _ = roster_round(3, name="2032", slug="2032")
    state = round_state(round_)
    state.running_since = state.heartbeat_at = state.updated_at
    state.stage, state.percent = "measures", 40
    state.save()

    page = staff_client.get(map_url(round_))
    payload = staff_client.get(json_url(round_))

    assert page.status_code == 200
    text = page.content.decode()
    assert "The map appears after the first response is submitted." in text
    assert "Rebuilding now: measures 40%" in text
    assert "data-edn-map" not in text
    assert payload.status_code == 404
    assert payload.json()["percent"] == 40


def test_snapshot_without_ties_still_gives_a_payload(staff_client):
    round_, (a, b) = roster_round(2, name="2033", slug="2033")
    submit(round_, a, [])
    rebuild_round(round_.pk, force=True)

    payload = payload_of(staff_client.get(json_url(round_)))

    assert len(payload["nodes"]) == 2
    assert payload["ties"] == []


def test_unknown_round_is_not_found(staff_client):
    assert staff_client.get("/staff/rounds/no-such-round/map.json").status_code == 404


def test_payload_applies_visibility_rules_given_by_the_caller(mapped_round):
    snapshot = latest_snapshot(mapped_round)
    snapshot.round = mapped_round
    hidden = mapped_round.roster.get(name="2031 organization 2").pk

    payload = build_map_payload(
        snapshot,
        include=lambda node: node["id"] != hidden,
        label_for=lambda node: f"Organization #{node['id']}",
        focus=hidden,
    )

    ids = [row[0] for row in payload["nodes"]]
    assert hidden not in ids
    assert all(row[1].startswith("Organization #") for row in payload["nodes"])
    assert payload["focus"] is None
    assert all(max(t[0], t[1]) < len(ids) for t in payload["ties"])


def test_staff_who_are_also_members_still_see_the_map(mapped_round):
    user = UserFactory(email="both@edn.example", is_staff=True)
    Membership.objects.create(
        user=user, organization=mapped_round.roster.first(), role="member"
    )
    from django.test import Client

    client = Client()
    client.force_login(user)

    assert client.get(map_url(mapped_round)).status_code == 200
