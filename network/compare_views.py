"""Staff pages comparing two rounds: figures, ties and positions over time."""

import logging
from functools import partial

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from edn.permissions import staff_required
from network.comparison import collector_paused, compare_snapshots, order_by
from network.graph import LEVELS as LEVEL_ORDER
from network.map_views import explorer_context
from network.models import NetworkSnapshot
from surveys.models import CollaborationLevel, Round

logger = logging.getLogger(__name__)

TIE_PAGE_SIZE = 20
MOVED_SHOWN = 15
CACHE_SECONDS = 60 * 60
TIE_COUNTS = {
    "new": gettext_lazy("New ties"),
    "lost": gettext_lazy("Lost ties"),
    "strengthened": gettext_lazy("Strengthened ties"),
    "weakened": gettext_lazy("Weakened ties"),
}
TIE_LISTS = {
    "new": gettext_lazy("New"),
    "lost": gettext_lazy("Lost"),
    "strengthened": gettext_lazy("Strengthened"),
    "weakened": gettext_lazy("Weakened"),
}
MAP_CONTROLS = (
    "search",
    "colour",
    "size",
    "layer",
    "confirmed",
    "ego",
    "export",
    "table",
)
# Ties the map can mark, in colours that stand apart from the grey ties.
MARK_COLOURS = {"new": "#e8590c", "strengthened": "#7048e8"}
ORDERS = {
    "score": gettext_lazy("Most changed"),
    "rank": gettext_lazy("Betweenness rank"),
    "degree": gettext_lazy("Ties"),
    "position": gettext_lazy("Position"),
}
# Label, how to show the value, and which way is good news for a network that
# wants to be connected: "rose", "fell" or "" when neither is.
FIGURE_WORDS = {
    "organizations": (gettext_lazy("Organizations"), "count", "rose"),
    "ties": (gettext_lazy("Ties"), "count", "rose"),
    "density": (gettext_lazy("Density"), "ratio", "rose"),
    "confirmed_share": (gettext_lazy("Confirmed ties"), "percent", "rose"),
    "reciprocity": (gettext_lazy("Reciprocity"), "percent", "rose"),
    "transitivity": (gettext_lazy("Transitivity"), "ratio", ""),
    "components": (gettext_lazy("Fragments"), "count", "fell"),
    "fragmentation": (gettext_lazy("Fragmentation"), "percent", "fell"),
    "degree_centralization": (gettext_lazy("Centralization"), "ratio", ""),
    "average_path_length": (gettext_lazy("Average path length"), "length", "fell"),
    "modularity": (gettext_lazy("Modularity"), "ratio", ""),
}
FIGURE_HELP = {
    "density": gettext_lazy("share of all possible ties that exist"),
    "confirmed_share": gettext_lazy("ties both organizations reported"),
    "reciprocity": gettext_lazy("nominations returned by the partner"),
    "transitivity": gettext_lazy("partners of partners who are partners"),
    "components": gettext_lazy("groups with no tie between them"),
    "fragmentation": gettext_lazy("pairs that cannot reach each other"),
    "degree_centralization": gettext_lazy("how much ties gather on a few hubs"),
    "average_path_length": gettext_lazy("steps between two organizations"),
    "modularity": gettext_lazy("how clearly the network splits into groups"),
}
POSITIONS = {
    "broker": gettext_lazy("broker"),
    "well_connected": gettext_lazy("well connected"),
    "connected": gettext_lazy("connected"),
    "peripheral": gettext_lazy("peripheral"),
    "isolate": gettext_lazy("isolate"),
    "": gettext_lazy("not in the network"),
}


def ready_snapshot(round):
    """Return the round's newest ready snapshot without its map payload."""
    return (
        NetworkSnapshot.objects.filter(round=round, status=NetworkSnapshot.Status.READY)
        .defer("payload")
        .order_by("-version")
        .first()
    )


def chronological(round, other):
    """Return the two rounds as (earlier, later) by opening date."""

    def when(r):
        return (r.opens_at or r.created_at, r.pk)

    return (round, other) if when(round) <= when(other) else (other, round)


def default_other(round, others):
    """Return the round before this one, or the nearest after when it is first."""
    opened = round.opens_at or round.created_at
    earlier = [r for r in others if (r.opens_at or r.created_at) < opened]
    if earlier:
        return max(earlier, key=lambda r: r.opens_at or r.created_at)
    return min(others, key=lambda r: r.opens_at or r.created_at, default=None)


