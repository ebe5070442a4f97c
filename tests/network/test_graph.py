"""Building the nomination graph and deriving ties and layers."""

import pytest

from network.engine import NominationRow, OrganizationRow, compute_network
from network.graph import LAYERS, build_graph, derive_ties, layer_graph

ORGANIZATIONS = [
    OrganizationRow(1, "Food Bank", "Food security", responded=True),
    OrganizationRow(2, "Clinic", "Health", responded=True),
    OrganizationRow(3, "Shelter", "Housing"),
    OrganizationRow("write-in:legal aid", "Legal Aid", None, on_roster=False),
]


def test_duplicate_nominations_of_a_pair_are_merged_to_the_highest_report():
    G = build_graph(
        ORGANIZATIONS,
        [
            NominationRow(1, 2, "communication", sends_referrals=True),
            NominationRow(1, 2, "collaboration", data_sharing="aggregate"),
        ],
    )

    assert G.number_of_edges() == 1
    assert G[1][2]["level"] == 2
    assert G[1][2]["sends_referrals"] is True
    assert G[1][2]["data_sharing"] == 1


def test_a_tie_is_confirmed_only_when_both_named_each_other():
    G = build_graph(
        ORGANIZATIONS,
        [NominationRow(1, 2), NominationRow(2, 1, "coordination"), NominationRow(1, 3)],
    )

    ties = {(t["source"], t["target"]): t for t in derive_ties(G)}

    assert set(ties) == {(1, 2), (1, 3)}
    assert ties[1, 2]["confirmed"] is True
    assert ties[1, 2]["level"] == "coordination"
    assert ties[1, 2]["reported_by"] == [1, 2]
    assert ties[1, 3]["confirmed"] is False
    assert ties[1, 3]["reported_by"] == [1]


def test_referral_directions_combine_both_reports():
    G = build_graph(
        ORGANIZATIONS,
        [
            NominationRow(1, 2, sends_referrals=True),
            NominationRow(2, 1, sends_referrals=True),
        ],
    )

    (tie,) = derive_ties(G)

    assert tie["referrals_source_to_target"] is True
    assert tie["referrals_target_to_source"] is True
    assert "referrals" in tie["layers"]


def test_write_ins_and_unknown_partners_become_nodes_off_the_roster():
    G = build_graph(
        ORGANIZATIONS,
        [NominationRow(1, "write-in:legal aid"), NominationRow(2, 99)],
    )

    assert G.nodes["write-in:legal aid"]["on_roster"] is False
    assert G.nodes[99]["on_roster"] is False
    assert G.nodes[99]["name"] == "99"


def test_a_nomination_of_oneself_is_dropped():
    G = build_graph(ORGANIZATIONS, [NominationRow(1, 1)])

    assert G.number_of_edges() == 0


def test_an_unknown_level_is_refused_with_the_nomination_named():
    with pytest.raises(ValueError, match=r"1 -> 2: unknown collaboration level"):
        build_graph(ORGANIZATIONS, [NominationRow(1, 2, "friendship")])


def test_an_organization_listed_twice_is_refused():
    with pytest.raises(ValueError, match="appears twice"):
        build_graph([*ORGANIZATIONS, ORGANIZATIONS[0]], [])


def test_layers_keep_the_nominations_of_their_kind():
    G = build_graph(
        ORGANIZATIONS,
        [
            NominationRow(1, 2, "collaboration", data_sharing="record"),
            NominationRow(2, 3, "coordination", receives_referrals=True),
            NominationRow(1, 3),
        ],
    )

    edges = {layer: set(layer_graph(G, layer).edges()) for layer in LAYERS}

    assert edges["all"] == {(1, 2), (2, 3), (1, 3)}
    assert edges["coordination"] == {(1, 2), (2, 3)}
    assert edges["collaboration"] == {(1, 2)}
    assert edges["referrals"] == {(3, 2)}
    assert edges["data_sharing"] == {(1, 2)}
    assert layer_graph(G, "referrals")[3][2]["reported_by"] == [2]


def test_an_unknown_layer_is_refused():
    G = build_graph(ORGANIZATIONS, [])

    with pytest.raises(ValueError, match="unknown layer"):
        layer_graph(G, "friendship")


def test_non_respondents_are_reported_by_others():
    result = compute_network(
        ORGANIZATIONS, [NominationRow(1, 3), NominationRow(1, 2), NominationRow(2, 1)]
    )

    assert result.organizations[3]["reported_by_others"] is True
    assert result.organizations[1]["reported_by_others"] is False
    assert result.organizations["write-in:legal aid"]["reported_by_others"] is False
    assert result.organizations["write-in:legal aid"]["position"] == "isolate"


def test_a_respondent_named_by_many_it_did_not_name_is_reported_by_others():
    organizations = [
        OrganizationRow(i, str(i), None, responded=True) for i in range(1, 5)
    ]

    result = compute_network(
        organizations,
        [
            NominationRow(2, 1),
            NominationRow(3, 1),
            NominationRow(1, 4),
            NominationRow(4, 1),
        ],
    )

    assert result.organizations[1]["reported_by_others"] is True
    assert result.organizations[4]["reported_by_others"] is False
