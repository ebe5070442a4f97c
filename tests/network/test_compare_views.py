"""The round comparison page and its JSON of changed ties."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network import engine
from network.services import rebuild_round
from tests.factories import OrganizationFactory
from tests.network.builders import submit
from tests.network.round_pairs import make_round, round_pair

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pair():
    return round_pair()


def compare_url(round, **query):
    url = reverse("network:round_compare", args=[round.slug])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def json_url(round, other):
    return reverse("network:round_compare_json", args=[round.slug, other.slug])


def urls(pair):
    return [compare_url(pair.later), json_url(pair.later, pair.earlier)]


def test_anonymous_visitors_are_sent_to_sign_in(pair, anonymous_client):
    for url in urls(pair):
        response = anonymous_client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_members_and_outsiders_are_refused(pair, member_client, outsider_client):
    for client in (member_client, outsider_client):
        for url in urls(pair):
            assert client.get(url).status_code == 403


def test_staff_open_the_page_and_the_json(pair, staff_client):
    for url in urls(pair):
        assert staff_client.get(url).status_code == 200


def test_the_page_compares_with_the_previous_round_by_default(pair, staff_client):
    response = staff_client.get(compare_url(pair.later))

    assert response.context["other"] == pair.earlier
    assert response.context["earlier"] == pair.earlier
    assert response.context["later"] == pair.later
    text = response.content.decode()
    assert "Alder Clinic" in text and "Dogwood Pantry" in text


def test_the_first_round_compares_with_the_next_one(pair, staff_client):
    response = staff_client.get(compare_url(pair.earlier))

    assert response.context["other"] == pair.later
    assert response.context["earlier"] == pair.earlier


def test_staff_pick_the_other_round(pair, staff_client):
    third = make_round("Compare 2027", "compare-2027", 1, pair.organizations.values())

    response = staff_client.get(compare_url(pair.later, **{"with": third.slug}))

    assert response.context["other"] == third
    assert "Compare 2027 has no network snapshot yet" in response.content.decode()


def test_the_page_shows_new_ties_and_figures_in_plain_words(pair, staff_client):
    response = staff_client.get(compare_url(pair.later))

    ties = response.context["ties"]
    assert [(t["source_name"], t["target_name"]) for t in ties] == [
        ("Alder Clinic", "Dogwood Pantry")
    ]
    sentences = [row["sentence"] for row in response.context["figures"]]
    assert "Ties stayed at 3." in sentences
    assert any(s.startswith("Confirmed ties rose from 33%") for s in sentences)
    assert response.context["headline"][0] == "1 new tie, 1 lost and 1 strengthened."


def test_the_lost_and_strengthened_lists_say_what_changed(pair, staff_client):
    lost = staff_client.get(compare_url(pair.later, ties="lost")).context["ties"]
    grown = staff_client.get(compare_url(pair.later, ties="strengthened"))

    assert [(t["source_name"], t["target_name"]) for t in lost] == [
        ("Cedar School", "Dogwood Pantry")
    ]
    assert lost[0]["unanswered"] is False
    (tie,) = grown.context["ties"]
    assert {tie["source_name"], tie["target_name"]} == {"Alder Clinic", "Birch Housing"}
    assert tie["reasons"] == ["level", "confirmed"]
    assert "communication → coordination" in grown.content.decode()
    assert "now confirmed" in grown.content.decode()


def test_the_json_lists_changed_pairs_by_node_id(pair, staff_client):
    a, b, c, d = (o.pk for o in pair.organizations.values())

    document = staff_client.get(json_url(pair.later, pair.earlier)).json()

    def pairs(name):
        return {frozenset(p) for p in document[name]}

    assert pairs("new") == {frozenset((a, d))}
    assert pairs("lost") == {frozenset((c, d))}
    assert pairs("strengthened") == {frozenset((a, b))}
    assert document["weakened"] == []
    assert document["kept"] == 2
    assert document["before"]["round"] == "compare-2025"
    assert document["after"]["round"] == "compare-2026"


def test_the_json_orders_rounds_by_time_whichever_page_asks(pair, staff_client):
    forward = staff_client.get(json_url(pair.later, pair.earlier)).json()
    backward = staff_client.get(json_url(pair.earlier, pair.later)).json()

    assert forward == backward


def test_the_json_of_an_unknown_or_unbuilt_round_is_not_found(pair, staff_client):
    third = make_round("Compare 2027", "compare-2027", 1, [])

    unknown = staff_client.get(
        reverse("network:round_compare_json", args=[pair.later.slug, "nowhere"])
    )
    unbuilt = staff_client.get(json_url(pair.later, third))

    assert unknown.status_code == 404
    assert unbuilt.status_code == 404
    assert "Compare 2027" in unbuilt.json()["error"]


def test_a_lone_round_says_there_is_nothing_to_compare(staff_client):
    lone = make_round("Lone 2026", "lone-2026", 7, [])

    response = staff_client.get(compare_url(lone))

    assert response.status_code == 200
    assert "There is no other round to compare with yet" in response.content.decode()


def test_a_round_without_snapshot_says_so(staff_client):
    pair = round_pair(build=False)

    response = staff_client.get(compare_url(pair.later))

    assert "Neither round Compare 2025 nor round Compare 2026" in (
        response.content.decode()
    )


def test_the_page_reads_snapshots_and_does_not_recompute(
    pair, staff_client, monkeypatch
):
    def refuse(*args, **kwargs):
        raise AssertionError("the comparison recomputed the network")

    monkeypatch.setattr(engine, "compute_network", refuse)

    assert staff_client.get(compare_url(pair.later)).status_code == 200
    assert staff_client.get(json_url(pair.later, pair.earlier)).status_code == 200


def test_queries_do_not_grow_with_the_network(pair, staff_client):
    def count(url):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    small = count(compare_url(pair.later))
    crowd = [OrganizationFactory(name=f"Crowd {i}") for i in range(30)]
    submit(pair.later, pair.organizations["Dogwood"], crowd)
    rebuild_round(pair.later.pk, force=True)
    large = count(compare_url(pair.later))

    assert large == small
    assert small <= 10


def test_the_map_marks_new_ties_by_node_id(pair, staff_client):
    a, b, c, d = (o.pk for o in pair.organizations.values())

    options = staff_client.get(compare_url(pair.later)).context["map_options"]
    marked = staff_client.get(compare_url(pair.later, mark="strengthened"))

    assert options["payloadUrl"] == reverse(
        "network:round_map_json", args=[pair.later.slug]
    )
    (group,) = options["highlight"]
    assert {frozenset(p) for p in group["ties"]} == {frozenset((a, d))}
    assert group["label"] == "New ties"
    (group,) = marked.context["map_options"]["highlight"]
    assert {frozenset(p) for p in group["ties"]} == {frozenset((a, b))}
    assert 'id="edn-map-options"' in marked.content.decode()
