"""The round's network as one participant may see it: nodes, ties, table.

Measures and positions come from the round's newest snapshot; ties and
partner counts come from the reports the viewer may see (see
participants.visibility), so a hidden report never shows up as a tie, a
partner or a count.
"""

import logging
from statistics import mean

from network.services import latest_snapshot
from participants.visibility import MIN_GROUP, RoundView, suppressed

logger = logging.getLogger(__name__)

MEASURES = ("betweenness", "closeness", "pagerank", "core", "position")
SORTS = ("label", "sector", "partners", "betweenness", "closeness", "pagerank")


def snapshot_rows(snapshot):
    """Return {organization id: metrics row} of a snapshot, roster only."""
    if snapshot is None:
        return {}
    rows = snapshot.metrics.filter(organization__isnull=False).values(
        "organization_id", "x", "y", "brokerage", "extras", *MEASURES
    )
    return {row["organization_id"]: row for row in rows}


def measures_shown(snapshot):
    """Return whether whole-network measures rest on enough organizations."""
    return snapshot is not None and not suppressed(snapshot.responses_count)


def _placed(view, pk, metrics, neighbours):
    """Return (x, y) for a node without leaking where its hidden ties pull it.

    An organization whose own reports the viewer may not see sits at the
    middle of its visible partners rather than where the full layout put it.
    """
    # TODO: positions of shown organizations still come from the full layout,
    # which hidden reports also shaped; a participant layout per rebuild
    # would remove that last trace.
    if view.shares_reports(pk) or not neighbours.get(pk):
        row = metrics.get(pk)
        return (row["x"], row["y"]) if row else (0.0, 0.0)
    points = [metrics[n] for n in neighbours[pk] if n in metrics]
    if not points:
        return (0.0, 0.0)
    return (mean(p["x"] for p in points), mean(p["y"] for p in points))


def participant_network(round, viewer):
    """Return the map payload of a round for a viewer: nodes and ties."""
    view = RoundView(round, viewer)
    snapshot = latest_snapshot(round)
    metrics = snapshot_rows(snapshot)
    neighbours = view.neighbours()
    shown = sorted(view.visible_organizations())
    view.prepare_labels(shown)
    with_measures = measures_shown(snapshot)

    nodes = []
    for pk in shown:
        x, y = _placed(view, pk, metrics, neighbours)
        _name, sector, _services = view.organization(pk)
        node = {
            "id": view.public_id(pk),
            "label": view.label(pk),
            "sector": sector,
            "services": view.services(pk),
            "named": view.names(pk),
            "own": view.is_own(pk),
            "partners": len(neighbours.get(pk, ())),
            "x": x,
            "y": y,
        }
        row = metrics.get(pk)
        if with_measures and row and view.shows_measures(pk):
            node.update({m: row[m] for m in MEASURES})
        nodes.append(node)

    ties = [
        {
            "source": view.public_id(tie.a),
            "target": view.public_id(tie.b),
            "level": tie.level,
            "confirmed": tie.confirmed,
            "referrals_source_to_target": tie.a_refers_to_b,
            "referrals_target_to_source": tie.b_refers_to_a,
            "data_agreement": tie.data_agreement,
        }
        for tie in view.ties().values()
    ]
    return {
        "round": round.slug,
        "snapshot": snapshot.version if snapshot else None,
        "measures_shown": with_measures,
        "nodes": nodes,
        "ties": ties,
    }


def table_rows(payload, *, query="", sector="", sort="label"):
    """Return the payload's nodes filtered and sorted for the table."""
    query = query.strip().casefold()
    rows = [
        node
        for node in payload["nodes"]
        if (not query or query in node["label"].casefold())
        and (not sector or node["sector"] == sector)
    ]
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "label", False

    def order(node):
        value = node.get(key)
        if isinstance(value, str):
            return (value is None, value.casefold())
        return (value is None, -(value or 0) if descending else value or 0)

    rows.sort(key=order)
    if descending and key in ("label", "sector"):
        rows.reverse()
    return rows


def sector_summary(payload):
    """Return organizations and mean partners per sector, small groups hidden."""
    groups = {}
    for node in payload["nodes"]:
        groups.setdefault(node["sector"] or "", []).append(node["partners"])
    summary = []
    for sector, partners in sorted(groups.items()):
        hidden = suppressed(len(partners))
        summary.append(
            {
                "sector": sector,
                "organizations": None if hidden else len(partners),
                "mean_partners": None if hidden else round(mean(partners), 1),
            }
        )
    return summary, MIN_GROUP