def _plain(snapshot):
    payload = snapshot.read_payload()
    figures = dict(snapshot.figures.get("reconstructed") or {})
    return {"nodes": payload["nodes"], "ties": payload["ties"], "figures": figures}


def snapshot_comparison(before, after):
    """Return the comparison of two snapshots, computed once and cached.

    Ready snapshots never change, so the pair of their ids is a safe key.
    """
    key = f"network:compare:{before.pk}:{after.pk}"
    with collector_paused():
        found = cache.get(key)
    if found is not None:
        return found

    with collector_paused():
        plain_before, plain_after = _plain(before), _plain(after)
    comparison = compare_snapshots(plain_before, plain_after)
    names = {}
    for snapshot in (before, after):
        for node in snapshot.read_payload()["nodes"]:
            names[node["id"]] = (node["name"], node.get("sector") or "")
    comparison["names"] = names
    for kind in TIE_LISTS:
        comparison["ties"][kind].sort(key=partial(_weight, names))
    cache.set(key, comparison, CACHE_SECONDS)
    return comparison


def _weight(names, record):
    """Sort key showing the strongest ties first, then by name."""
    level = record["level_after"] or record["level_before"]
    confirmed = record["confirmed_after"] or record["confirmed_before"]
    return (
        -len(record["reasons"]),
        -LEVEL_ORDER.index(level) if level in LEVEL_ORDER else 0,
        not confirmed,
        names.get(record["source"], ("",))[0].casefold(),
        names.get(record["target"], ("",))[0].casefold(),
    )


def _number(value, how):
    if value is None:
        return "—"
    if how == "count":
        return number_format(int(value), force_grouping=True)
    if how == "percent":
        return f"{number_format(100 * value, 0)}%"
    if how == "length":
        return number_format(value, 2)
    return number_format(value, 3)


def figure_rows(rows):
    """Return the compared figures with labels, values and a plain sentence."""
    shown = []
    for row in rows:
        label, how, good = FIGURE_WORDS[row["figure"]]
        before, after = _number(row["before"], how), _number(row["after"], how)
        words = {"figure": label, "before": before, "after": after}
        if row["direction"] == "rose":
            sentence = _("%(figure)s rose from %(before)s to %(after)s.") % words
        elif row["direction"] == "fell":
            sentence = _("%(figure)s fell from %(before)s to %(after)s.") % words
        elif row["direction"] == "unchanged":
            sentence = _("%(figure)s stayed at %(after)s.") % words
        else:
            sentence = _("%(figure)s is not known for both rounds.") % words
        delta = row["delta"]
        if delta is None or row["direction"] == "unchanged":
            change = "±0" if delta is not None else "—"
        else:
            sign = "+" if delta > 0 else "−"
            magnitude = _number(abs(delta), how).removesuffix("%")
            change = sign + magnitude + (" pts" if how == "percent" else "")
        tone = "neutral"
        if good and row["direction"] in ("rose", "fell"):
            tone = "good" if row["direction"] == good else "bad"
        shown.append(
            {
                **row,
                "label": label,
                "help": FIGURE_HELP.get(row["figure"], ""),
                "before_text": before,
                "after_text": after,
                "change": change,
                "tone": tone,
                "sentence": sentence,
            }
        )
    return shown


def _named(record, names):
    source, target = names.get(record["source"]), names.get(record["target"])
    return {
        **record,
        "source_name": source[0] if source else str(record["source"]),
        "source_sector": source[1] if source else "",
        "target_name": target[0] if target else str(record["target"]),
        "target_sector": target[1] if target else "",
        "level_before_label": _level(record["level_before"]),
        "level_after_label": _level(record["level_after"]),
    }


def _level(value):
    labels = dict(CollaborationLevel.choices)
    return str(labels.get(value, value or "")).lower()


def _moved(rows):
    return [
        {
            **row,
            "rank_places": abs(row["rank_change"]),
            "degree_places": abs(row["degree_change"]),
            "position_before_label": POSITIONS.get(row["position_before"], ""),
            "position_after_label": POSITIONS.get(row["position_after"], ""),
        }
        for row in rows
    ]


