"""Compare two snapshots of a network: ties, round figures and positions.

Plain functions over the plain data a snapshot stores: its map payload
(``nodes`` and ``ties``, see :func:`network.snapshots.map_payload`) and its
figures. An organization keeps its node id from round to round (the
organization's id, or ``write-in:<key>`` for a write-in), so two rounds are
matched by node id. Nothing here touches the database.
"""

import gc
import logging
from contextlib import contextmanager

from network.graph import DATA_AGREEMENTS, LEVELS

logger = logging.getLogger(__name__)

# Round figures compared side by side, in the order they are shown. A kind
# says how to read the value: a count, a share between 0 and 1, or a length.
FIGURES = (
    ("organizations", "count"),
    ("ties", "count"),
    ("density", "share"),
    ("confirmed_share", "share"),
    ("reciprocity", "share"),
    ("transitivity", "share"),
    ("components", "count"),
    ("fragmentation", "share"),
    ("degree_centralization", "share"),
    ("average_path_length", "length"),
    ("modularity", "share"),
)
# Differences smaller than this are "unchanged"; figures are rounded to three
# decimals on the page.
TOLERANCE = 5e-4


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector while many small dicts are made.

    A comparison of large rounds builds tens of thousands of records that
    all live on; the collector would rescan them again and again for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pair_key(a, b):
    """Return the key of the unordered pair of organizations ``a`` and ``b``.

    Ids may mix integers and ``write-in:`` strings; ids of one type are
    ordered as they are, an integer and a string by their text.

    Examples
    --------
    >>> pair_key(7, 3) == pair_key(3, 7)
    True
    """
    if type(a) is type(b):
        return (a, b) if a <= b else (b, a)
    return (a, b) if str(a) <= str(b) else (b, a)


def _index(ties):
    return {pair_key(tie["source"], tie["target"]): tie for tie in ties}


def _rank(scale, value):
    try:
        return scale.index(value)
    except ValueError:
        return 0


def tie_change_reasons(before, after):
    """Return ``(stronger, weaker)``: why a tie grew, and why it shrank.

    Parameters
    ----------
    before, after : dict
        The same tie in the earlier and the later snapshot, with ``level``,
        ``confirmed`` and ``data_agreement`` as
        :func:`network.graph.derive_ties` gives them.

    Returns
    -------
    stronger, weaker : list of str
        Codes among ``level`` (the collaboration level rose or fell),
        ``confirmed`` (a one-sided tie became confirmed, or the reverse)
        and ``agreement`` (a data agreement got signed, or is no longer).

    Examples
    --------
    >>> tie_change_reasons(
    ...     {"level": "communication", "confirmed": False},
    ...     {"level": "coordination", "confirmed": True},
    ... )
    (['level', 'confirmed'], [])
    """
    stronger, weaker = [], []
    level_before = _rank(LEVELS, before.get("level"))
    level_after = _rank(LEVELS, after.get("level"))
    if level_after > level_before:
        stronger.append("level")
    elif level_after < level_before:
        weaker.append("level")

    if after.get("confirmed") and not before.get("confirmed"):
        stronger.append("confirmed")
    elif before.get("confirmed") and not after.get("confirmed"):
        weaker.append("confirmed")

    signed = DATA_AGREEMENTS[-1]
    if after.get("data_agreement") == signed != before.get("data_agreement"):
        stronger.append("agreement")
    elif before.get("data_agreement") == signed != after.get("data_agreement"):
        weaker.append("agreement")
    return stronger, weaker


def _tie_record(key, before, after, reasons=()):
    tie = after if after is not None else before
    return {
        "pair": key,
        "source": tie["source"],
        "target": tie["target"],
        "level_before": before.get("level") if before else None,
        "level_after": after.get("level") if after else None,
        "confirmed_before": bool(before.get("confirmed")) if before else None,
        "confirmed_after": bool(after.get("confirmed")) if after else None,
        "agreement_before": before.get("data_agreement") if before else None,
        "agreement_after": after.get("data_agreement") if after else None,
        "reasons": list(reasons),
    }


