"""The participants' map: built once per rebuild, overlaid per viewer.

At rebuild time the shared network (network.shared_network: the reports
participants may see, with a layout of their own) becomes one payload per
language in the staff map's format, labelled as a participant who belongs
to no organization may see it (participants.visibility). A request sends
those stored bytes as they are, unless the viewer belongs to an
organization that participants see less of (anonymous or staff only): then
its own name, services and reports are laid over the stored payload. The
ego map of My organization is the same payload cut down to the
organization's partners at distance 1 or 2. Neither computes a measure or
a layout.
"""

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass

from django.http import JsonResponse
from django.utils.translation import gettext as _

from network.graph import DATA_AGREEMENTS, DATA_SHARING, LAYERS, LEVELS
from network.map_payload import (
    NOT_SHOWN,
    POSITIONS,
    STORED_TIE_FIELDS,
    gzip_payload,
    map_parts,
    stored_payload,
    translated_payload,
)
from network.map_views import (
    explorer_context,
    map_json_response,
    map_language,
    ready_snapshot,
)
from network.models import SnapshotMap
from participants.visibility import UNANSWERED, RoundView, Viewer, suppressed
from surveys.models import Visibility

logger = logging.getLogger(__name__)

MEASURES = ("betweenness", "closeness", "pagerank", "core", "constraint")


def generic_id(view, pk):
    """Return the id the stored payload gives an organization."""
    if view.choice(pk) in (Visibility.NAMED, UNANSWERED):
        return str(pk)
    return f"a{view.number(pk)}"


def _stored_node(view, pk, place, measures, with_measures):
    _name, sector, _services = view.organization(pk)
    shown = with_measures and view.shows_measures(pk)
    node = {
        "id": generic_id(view, pk),
        "name": view.label(pk),
        "sector": sector,
        "services": view.services(pk),
        "community": place["community"],
        "component": place["component"],
        "position": measures.get("position") if shown else NOT_SHOWN,
        "degree": place["degree"],
        "in_degree": place["in_degree"],
        "out_degree": place["out_degree"],
        "x": place["x"],
        "y": place["y"],
        "responded": view.shares_reports(pk),
        "on_roster": True,
    }
    for measure in MEASURES:
        node[measure] = measures.get(measure) if shown else None
    return node


def participant_payload_builder(snapshot, shared):
    """Return ``build(language) -> payload`` of the participants' map.

    Parameters
    ----------
    snapshot : NetworkSnapshot
        The snapshot being stored; its own nodes give the measures.
    shared : network.shared_network.SharedNetwork
    """
    view = RoundView(snapshot.round, Viewer())
    ids = sorted(shared.organizations)
    view.prepare_labels(ids)
    measures = {n["id"]: n for n in stored_payload(snapshot)["nodes"]}
    with_measures = not suppressed(snapshot.responses_count)
    public = {pk: generic_id(view, pk) for pk in ids}

    def build(language):
        from django.utils import translation

        with translation.override(language):
            nodes = [
                _stored_node(
                    view,
                    pk,
                    shared.organizations[pk],
                    measures.get(pk, {}),
                    with_measures,
                )
                for pk in ids
            ]
        stored = {
            "nodes": nodes,
            "tie_columns": list(STORED_TIE_FIELDS),
            "ties": [_tie_row(tie, public) for tie in shared.ties],
        }
        with translation.override(language):
            return translated_payload(map_parts(stored), snapshot)

    return build


def _tie_row(tie, public):
    ends = {"source": public[tie["source"]], "target": public[tie["target"]]}
    return [ends.get(name, tie.get(name)) for name in STORED_TIE_FIELDS]


# Reading the stored payload back, and laying a viewer's own data over it.


@dataclass
class Shared:
    """A participants' payload in stored form, ready to overlay or cut."""

    nodes: list
    ties: list
    etag: str
    focus: str | None = None


