"""Comparing two snapshots by hand: ties, figures and positions."""

import doctest

import pytest

from network import comparison
from network.comparison import (
    betweenness_ranks,
    compare_figures,
    compare_snapshots,
    compare_ties,
    order_by,
    pair_key,
    position_changes,
)


def tie(source, target, level="communication", confirmed=False, **extra):
    reported = [source, target] if confirmed else [source]
    return {
        "source": source,
        "target": target,
        "level": level,
        "confirmed": confirmed,
        "reported_by": extra.pop("reported_by", reported),
        "data_agreement": extra.pop("data_agreement", "none"),
        **extra,
    }


def node(id, degree, betweenness, position, responded=True, name=None):
    return {
        "id": id,
        "name": name or f"Organization {id}",
        "sector": "Health",
        "degree": degree,
        "betweenness": betweenness,
        "position": position,
        "responded": responded,
    }


BEFORE_TIES = [
    tie(1, 2),
    tie(1, 3, "coordination", True, data_agreement="in_progress"),
    tie(2, 3, "collaboration", True),
    tie(3, 4),
    tie(5, 4),
    tie(1, 4, "coordination"),
]
AFTER_TIES = [
    tie(2, 1, "coordination", True),
    tie(1, 3, "coordination", True, data_agreement="signed"),
    tie(2, 3, "communication", True),
    tie(1, 4, "coordination"),
    tie(1, 5),
    tie(2, "write-in:acme"),
]
RESPONDED_AFTER = {1, 2, 3}


def pairs(records):
    return {record["pair"] for record in records}


def test_new_lost_strengthened_and_weakened_ties_are_found_exactly():
    changes = compare_ties(BEFORE_TIES, AFTER_TIES, RESPONDED_AFTER)

    assert pairs(changes["new"]) == {(1, 5), (2, "write-in:acme")}
    assert pairs(changes["lost"]) == {(3, 4), (4, 5)}
    assert pairs(changes["strengthened"]) == {(1, 2), (1, 3)}
    assert pairs(changes["weakened"]) == {(2, 3)}
    assert changes["kept"] == 4


def test_each_change_says_why_the_tie_grew_or_shrank():
    changes = compare_ties(BEFORE_TIES, AFTER_TIES, RESPONDED_AFTER)
    strengthened = {r["pair"]: r for r in changes["strengthened"]}
    weakened = {r["pair"]: r for r in changes["weakened"]}

    assert strengthened[(1, 2)]["reasons"] == ["level", "confirmed"]
    assert strengthened[(1, 2)]["level_before"] == "communication"
    assert strengthened[(1, 2)]["level_after"] == "coordination"
    assert strengthened[(1, 3)]["reasons"] == ["agreement"]
    assert strengthened[(1, 3)]["agreement_after"] == "signed"
    assert weakened[(2, 3)]["reasons"] == ["level"]


def test_a_lost_tie_whose_reporters_did_not_answer_is_marked_unanswered():
    changes = compare_ties(BEFORE_TIES, AFTER_TIES, RESPONDED_AFTER)
    lost = {r["pair"]: r for r in changes["lost"]}

    assert lost[(3, 4)]["unanswered"] is False
    assert lost[(4, 5)]["unanswered"] is True


def test_a_tie_that_grew_one_way_and_shrank_another_is_listed_twice():
    before = [tie(1, 2, "coordination", True)]
    after = [tie(1, 2, "collaboration", False)]

    changes = compare_ties(before, after)

    assert changes["strengthened"][0]["reasons"] == ["level"]
    assert changes["weakened"][0]["reasons"] == ["confirmed"]


def test_a_tie_reported_from_the_other_side_is_the_same_tie():
    assert pair_key(2, 1) == pair_key(1, 2)
    changes = compare_ties([tie(1, 2)], [tie(2, 1)])

    assert changes["kept"] == 1
    assert not changes["new"] and not changes["lost"]
    assert not changes["strengthened"] and not changes["weakened"]