def _headline(comparison, figures):
    ties = comparison["ties"]
    counts = {
        "new": len(ties["new"]),
        "lost": len(ties["lost"]),
        "strengthened": len(ties["strengthened"]),
    }
    words = {k: number_format(v, force_grouping=True) for k, v in counts.items()}
    lead = (
        ngettext(
            "%(new)s new tie, %(lost)s lost and %(strengthened)s strengthened.",
            "%(new)s new ties, %(lost)s lost and %(strengthened)s strengthened.",
            counts["new"],
        )
        % words
    )
    wanted = ("density", "components", "degree_centralization")
    sentences = [row["sentence"] for row in figures if row["figure"] in wanted]
    return [lead, *sentences]


def compare_map_context(later, ties, mark):
    """Return the context mounting the later round's map with `mark` ties lit."""
    context = explorer_context(
        reverse("network:round_map_json", args=[later.slug]), controls=MAP_CONTROLS
    )
    context["map_options"]["highlight"] = [
        {
            "ties": [[r["source"], r["target"]] for r in ties[mark]],
            "colour": MARK_COLOURS[mark],
            "label": str(TIE_COUNTS[mark]),
        }
    ]
    return context


@require_GET
@staff_required
def round_compare(request, slug):
    """Compare the round with another: figures, ties and who moved."""
    round = get_object_or_404(Round, slug=slug)
    others = list(Round.objects.exclude(pk=round.pk))

    chosen = request.GET.get("with", "")
    other = next((r for r in others if r.slug == chosen), None)
    other = other or default_other(round, others)
    tie_list = request.GET.get("ties", "new")
    tie_list = tie_list if tie_list in TIE_LISTS else "new"
    order = request.GET.get("by", "score")
    order = order if order in ORDERS else "score"
    mark = request.GET.get("mark", "new")
    mark = mark if mark in MARK_COLOURS else "new"

    context = {"round": round, "others": others, "other": other}
    if other is None:
        return render(request, "network/compare/round_compare.html", context)
    earlier, later = chronological(round, other)
    before, after = ready_snapshot(earlier), ready_snapshot(later)
    context.update(earlier=earlier, later=later, before=before, after=after)
    if before is None or after is None:
        return render(request, "network/compare/round_compare.html", context)

    comparison = snapshot_comparison(before, after)
    figures = figure_rows(comparison["figures"])
    records = comparison["ties"][tie_list]
    page = Paginator(records, TIE_PAGE_SIZE).get_page(request.GET.get("page"))
    moved = order_by(comparison["positions"]["moved"], order)
    context.update(
        comparison=comparison,
        figures=figures,
        headline=_headline(comparison, figures),
        tie_list=tie_list,
        tie_tabs=[
            (key, label, len(comparison["ties"][key]))
            for key, label in TIE_LISTS.items()
        ],
        tie_counts=[
            (key, label, len(comparison["ties"][key]))
            for key, label in TIE_COUNTS.items()
        ],
        page=page,
        ties=[_named(record, comparison["names"]) for record in page.object_list],
        order=order,
        orders=ORDERS,
        moved=_moved(moved[:MOVED_SHOWN]),
        moved_count=len(moved),
        joined=comparison["positions"]["joined"][:8],
        joined_count=len(comparison["positions"]["joined"]),
        left=comparison["positions"]["left"][:8],
        left_count=len(comparison["positions"]["left"]),
        mark=mark,
        marks=[
            (key, TIE_COUNTS[key], colour, len(comparison["ties"][key]))
            for key, colour in MARK_COLOURS.items()
        ],
        **compare_map_context(later, comparison["ties"], mark),
    )
    return render(request, "network/compare/round_compare.html", context)


@require_GET
@staff_required
def round_compare_json(request, slug, other_slug):
    """Return the tie pairs that changed between two rounds, by node id."""
    round = get_object_or_404(Round, slug=slug)
    other = get_object_or_404(Round.objects.exclude(pk=round.pk), slug=other_slug)

    earlier, later = chronological(round, other)
    before, after = ready_snapshot(earlier), ready_snapshot(later)
    if before is None or after is None:
        missing = earlier if before is None else later
        message = _("Round “%(round)s” has no network snapshot yet.") % {
            "round": missing.name
        }
        return JsonResponse({"error": message}, status=404)

    ties = snapshot_comparison(before, after)["ties"]
    document = {
        "before": {"round": earlier.slug, "version": before.version},
        "after": {"round": later.slug, "version": after.version},
        "kept": ties["kept"],
    }
    for name in TIE_LISTS:
        document[name] = [[r["source"], r["target"]] for r in ties[name]]
    return JsonResponse(document)