def stored_map(snapshot, language):
    """Return the stored participants' map of a snapshot, or None."""
    return (
        SnapshotMap.objects.filter(
            snapshot=snapshot,
            audience=SnapshotMap.Audience.PARTICIPANTS,
            language=language,
        )
        .only("payload", "etag")
        .first()
    )


def decoded(blob):
    """Return a stored payload as node dicts and stored tie rows."""
    payload = json.loads(gzip.decompress(bytes(blob)))
    col = {name: i for i, name in enumerate(payload["node_columns"])}
    positions = [*POSITIONS, NOT_SHOWN]
    sectors = payload["sectors"]
    nodes = []
    for row in payload["nodes"]:
        node = {name: row[i] for name, i in col.items()}
        node["name"] = node.pop("label")
        code = node["sector"]
        node["sector"] = sectors[code] if code < len(sectors) else ""
        node["services"] = [payload["services"][k] for k in node["services"]]
        node["position"] = positions[node["position"]]
        nodes.append(node)
    tcol = {name: i for i, name in enumerate(payload["tie_columns"])}
    ties = []
    for row in payload["ties"]:
        referrals = row[tcol["referrals"]]
        bits = row[tcol["layers"]]
        ties.append(
            [
                nodes[row[tcol["source"]]]["id"],
                nodes[row[tcol["target"]]]["id"],
                bool(row[tcol["confirmed"]]),
                LEVELS[row[tcol["level"]]],
                bool(referrals & 1),
                bool(referrals & 2),
                DATA_SHARING[row[tcol["data_sharing"]]],
                DATA_AGREEMENTS[row[tcol["data_agreement"]]],
                [layer for bit, layer in enumerate(LAYERS) if bits & (1 << bit)],
            ]
        )
    return nodes, ties


def _layers(tie):
    level = LEVELS.index(tie.level)
    layers = ["all"]
    layers += ["coordination"] if level >= 1 else []
    layers += ["collaboration"] if level >= 2 else []
    layers += ["referrals"] if tie.a_refers_to_b or tie.b_refers_to_a else []
    layers += ["data_sharing"] if tie.data_sharing != "none" else []
    return layers


def _overlay(shared, view, pk, *, name_partners):
    """Lay an organization's own name, services and reports over the payload."""
    name, sector, services = view.organization(pk)
    old_id, new_id = generic_id(view, pk), str(pk)
    by_id = {node["id"]: node for node in shared.nodes}
    own = by_id.pop(old_id, None) or by_id.pop(new_id, None)
    if own is None:
        own = {"community": -1, "component": -1, "position": NOT_SHOWN, "x": 0.0}
        own.update(y=0.0, degree=0, in_degree=0, out_degree=0)
        shared.nodes.append(own)
    own.update(id=new_id, name=name, sector=sector, services=services)
    own["responded"] = view.choice(pk) != UNANSWERED
    by_id[new_id] = own
    for tie in shared.ties:
        tie[0] = new_id if tie[0] == old_id else tie[0]
        tie[1] = new_id if tie[1] == old_id else tie[1]
    if view.choice(pk) != Visibility.STAFF and not name_partners:
        return

    ties = view.ties_of(pk)
    others = [tie.other(pk) for tie in ties.values()]
    view.prepare_labels(others)
    shared.ties = [t for t in shared.ties if new_id not in t[:2]]
    for tie in ties.values():
        other = tie.other(pk)
        other_id = generic_id(view, other)
        if view.is_own(other) and str(other) in by_id:
            other_id = str(other)
        partner = by_id.get(other_id)
        if partner is None:
            partner = {
                **{k: v for k, v in own.items() if k in ("x", "y")},
                "id": other_id,
                "name": view.label(other),
                "sector": view.organization(other)[1],
                "services": view.services(other),
                "community": -1,
                "component": -1,
                "position": NOT_SHOWN,
                "responded": view.shares_reports(other),
            }
            partner["x"] += 0.05 * (len(shared.nodes) % 5 - 2)
            partner["y"] += 0.05
            shared.nodes.append(partner)
            by_id[other_id] = partner
        if name_partners and pk in tie.reported_by:
            partner["name"] = view.organization(other)[0]
        a, b = (new_id, other_id) if tie.a == pk else (other_id, new_id)
        shared.ties.append(
            [
                a,
                b,
                tie.confirmed,
                tie.level,
                tie.a_refers_to_b,
                tie.b_refers_to_a,
                tie.data_sharing,
                tie.data_agreement,
                _layers(tie),
            ]
        )
    degree = {}
    for tie in shared.ties:
        for end in tie[:2]:
            degree[end] = degree.get(end, 0) + 1
    for node in shared.nodes:
        node["degree"] = degree.get(node["id"], 0)


