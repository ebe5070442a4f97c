"""Plain-language readings of a round's figures, one line per figure.

Each figure of a snapshot (see :func:`network.figures.round_figures`) comes
twice: among respondents only, and reconstructed from everything reported.
The truth lies in between, so a card shows the reconstructed value, the
range between the two, and one sentence saying what the value means.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


@dataclass
class FigureCard:
    """One round figure as the dashboard shows it."""

    key: str
    label: str
    value: str
    respondents: str | None
    reading: str


def percent(share):
    """Return a share in [0, 1] as a whole percentage, "4%"."""
    return _("%(percent)s%%") % {"percent": number_format(round(100 * share))}


def decimal(value, places=1):
    return number_format(round(value, places), places)


def fragments_reading(sizes):
    """Say how many pieces the network falls into, and how big the largest is.

    >>> fragments_reading([143, 6, 1])
    'The network splits into 3 fragments; the largest holds 143 of 150 organizations.'
    """
    count, total = len(sizes), sum(sizes)
    if count <= 1:
        return _(
            "The network is in one piece: every organization can reach all others."
        )
    return ngettext(
        "The network splits into %(count)s fragment; "
        "the largest holds %(largest)s of %(total)s organizations.",
        "The network splits into %(count)s fragments; "
        "the largest holds %(largest)s of %(total)s organizations.",
        count,
    ) % {"count": count, "largest": sizes[0], "total": total}


def connectors_reading(count, strongest=None):
    """Say how many organizations connect sectors, and which sectors meet most.

    `strongest` is (sector, sector, ties) for the pair of different sectors
    sharing the most ties, or None.
    """
    if count:
        text = ngettext(
            "%(count)s organization acts as a broker between sectors.",
            "%(count)s organizations act as brokers between sectors.",
            count,
        ) % {"count": count}
    else:
        text = _("No organization acts as a broker between sectors yet.")
    if strongest:
        first, second, ties = strongest
        text += " " + ngettext(
            "%(first)s and %(second)s share the most: %(ties)s tie.",
            "%(first)s and %(second)s share the most: %(ties)s ties.",
            ties,
        ) % {"first": first, "second": second, "ties": ties}
    return text


def strongest_pair(mixing):
    """Return (sector, sector, ties) for the busiest pair of sectors, or None."""
    sectors = (mixing or {}).get("sectors") or []
    matrix = (mixing or {}).get("matrix") or []
    best = None
    for i, row in enumerate(matrix):
        for j in range(i + 1, len(row)):
            if row[j] and (best is None or row[j] > best[2]):
                best = (sectors[i], sectors[j], row[j])
    return best


def _centralization_reading(value):
    if value < 0.2:
        return _("Ties are spread over many organizations; no single hub holds it.")
    if value < 0.5:
        return _("A few organizations hold clearly more ties than most.")
    return _("The network leans on a few hubs; it is fragile if they step back.")


def _modularity_reading(value, communities):
    if value >= 0.4:
        strength = _("Ties stay mostly within communities.")
    elif value >= 0.2:
        strength = _("Ties stay somewhat within communities.")
    else:
        strength = _("Communities are loose; ties cross them freely.")
    found = ngettext("%(count)s community.", "%(count)s communities.", communities) % {
        "count": communities
    }
    return f"{found} {strength}"


def _ei_reading(value):
    if value is None:
        return _("No ties between organizations with a known sector yet.")
    if value > 0.2:
        return _("Most ties cross sectors.")
    if value < -0.2:
        return _("Most ties stay within a sector.")
    return _("Ties are about evenly within and across sectors.")


LABELS = {
    "organizations": gettext_lazy("Organizations in the network"),
    "ties": gettext_lazy("Ties"),
    "average_ties": gettext_lazy("Partners per organization"),
    "density": gettext_lazy("Density"),
    "confirmed_share": gettext_lazy("Confirmed by both sides"),
    "transitivity": gettext_lazy("Partners who also work together"),
    "components": gettext_lazy("Fragments"),
    "fragmentation": gettext_lazy("Pairs that cannot reach each other"),
    "degree_centralization": gettext_lazy("Centralization"),
    "average_path_length": gettext_lazy("Steps between organizations"),
    "modularity": gettext_lazy("Communities"),
    "ei_index": gettext_lazy("Across sectors (E-I index)"),
}


def _average_ties(figures):
    n = figures.get("organizations") or 0
    return 2 * figures.get("ties", 0) / n if n else 0.0


def figure_cards(figures, *, communities=0, connectors=0):
    """Return the round's figures as cards, each with its range and reading.

    Parameters
    ----------
    figures : dict
        A snapshot's ``figures``: ``reconstructed``, ``respondents`` and
        ``mixing``.
    communities : int
        Communities with more than one organization.
    connectors : int
        Brokers (by position) with a brokerage role between sectors.
    """
    full = figures.get("reconstructed") or {}
    own = figures.get("respondents") or {}
    mixing = figures.get("mixing") or {}
    if not full:
        return []
    n, answered = full.get("organizations", 0), own.get("organizations", 0)
    path = full.get("average_path_length")

    def number(value):
        return number_format(value, force_grouping=True)

    rows = [
        (
            "organizations",
            number(n),
            number(answered),
            ngettext(
                "%(answered)s organization answered; the partners they name "
                "bring the map to %(total)s.",
                "%(answered)s organizations answered; the partners they name "
                "bring the map to %(total)s.",
                answered,
            )
            % {"answered": answered, "total": n},
        ),
        (
            "ties",
            number(full.get("ties", 0)),
            number(own.get("ties", 0)),
            _("Each tie is a pair of organizations that work together."),
        ),
        (
            "average_ties",
            decimal(_average_ties(full)),
            decimal(_average_ties(own)),
            _("An organization works with %(count)s others on average.")
            % {"count": decimal(_average_ties(full))},
        ),
        (
            "density",
            percent(full.get("density", 0)),
            percent(own.get("density", 0)),
            _("%(share)s of all possible pairs of organizations work together.")
            % {"share": percent(full.get("density", 0))},
        ),
        (
            "confirmed_share",
            percent(full.get("confirmed_share", 0)),
            percent(own.get("confirmed_share", 0)),
            _("%(share)s of ties were named by both partners; the rest by one.")
            % {"share": percent(full.get("confirmed_share", 0))},
        ),
        (
            "transitivity",
            percent(full.get("transitivity", 0)),
            percent(own.get("transitivity", 0)),
            _(
                "Two partners of the same organization work together %(share)s "
                "of the time."
            )
            % {"share": percent(full.get("transitivity", 0))},
        ),
        (
            "components",
            number(full.get("components", 0)),
            number(own.get("components", 0)),
            fragments_reading(full.get("component_sizes") or [n]),
        ),
        (
            "fragmentation",
            percent(full.get("fragmentation", 0)),
            percent(own.get("fragmentation", 0)),
            _("%(share)s of pairs of organizations have no path between them.")
            % {"share": percent(full.get("fragmentation", 0))},
        ),
        (
            "degree_centralization",
            percent(full.get("degree_centralization", 0)),
            percent(own.get("degree_centralization", 0)),
            _centralization_reading(full.get("degree_centralization", 0)),
        ),
        (
            "average_path_length",
            decimal(path) if path else "—",
            decimal(own["average_path_length"])
            if own.get("average_path_length")
            else None,
            _(
                "Two organizations that can reach each other are %(steps)s steps "
                "apart on average."
            )
            % {"steps": decimal(path)}
            if path
            else _("No two organizations are connected yet."),
        ),
        (
            "modularity",
            decimal(full.get("modularity") or 0, 2),
            decimal(own.get("modularity") or 0, 2),
            _modularity_reading(full.get("modularity") or 0, communities),
        ),
        (
            "ei_index",
            decimal(mixing["ei_index"], 2)
            if mixing.get("ei_index") is not None
            else "—",
            None,
            _ei_reading(mixing.get("ei_index"))
            + " "
            + connectors_reading(connectors, strongest_pair(mixing)),
        ),
    ]
    return [
        FigureCard(key, str(LABELS[key]), value, respondents, reading)
        for key, value, respondents, reading in rows
    ]


def headline(figures, *, connectors=0):
    """Return the one sentence at the top of the dashboard."""
    full = (figures or {}).get("reconstructed") or {}
    if not full:
        return ""
    sizes = full.get("component_sizes") or [full.get("organizations", 0)]
    first = fragments_reading(sizes)
    return f"{first} {connectors_reading(connectors)}"