def compare_ties(before, after, responded_after=None):
    """Return the ties gained, lost, strengthened and weakened between rounds.

    Parameters
    ----------
    before, after : list of dict
        The ties of the earlier and the later snapshot.
    responded_after : set, optional
        Node ids of the organizations that responded in the later round. A
        lost tie whose reporters all stayed silent is marked ``unanswered``:
        it may still exist, nobody said either way.

    Returns
    -------
    changes : dict
        ``new``, ``lost``, ``strengthened`` and ``weakened``: lists of
        records with ``pair``, ``source``, ``target``, the ``level``,
        ``confirmed`` and ``agreement`` before and after (None where the
        tie did not exist), ``reasons`` (see :func:`tie_change_reasons`),
        and for lost ties ``unanswered``. A tie that grew in one way and
        shrank in another is in both ``strengthened`` and ``weakened``.
        ``kept``: how many ties exist in both rounds. Lists are sorted by
        pair so that the result is stable.

    Examples
    --------
    >>> changes = compare_ties(
    ...     [{"source": 1, "target": 2, "level": "communication"}],
    ...     [{"source": 2, "target": 1, "level": "coordination"},
    ...      {"source": 1, "target": 3, "level": "communication"}],
    ... )
    >>> [t["pair"] for t in changes["new"]], changes["strengthened"][0]["reasons"]
    ([(1, 3)], ['level'])
    """
    earlier, later = _index(before), _index(after)
    changes = {"new": [], "lost": [], "strengthened": [], "weakened": [], "kept": 0}

    for key, tie in later.items():
        old = earlier.get(key)
        if old is None:
            changes["new"].append(_tie_record(key, None, tie))
            continue
        changes["kept"] += 1
        if (
            old.get("level") == tie.get("level")
            and old.get("confirmed") == tie.get("confirmed")
            and old.get("data_agreement") == tie.get("data_agreement")
        ):
            continue
        stronger, weaker = tie_change_reasons(old, tie)
        if stronger:
            changes["strengthened"].append(_tie_record(key, old, tie, stronger))
        if weaker:
            changes["weakened"].append(_tie_record(key, old, tie, weaker))

    for key, tie in earlier.items():
        if key in later:
            continue
        record = _tie_record(key, tie, None)
        reporters = tie.get("reported_by") or [tie["source"]]
        record["unanswered"] = responded_after is not None and not any(
            reporter in responded_after for reporter in reporters
        )
        changes["lost"].append(record)

    for name in ("new", "lost", "strengthened", "weakened"):
        changes[name].sort(key=lambda record: tuple(map(str, record["pair"])))
    return changes


def compare_figures(before, after, figures=FIGURES):
    """Return each round figure before and after, with its change.

    Parameters
    ----------
    before, after : dict
        Figures of the two snapshots, such as their ``reconstructed``
        figures (:func:`network.figures.round_figures`).
    figures : sequence of (str, str)
        Figure names and their kinds (``count``, ``share``, ``length``).

    Returns
    -------
    rows : list of dict
        ``figure``, ``kind``, ``before``, ``after``, ``delta`` (None when
        either value is missing) and ``direction``: ``rose``, ``fell``,
        ``unchanged`` or ``unknown``.

    Examples
    --------
    >>> compare_figures({"density": 0.041}, {"density": 0.048},
    ...                 [("density", "share")])[0]["direction"]
    'rose'
    """
    rows = []
    for figure, kind in figures:
        old, new = before.get(figure), after.get(figure)
        if old is None or new is None:
            delta, direction = None, "unknown"
        else:
            delta = new - old
            if abs(delta) < TOLERANCE:
                direction = "unchanged"
            else:
                direction = "rose" if delta > 0 else "fell"
        rows.append(
            {
                "figure": figure,
                "kind": kind,
                "before": old,
                "after": new,
                "delta": delta,
                "direction": direction,
            }
        )
    return rows


def betweenness_ranks(nodes):
    """Return each node's betweenness rank: 1 for the highest.

    Organizations with equal betweenness share the best rank among them
    ("competition" ranking). An organization on no shortest path has no
    rank (None): ordering a crowd of zeros means nothing.

    Examples
    --------
    >>> betweenness_ranks([{"id": "a", "betweenness": 4.0},
    ...                    {"id": "b", "betweenness": 4.0},
    ...                    {"id": "c", "betweenness": 1.0},
    ...                    {"id": "d", "betweenness": 0.0}])
    {'a': 1, 'b': 1, 'c': 3, 'd': None}
    """
    values = sorted(
        ((node.get("betweenness") or 0.0, node["id"]) for node in nodes),
        key=lambda item: -item[0],
    )
    ranks = {}
    previous, rank = None, 0
    for place, (value, node_id) in enumerate(values, start=1):
        if value <= 0:
            ranks[node_id] = None
            continue
        if value != previous:
            rank, previous = place, value
        ranks[node_id] = rank
    return ranks


def _degree(node):
    if "degree" in node:
        return int(node["degree"] or 0)
    return int(node.get("in_degree") or 0) + int(node.get("out_degree") or 0)


