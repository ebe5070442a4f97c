"""The round dashboard, its rebuild panel, the staff landing and the readings."""

import pytest
from django.urls import reverse
from django.utils import timezone

from network import readings
from network.models import RoundNetworkState
from surveys.models import Round
from tests.factories import RoundFactory
from tests.network.insight_rounds import large_round, small_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def spring():
    return small_round()


def _urls(slug):
    return [
        reverse("network:round_dashboard", args=[slug]),
        reverse("network:round_rebuild_state", args=[slug]),
        reverse("network:round_table", args=[slug]),
        reverse("network:round_table_export", args=[slug, "csv"]),
        reverse("network:round_coverage", args=[slug]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page(
    spring, anonymous_client
):
    for url in [reverse("network:staff_home"), *_urls("spring")]:
        response = anonymous_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("persona", ["member_client", "outsider_client"])
def test_members_of_organizations_are_refused_every_page(spring, persona, request):
    client = request.getfixturevalue(persona)
    for url in [reverse("network:staff_home"), *_urls("spring")]:
        assert client.get(url).status_code == 403, url


def test_staff_open_every_page(spring, staff_client):
    for url in _urls("spring"):
        assert staff_client.get(url).status_code == 200, url


def test_staff_landing_opens_the_open_round(spring, staff_client):
    response = staff_client.get(reverse("network:staff_home"))

    assert response["Location"] == reverse("network:round_dashboard", args=["spring"])


def test_staff_landing_lists_the_rounds_when_none_is_open(staff_client):
    RoundFactory(status=Round.Status.CLOSED)

    response = staff_client.get(reverse("network:staff_home"))

    assert response["Location"] == reverse("surveys:staff_rounds")


def test_dashboard_shows_answers_snapshot_and_figures(spring, staff_client):
    response = staff_client.get(reverse("network:round_dashboard", args=["spring"]))

    text = response.content.decode()
    assert "5 of 8 organizations on the roster answered" in text
    assert "Built " in text and "from 5 responses" in text
    assert "Up to date with every submission." in text
    assert "The network splits into 4 fragments" in text
    assert "Among respondents only:" in text
    assert '<svg class="edn-chart"' in text
    assert 'hx-trigger="every' not in text


def test_dashboard_without_snapshot_says_so(staff_client):
    RoundFactory(slug="empty")

    response = staff_client.get(reverse("network:round_dashboard", args=["empty"]))

    assert "No snapshot yet" in response.content.decode()
    assert "No response has been submitted yet." in response.content.decode()


def test_dashboard_shows_a_running_rebuild_and_polls(spring, staff_client):
    RoundNetworkState.objects.filter(round=spring.round).update(
        running_since=timezone.now(), stage="layout", percent=83, generation=9
    )

    response = staff_client.get(reverse("network:round_dashboard", args=["spring"]))

    text = response.content.decode()
    assert "Rebuilding now: Laying out the map (83%)" in text
    assert 'hx-trigger="every 3s"' in text


def test_dashboard_shows_the_last_error_with_its_time(spring, staff_client):
    RoundNetworkState.objects.filter(round=spring.round).update(
        last_error="ValueError: broken row", last_error_at=timezone.now()
    )

    response = staff_client.get(reverse("network:round_dashboard", args=["spring"]))

    assert "The last rebuild failed on" in response.content.decode()
    assert "ValueError: broken row" in response.content.decode()


def test_rebuild_panel_asks_for_a_reload_when_a_newer_snapshot_is_ready(
    spring, staff_client
):
    url = reverse("network:round_rebuild_state", args=["spring"])
    version = spring.round.snapshots.get(status="ready").version

    current = staff_client.get(url, {"shown": version})
    newer = staff_client.get(url, {"shown": version - 1})

    assert "HX-Refresh" not in current
    assert newer["HX-Refresh"] == "true"


def test_staff_rebuild_now_marks_the_round_dirty(spring, staff_client):
    before = RoundNetworkState.objects.get(round=spring.round).generation

    response = staff_client.post(reverse("network:round_rebuild", args=["spring"]))

    assert response.status_code == 302
    assert RoundNetworkState.objects.get(round=spring.round).generation == before + 1


@pytest.mark.parametrize("persona", ["member_client", "anonymous_client"])
def test_others_cannot_rebuild(spring, persona, request):
    client = request.getfixturevalue(persona)
    before = RoundNetworkState.objects.get(round=spring.round).generation

    response = client.post(reverse("network:round_rebuild", args=["spring"]))

    assert response.status_code in (302, 403)
    assert RoundNetworkState.objects.get(round=spring.round).generation == before


def test_rebuild_now_refuses_get(spring, staff_client):
    response = staff_client.get(reverse("network:round_rebuild", args=["spring"]))

    assert response.status_code == 405


def test_dashboard_queries_do_not_grow_with_the_network(
    staff_client, django_assert_max_num_queries
):
    large_round(400)
    url = reverse("network:round_dashboard", args=["large"])

    with django_assert_max_num_queries(12):
        response = staff_client.get(url)

    assert response.status_code == 200


def test_fragments_reading_counts_in_words():
    assert readings.fragments_reading([6]) == (
        "The network is in one piece: every organization can reach all others."
    )
    assert readings.fragments_reading([4, 2]) == (
        "The network splits into 2 fragments; the largest holds 4 of 6 organizations."
    )


def test_connectors_reading_uses_singular_and_plural():
    assert readings.connectors_reading(1) == (
        "1 organization acts as a broker between sectors."
    )
    assert readings.connectors_reading(4, ("Health", "Housing", 1)) == (
        "4 organizations act as brokers between sectors. "
        "Health and Housing share the most: 1 tie."
    )
    assert readings.connectors_reading(0, ("Health", "Housing", 3)).endswith(
        "Health and Housing share the most: 3 ties."
    )


def test_strongest_pair_skips_ties_within_a_sector():
    mixing = {"sectors": ["A", "B", "C"], "matrix": [[9, 1, 0], [1, 9, 2], [0, 2, 9]]}

    assert readings.strongest_pair(mixing) == ("B", "C", 2)


def test_figure_cards_pair_each_figure_with_its_respondents_value():
    figures = {
        "reconstructed": {
            "organizations": 10,
            "ties": 9,
            "density": 0.2,
            "components": 2,
            "component_sizes": [8, 2],
            "confirmed_share": 0.5,
        },
        "respondents": {"organizations": 4, "ties": 3, "density": 0.5},
        "mixing": {"sectors": [], "matrix": [], "ei_index": None},
    }

    cards = {card.key: card for card in readings.figure_cards(figures)}

    assert cards["density"].value == "20%"
    assert cards["density"].respondents == "50%"
    assert cards["organizations"].reading.startswith("4 organizations answered")
    assert cards["average_ties"].value == "1.8"
    assert "splits into 2 fragments" in cards["components"].reading