def test_figures_rise_fall_or_stay_with_their_deltas():
    before = {"density": 0.041, "components": 3, "fragmentation": 0.5}
    after = {"density": 0.048, "components": 3, "fragmentation": 0.4}

    rows = {r["figure"]: r for r in compare_figures(before, after)}

    assert rows["density"]["direction"] == "rose"
    assert rows["density"]["delta"] == pytest.approx(0.007)
    assert rows["components"]["direction"] == "unchanged"
    assert rows["components"]["delta"] == 0
    assert rows["fragmentation"]["direction"] == "fell"
    assert rows["fragmentation"]["delta"] == pytest.approx(-0.1)
    assert rows["modularity"]["direction"] == "unknown"
    assert rows["modularity"]["delta"] is None


def test_betweenness_ranks_share_ties_and_leave_zero_unranked():
    nodes = [node(1, 3, 5.0, "broker"), node(2, 2, 5.0, "connected")]
    nodes += [node(3, 1, 2.0, "peripheral"), node(4, 1, 0.0, "peripheral")]

    assert betweenness_ranks(nodes) == {1: 1, 2: 1, 3: 3, 4: None}


def test_positions_report_rank_degree_and_label_changes():
    before = [
        node(1, 4, 10.0, "broker"),
        node(2, 2, 3.0, "connected"),
        node(3, 1, 0.0, "peripheral"),
        node(4, 1, 0.0, "peripheral"),
        node(9, 1, 0.0, "peripheral"),
    ]
    after = [
        node(1, 2, 1.0, "connected"),
        node(2, 2, 3.0, "connected"),
        node(3, 5, 12.0, "broker"),
        node(4, 1, 0.0, "peripheral"),
        node(7, 3, 0.0, "connected"),
    ]

    changes = position_changes(before, after)
    moved = {row["id"]: row for row in changes["moved"]}

    assert set(moved) == {1, 2, 3, 4}
    assert moved[3]["rank_before"] is None and moved[3]["rank_after"] == 1
    assert moved[3]["rank_change"] == 2
    assert moved[3]["degree_change"] == 4
    assert moved[3]["position_before"] == "peripheral"
    assert moved[3]["position_after"] == "broker"
    assert moved[1]["rank_change"] == -2
    assert moved[1]["degree_change"] == -2
    assert moved[2]["rank_change"] == 0 and not moved[2]["position_changed"]
    assert moved[4]["score"] == 0
    assert [row["id"] for row in changes["moved"]][:2] == [3, 1]
    assert [n["id"] for n in changes["joined"]] == [7]
    assert [n["id"] for n in changes["left"]] == [9]


def test_moved_organizations_sort_by_one_kind_of_change():
    before = [node(1, 1, 0.0, "peripheral"), node(2, 3, 1.0, "connected")]
    before += [node(3, 2, 2.0, "connected")]
    after = [node(1, 4, 0.0, "well_connected"), node(2, 3, 3.0, "connected")]
    after += [node(3, 2, 1.0, "connected")]
    moved = position_changes(before, after)["moved"]

    assert [row["id"] for row in order_by(moved, "degree")] == [1]
    assert [row["id"] for row in order_by(moved, "rank")] == [2, 3]
    assert [row["id"] for row in order_by(moved, "position")] == [1]
    assert {row["id"] for row in order_by(moved, "score")} == {1, 2, 3}


def test_compare_snapshots_takes_who_responded_from_the_later_round():
    before = {
        "nodes": [node(i, 1, 0.0, "peripheral") for i in (1, 2, 3, 4, 5)],
        "ties": BEFORE_TIES,
        "figures": {"density": 0.5},
    }
    after = {
        "nodes": [
            node(i, 1, 0.0, "peripheral", responded=i in RESPONDED_AFTER)
            for i in (1, 2, 3, 4, 5)
        ],
        "ties": AFTER_TIES,
        "figures": {"density": 0.4},
    }

    result = compare_snapshots(before, after)

    lost = {r["pair"]: r["unanswered"] for r in result["ties"]["lost"]}
    assert lost == {(3, 4): False, (4, 5): True}
    assert result["figures"][2]["figure"] == "density"
    assert result["figures"][2]["direction"] == "fell"


def test_the_examples_in_the_docstrings_hold():
    assert doctest.testmod(comparison).failed == 0