def _ego(shared, own_id, distance):
    """Cut the payload down to an organization's partners within `distance`."""
    near = {}
    for a, b, *_rest in shared.ties:
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)
    ring = {own_id: 0}
    frontier = {own_id}
    for step in range(1, distance + 1):
        frontier = {n for f in frontier for n in near.get(f, ())} - set(ring)
        ring.update(dict.fromkeys(frontier, step))
    shared.nodes = [n for n in shared.nodes if n["id"] in ring]
    shared.ties = [
        t
        for t in shared.ties
        if t[0] in ring and t[1] in ring and not (ring[t[0]] == ring[t[1]] == 2)
    ]
    shared.focus = own_id


def viewer_map(snapshot, viewer, language, *, ego=None, distance=1):
    """Return ``(gzipped JSON, etag)`` of the participants' map for a viewer.

    Staff get the staff map. A viewer whose organizations participants see
    in full gets the stored bytes; others get them with their own data laid
    over. With `ego` (an organization of the viewer), only its ego network.
    Return None while the snapshot has no stored map.
    """
    audience = SnapshotMap.Audience
    if viewer.is_staff and ego is None:
        stored = SnapshotMap.objects.filter(
            snapshot=snapshot, audience=audience.STAFF, language=language
        ).first()
        return (bytes(stored.payload), stored.etag) if stored else None
    stored = stored_map(snapshot, language)
    if stored is None:
        return None

    view = RoundView(snapshot.round, viewer)
    own = sorted(
        pk
        for pk in viewer.organization_ids
        if view.choice(pk) in (Visibility.ANONYMOUS, Visibility.STAFF)
    )
    if ego is None and not own:
        return bytes(stored.payload), stored.etag

    nodes, ties = decoded(stored.payload)
    shared = Shared(nodes, ties, stored.etag)
    for pk in own:
        _overlay(shared, view, pk, name_partners=False)
    if ego is not None:
        _overlay(shared, view, ego, name_partners=True)
        _ego(shared, str(ego), distance)
    parts = map_parts(
        {"nodes": shared.nodes, "ties": shared.ties, "tie_columns": STORED_TIE_FIELDS}
    )
    blob = gzip_payload(translated_payload(parts, snapshot, focus=shared.focus))
    key = f"{stored.etag}:{sorted(viewer.organization_ids)}:{ego}:{distance}"
    return blob, "own-" + hashlib.sha256(key.encode()).hexdigest()[:20]


def map_for(round, viewer, *, ego=None, distance=1):
    """Return ``(gzipped JSON, etag)`` of the round's newest map, or None."""
    snapshot = ready_snapshot(round)
    if snapshot is None:
        return None
    return viewer_map(snapshot, viewer, map_language(), ego=ego, distance=distance)


def map_json(request, round, viewer, **options):
    """Answer a map request with the viewer's payload, or 404 without a map."""
    served = map_for(round, viewer, **options)
    if served is None:
        return JsonResponse({"error": _("This round has no map yet.")}, status=404)
    return map_json_response(request, *served)


def explorer_mount(payload_url, *, controls, focus=None, rounds=(), **options):
    """Return the context mounting the staff explorer on a participant page."""
    context = explorer_context(
        payload_url, controls=controls, focus=focus, rounds=rounds
    )
    context["map_options"]["strings"]["not_respondent"] = _(
        "Its answers are not shown to participants"
    )
    context["map_options"].update(options)
    return context
