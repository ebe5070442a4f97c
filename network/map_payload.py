"""Turn a snapshot into the compact JSON the map explorer draws.

The snapshot stores every organization with its measures and every tie as a
row. The browser needs less, in a tighter shape: nodes and ties as rows under
``node_columns`` and ``tie_columns``, ties naming their ends by node index,
sectors, services, levels and positions as indexes into lists, tie layers as
a bit mask, and a legend with a colour for every value the map can be
coloured by. Names are data only; the page renders them as text.

Each audience's payload is built and gzipped once per snapshot and language
while the rebuild stores the snapshot (`network.snapshots.store_maps`); map
requests only send the stored bytes.
"""

import gzip
import json
import logging
import math
from collections import Counter
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from network.colours import (
    ALONE_COLOUR,
    LEVEL_STYLES,
    POSITION_COLOURS,
    UNKNOWN_COLOUR,
    cycled,
    sector_colours,
)
from network.graph import DATA_AGREEMENTS, DATA_SHARING, LAYERS, LEVELS

logger = logging.getLogger(__name__)

FORMAT = 1

NODE_COLUMNS = (
    "id",
    "label",
    "sector",
    "services",
    "community",
    "component",
    "position",
    "degree",
    "in_degree",
    "out_degree",
    "betweenness",
    "closeness",
    "pagerank",
    "core",
    "constraint",
    "x",
    "y",
    "responded",
    "on_roster",
)
TIE_COLUMNS = (
    "source",
    "target",
    "confirmed",
    "level",
    "referrals",
    "data_sharing",
    "data_agreement",
    "layers",
)
# Bits of a tie's `referrals` value.
REFERS_SOURCE_TO_TARGET = 1
REFERS_TARGET_TO_SOURCE = 2

POSITIONS = ("broker", "well_connected", "connected", "peripheral", "isolate")
# The position of an organization whose measures a page may not show.
NOT_SHOWN = "not_shown"


def level_labels():
    return [_("Communication"), _("Coordination"), _("Collaboration")]


def position_labels():
    return {
        "broker": _("Broker"),
        "well_connected": _("Well connected"),
        "connected": _("Connected"),
        "peripheral": _("Peripheral"),
        "isolate": _("Isolated"),
    }


def layer_labels():
    return {
        "all": _("All ties"),
        "coordination": _("Coordination and above"),
        "collaboration": _("Collaboration"),
        "referrals": _("Referrals"),
        "data_sharing": _("Data sharing"),
    }


def sharing_labels():
    return [_("None"), _("Aggregate data"), _("Record-level data")]


def agreement_labels():
    return [_("None"), _("In progress"), _("Signed")]


def _significant(value, digits=4):
    if value is None or not isinstance(value, int | float):
        return None
    if not math.isfinite(value):
        return None
    if isinstance(value, int) or value == 0:
        return value
    return float(f"{value:.{digits}g}")


def _coordinate(value):
    value = value if isinstance(value, int | float) else 0.0
    return round(float(value), 4) if math.isfinite(value) else 0.0


def _ranks(values):
    """Return {value: rank} with rank 0 for the most frequent value."""
    counts = Counter(values)
    ordered = sorted(counts, key=lambda v: (-counts[v], str(v)))
    return {value: rank for rank, value in enumerate(ordered)}, counts