def position_changes(before, after):
    """Return how each organization's place in the network moved.

    Parameters
    ----------
    before, after : list of dict
        The nodes of the earlier and the later snapshot, with ``id``,
        ``name``, ``sector``, ``degree``, ``betweenness`` and ``position``.

    Returns
    -------
    changes : dict
        ``moved``: one record per organization in both rounds with
        ``id``, ``name``, ``sector``, ``degree_before``, ``degree_after``,
        ``degree_change``, ``rank_before``, ``rank_after`` (None without
        betweenness), ``rank_change`` (places climbed; an unranked
        organization counts as just below the last ranked one),
        ``position_before``, ``position_after``, ``position_changed``,
        ``responded_before``, ``responded_after`` and ``score``; sorted by
        ``score``, the largest change first. The score adds the rank change
        as a share of the larger network, the degree change as a share of
        the highest degree, and 1 when the position label changed, so that
        no single measure drowns the others.
        ``joined`` and ``left``: nodes found in only one of the rounds,
        most ties first.
    """
    earlier = {node["id"]: node for node in before}
    later = {node["id"]: node for node in after}
    ranks_before, ranks_after = betweenness_ranks(before), betweenness_ranks(after)
    floor_before = 1 + sum(rank is not None for rank in ranks_before.values())
    floor_after = 1 + sum(rank is not None for rank in ranks_after.values())
    size = max(len(earlier), len(later), 1)
    top_degree = max([_degree(n) for n in (*before, *after)] or [0]) or 1

    moved = []
    for node_id, new in later.items():
        old = earlier.get(node_id)
        if old is None:
            continue
        rank_before, rank_after = ranks_before[node_id], ranks_after[node_id]
        rank_change = (rank_before or floor_before) - (rank_after or floor_after)
        if rank_before is None and rank_after is None:
            rank_change = 0
        degree_before, degree_after = _degree(old), _degree(new)
        label_before = old.get("position") or ""
        label_after = new.get("position") or ""
        changed = label_before != label_after
        score = (
            abs(rank_change) / size
            + abs(degree_after - degree_before) / top_degree
            + (1.0 if changed else 0.0)
        )
        moved.append(
            {
                "id": node_id,
                "name": new.get("name") or old.get("name") or str(node_id),
                "sector": new.get("sector") or old.get("sector") or "",
                "degree_before": degree_before,
                "degree_after": degree_after,
                "degree_change": degree_after - degree_before,
                "rank_before": rank_before,
                "rank_after": rank_after,
                "rank_change": rank_change,
                "position_before": label_before,
                "position_after": label_after,
                "position_changed": changed,
                "responded_before": bool(old.get("responded")),
                "responded_after": bool(new.get("responded")),
                "score": score,
            }
        )
    moved.sort(key=lambda row: (-row["score"], str(row["name"])))

    def only_in(nodes, other):
        rows = [n for n in nodes if n["id"] not in other]
        return sorted(rows, key=lambda n: (-_degree(n), str(n.get("name"))))

    return {
        "moved": moved,
        "joined": only_in(after, earlier),
        "left": only_in(before, later),
    }


def order_by(moved, key):
    """Return the moved organizations sorted by one kind of change.

    ``key`` is ``score`` (the default order), ``rank`` (largest betweenness
    rank change), ``degree`` (largest change in ties) or ``position`` (the
    position label changed, then by score). Organizations that did not
    change in that way are left out.
    """
    if key == "rank":
        rows = [row for row in moved if row["rank_change"]]
        return sorted(rows, key=lambda row: -abs(row["rank_change"]))
    if key == "degree":
        rows = [row for row in moved if row["degree_change"]]
        return sorted(rows, key=lambda row: -abs(row["degree_change"]))
    if key == "position":
        return [row for row in moved if row["position_changed"]]
    return [row for row in moved if row["score"] > 0]


def compare_snapshots(before, after):
    """Return the whole comparison of two snapshots' plain data.

    Parameters
    ----------
    before, after : dict
        Each with ``nodes`` and ``ties`` (a snapshot's map payload) and
        ``figures`` (its round figures, flat: name -> value).

    Returns
    -------
    comparison : dict
        ``ties`` from :func:`compare_ties`, ``figures`` from
        :func:`compare_figures`, ``positions`` from
        :func:`position_changes`.
    """
    responded = {node["id"] for node in after["nodes"] if node.get("responded")}
    with collector_paused():
        comparison = {
            "ties": compare_ties(before["ties"], after["ties"], responded),
            "figures": compare_figures(before["figures"], after["figures"]),
            "positions": position_changes(before["nodes"], after["nodes"]),
        }
    ties = comparison["ties"]
    logger.info(
        "compared snapshots: %d new, %d lost, %d strengthened, %d weakened ties",
        len(ties["new"]),
        len(ties["lost"]),
        len(ties["strengthened"]),
        len(ties["weakened"]),
    )
    return comparison
