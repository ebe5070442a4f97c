"""Give a snapshot pseudonyms instead of names, for exports shared outside.

Each export draws fresh pseudonyms ("Org 0017"), the same organization
keeping the same one throughout that file, so two files cannot be joined on
them. Only listed fields pass: the sector, the measures and the tie
attributes stay; names, write-in names, ids, services and map positions go
(positions would let anyone match a pseudonym against the named map).
Snapshots hold no free text or contacts, and none is added here.
"""

import logging
import secrets
from dataclasses import dataclass

logger = logging.getLogger(__name__)

PSEUDONYM_PREFIX = "Org"
# Fields of a node and of a tie an anonymized export keeps.
NODE_FIELDS = (
    "sector",
    "on_roster",
    "responded",
    "reported_by_others",
    "in_degree",
    "out_degree",
    "degree",
    "betweenness",
    "closeness",
    "pagerank",
    "core",
    "component",
    "community",
    "constraint",
    "effective_size",
    "brokerage",
    "position",
)
TIE_FIELDS = (
    "confirmed",
    "level",
    "referrals_source_to_target",
    "referrals_target_to_source",
    "data_sharing",
    "data_agreement",
    "wants_to_deepen",
    "layers",
)
# Figures are counts and shares, the mixing matrix is by sector: none names
# an organization. They are listed so that a new figure is a choice.
FIGURE_KEYS = ("reconstructed", "respondents", "mixing", "sampling")


def draw_pseudonyms(node_ids, rng=None):
    """Return {node id: pseudonym}, drawn afresh on every call.

    Numbers are drawn without repetition from a space ten times the number
    of organizations (at least 10,000), so that the same organization gets
    a different pseudonym in another export.

    Examples
    --------
    >>> names = draw_pseudonyms([10, 11, "write-in:acme"])
    >>> len(set(names.values())), len(names[10]), names[10][:4]
    (3, 8, 'Org ')
    """
    rng = rng or secrets.SystemRandom()
    ids = list(node_ids)
    space = max(10_000, 10 * len(ids))
    width = len(str(space - 1))
    numbers = rng.sample(range(1, space), len(ids))
    return {
        node_id: f"{PSEUDONYM_PREFIX} {number:0{width}d}"
        for node_id, number in zip(ids, numbers, strict=True)
    }


@dataclass
class AnonymizedRound:
    """What an export needs to know of a round: its name."""

    name: str


class AnonymizedSnapshot:
    """A snapshot with pseudonyms for names, readable by `network.exports`.

    It answers `read_payload()`, `ties`, `figures`, `round` and `version`
    like a `NetworkSnapshot`, so every export format works on it unchanged.
    """

    def __init__(self, snapshot, rng=None):
        payload = snapshot.read_payload()
        self.pseudonyms = draw_pseudonyms(
            (node["id"] for node in payload["nodes"]), rng
        )
        self.round = AnonymizedRound(snapshot.round.name)
        self.version = snapshot.version
        self.figures = {
            key: snapshot.figures[key] for key in FIGURE_KEYS if key in snapshot.figures
        }
        self._payload = {
            "nodes": self._nodes(payload["nodes"]),
            "ties": self._ties(payload["ties"]),
        }
        logger.info(
            "anonymized round %s v%s: %d organizations",
            snapshot.round_id,
            snapshot.version,
            len(self._payload["nodes"]),
        )

    def _nodes(self, nodes):
        rows = []
        for node in nodes:
            pseudonym = self.pseudonyms[node["id"]]
            row = {"id": pseudonym, "name": pseudonym}
            row.update(
                (key, value) for key, value in node.items() if key in NODE_FIELDS
            )
            rows.append(row)
        # The stored order follows the database ids; sorting by pseudonym
        # hides it.
        rows.sort(key=lambda row: row["id"])
        return rows

    def _ties(self, ties):
        """Return the ties with pseudonyms, keeping the columns in their order."""
        rows = []
        for tie in ties:
            row = {}
            for key, value in tie.items():
                if key in ("source", "target"):
                    row[key] = self.pseudonyms[value]
                elif key == "reported_by":
                    row[key] = [self.pseudonyms[reporter] for reporter in value]
                elif key in TIE_FIELDS:
                    row[key] = value
            rows.append(row)
        rows.sort(key=lambda row: (row["source"], row["target"]))
        return rows

    def read_payload(self):
        """Return the anonymized nodes and ties."""
        return self._payload

    @property
    def ties(self):
        return self._payload["ties"]


def anonymize_snapshot(snapshot, rng=None):
    """Return the snapshot with fresh pseudonyms, ready for `export_snapshot`."""
    return AnonymizedSnapshot(snapshot, rng)