def _legend(parts):
    """Return the legend of each colouring, in the active language."""
    positions = position_labels()
    communities, community_sizes = parts.communities
    components, component_sizes = parts.components
    colours = sector_colours()
    legend = {
        "sector": [
            {"label": name, "colour": colours.get(name, UNKNOWN_COLOUR), "count": 0}
            for name in parts.sectors
        ]
        + [{"label": _("No sector"), "colour": UNKNOWN_COLOUR, "count": 0}],
        "community": [
            {
                "label": _("Community %(number)d") % {"number": rank + 1},
                "colour": cycled(rank),
                "count": community_sizes[value],
            }
            for value, rank in communities.items()
        ],
        "component": [
            {
                "label": _("Main network")
                if rank == 0 and component_sizes[value] > 1
                else _("On its own")
                if component_sizes[value] == 1
                else _("Fragment %(number)d") % {"number": rank + 1},
                "colour": cycled(rank) if component_sizes[value] > 1 else ALONE_COLOUR,
                "count": component_sizes[value],
            }
            for value, rank in components.items()
        ],
        "position": [
            {"label": positions[key], "colour": POSITION_COLOURS[key], "count": 0}
            for key in POSITIONS
        ],
    }
    for row in parts.nodes:
        legend["sector"][row[2]]["count"] += 1
        if row[6] < len(POSITIONS):
            legend["position"][row[6]]["count"] += 1
    if not legend["sector"][-1]["count"]:
        legend["sector"].pop()
    hidden = sum(1 for row in parts.nodes if row[6] == len(POSITIONS))
    if hidden:
        legend["position"].append(
            {"label": _("Not shown"), "colour": UNKNOWN_COLOUR, "count": hidden}
        )
    return legend


def _node_row(node, sector_index, service_index, communities, components):
    sector = node.get("sector")
    position = node.get("position") or "isolate"
    degree = node.get("degree")
    if degree is None:
        degree = (node.get("in_degree") or 0) + (node.get("out_degree") or 0)
    return [
        node["id"],
        str(node.get("name") or ""),
        sector_index.get(sector, len(sector_index)),
        sorted(service_index[s] for s in node.get("services") or () if s),
        communities[node.get("community", 0)],
        components[node.get("component", 0)],
        _position_code(position),
        degree,
        node.get("in_degree") or 0,
        node.get("out_degree") or 0,
        _significant(node.get("betweenness")),
        _significant(node.get("closeness")),
        _significant(node.get("pagerank")),
        node.get("core") or 0,
        _significant(node.get("constraint")),
        _coordinate(node.get("x")),
        _coordinate(node.get("y")),
        1 if node.get("responded") else 0,
        1 if node.get("on_roster") else 0,
    ]


def _position_code(position):
    if position == NOT_SHOWN:
        return len(POSITIONS)
    return POSITIONS.index(position) if position in POSITIONS else len(POSITIONS) - 1


# The stored tie fields a map row is made of, in the order `read` takes them.
STORED_TIE_FIELDS = (
    "source",
    "target",
    "confirmed",
    "level",
    "referrals_source_to_target",
    "referrals_target_to_source",
    "data_sharing",
    "data_agreement",
    "layers",
)


def _tie_reader(columns):
    """Return a function turning a stored tie row into a compact map row."""
    at = {name: i for i, name in enumerate(columns)}
    picks = [at.get(name, len(columns)) for name in STORED_TIE_FIELDS]
    level_of = {name: i for i, name in enumerate(LEVELS)}
    sharing_of = {name: i for i, name in enumerate(DATA_SHARING)}
    agreement_of = {name: i for i, name in enumerate(DATA_AGREEMENTS)}
    layer_bits = {layer: 1 << bit for bit, layer in enumerate(LAYERS)}

    def read(row, node_index):
        row = [*row, None]
        (
            source,
            target,
            confirmed,
            level,
            forward,
            backward,
            sharing,
            agreement,
            layers,
        ) = (row[i] for i in picks)
        bits = 0
        for layer in layers or ():
            bits |= layer_bits.get(layer, 0)
        return [
            node_index[source],
            node_index[target],
            1 if confirmed else 0,
            level_of.get(level, 0),
            (REFERS_SOURCE_TO_TARGET if forward else 0)
            | (REFERS_TARGET_TO_SOURCE if backward else 0),
            sharing_of.get(sharing, 0),
            agreement_of.get(agreement, 0),
            bits,
        ]

    return read


def stored_payload(snapshot):
    """Return the snapshot's stored payload with ties still as rows."""
    blob = bytes(snapshot.payload or b"")
    stored = json.loads(gzip.decompress(blob)) if blob else {}
    stored.setdefault("nodes", [])
    stored.setdefault("ties", [])
    stored.setdefault("tie_columns", ["source", "target"])
    return stored


@dataclass
class MapParts:
    """The language-neutral rows of a map payload; see `translated_payload`."""

    nodes: list
    ties: list
    sectors: list
    services: list
    communities: tuple
    components: tuple


def map_parts(stored, *, include=None, label_for=None, keep_tie=None):
    """Return the rows of a map from a stored payload: nodes, ties, lists.

    Parameters
    ----------
    stored : dict
        ``nodes`` (dicts) and ``ties`` (rows under ``tie_columns``), as
        `stored_payload` returns them.
    include : callable, optional
        ``include(node) -> bool``; nodes it refuses are left out, with their
        ties. ``node`` is the snapshot's node dict.
    label_for : callable, optional
        ``label_for(node) -> str``: the name to show, for pages that must
        hide some names. By default the organization's name.
    keep_tie : callable, optional
        ``keep_tie(tie) -> bool``; ties it refuses are left out.
    """
    nodes = [n for n in stored["nodes"] if include is None or include(n)]
    if label_for is not None:
        nodes = [{**n, "name": label_for(n)} for n in nodes]

    sectors = sorted({n["sector"] for n in nodes if n.get("sector")})
    services = sorted({s for n in nodes for s in n.get("services") or () if s})
    sector_index = {name: i for i, name in enumerate(sectors)}
    service_index = {name: i for i, name in enumerate(services)}
    communities = _ranks(n.get("community", 0) for n in nodes)
    components = _ranks(n.get("component", 0) for n in nodes)
    rows = [
        _node_row(n, sector_index, service_index, communities[0], components[0])
        for n in nodes
    ]

    node_index = {row[0]: i for i, row in enumerate(rows)}
    columns = stored["tie_columns"]
    source, target = columns.index("source"), columns.index("target")
    read = _tie_reader(columns)
    ties = [
        read(t, node_index)
        for t in stored["ties"]
        if t[source] in node_index
        and t[target] in node_index
        and (keep_tie is None or keep_tie(dict(zip(columns, t, strict=False))))
    ]
    return MapParts(rows, ties, sectors, services, communities, components)


def translated_payload(parts, snapshot, *, focus=None):
    """Return the payload of `parts` with its words in the active language."""
    node_ids = {row[0] for row in parts.nodes}
    return {
        "format": FORMAT,
        "round": {"name": snapshot.round.name, "slug": snapshot.round.slug},
        "snapshot": {
            "version": snapshot.version,
            "built": snapshot.finished_at.isoformat() if snapshot.finished_at else "",
            "responses": snapshot.responses_count,
        },
        "focus": focus if focus in node_ids else None,
        "sectors": parts.sectors,
        "services": parts.services,
        "levels": level_labels(),
        "layers": [{"key": k, "label": v} for k, v in layer_labels().items()],
        "data_sharing": sharing_labels(),
        "data_agreements": agreement_labels(),
        "node_columns": list(NODE_COLUMNS),
        "nodes": parts.nodes,
        "tie_columns": list(TIE_COLUMNS),
        "ties": parts.ties,
        "legend": {
            **_legend(parts),
            "levels": [
                {"label": label, "colour": colour, "width": width}
                for label, (colour, width) in zip(
                    level_labels(), LEVEL_STYLES, strict=True
                )
            ],
        },
    }


def build_map_payload(
    snapshot, *, include=None, label_for=None, keep_tie=None, focus=None
):
    """Return the map payload of `snapshot` as a dict ready for JSON.

    See `map_parts` for the parameters; ``focus`` is the id of the node the
    map opens on. Pages never call this in a request: the rebuild stores
    each audience's payload (see `network.snapshots.store_maps`).
    """
    parts = map_parts(
        stored_payload(snapshot),
        include=include,
        label_for=label_for,
        keep_tie=keep_tie,
    )
    return translated_payload(parts, snapshot, focus=focus)


def gzip_payload(payload):
    """Return the payload as gzipped compact JSON."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return gzip.compress(text.encode(), compresslevel=5)


def staff_payload_builder(snapshot):
    """Return ``build(language) -> payload`` for the full staff map.

    The rows are read once; each language only adds its words.
    """
    parts = map_parts(stored_payload(snapshot))

    def build(language):
        with translation.override(language):
            return translated_payload(parts, snapshot)

    return build
