"""The round dashboard: answers so far, the network snapshot, the figures."""

import logging
from collections import Counter

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from edn.permissions import staff_required
from network import readings
from network.charts import cumulative_chart
from network.models import NetworkSnapshot, OrganizationMetrics, RoundNetworkState
from network.services import mark_round_dirty
from surveys.models import Invitation, Response, RosterEntry, Round

logger = logging.getLogger(__name__)

# The stages a rebuild reports (network.engine and network.services), in
# words a coordinator understands.
STAGES = {
    "load": gettext_lazy("Reading the answers"),
    "graph": gettext_lazy("Drawing the ties"),
    "ties": gettext_lazy("Drawing the ties"),
    "betweenness": gettext_lazy("Finding the brokers"),
    "closeness": gettext_lazy("Measuring distances"),
    "pagerank": gettext_lazy("Measuring influence"),
    "core": gettext_lazy("Finding the core"),
    "components": gettext_lazy("Finding fragments"),
    "community": gettext_lazy("Finding communities"),
    "constraint": gettext_lazy("Measuring brokerage"),
    "brokerage": gettext_lazy("Measuring brokerage"),
    "layout": gettext_lazy("Laying out the map"),
    "organizations": gettext_lazy("Collecting the measures"),
    "figures": gettext_lazy("Computing the round figures"),
    "store": gettext_lazy("Saving the snapshot"),
}
CONNECTING_ROLES = ("liaison", "gatekeeper", "representative")
POLL_SECONDS = 3


@require_GET
@staff_required
def staff_home(request):
    """Send staff to the open round's dashboard, or to the list of rounds."""
    open_round = (
        Round.objects.filter(status=Round.Status.OPEN)
        .order_by("-opens_at", "-created_at")
        .first()
    )
    if open_round is None:
        return redirect("surveys:staff_rounds")
    return redirect("network:round_dashboard", slug=open_round.slug)


def newest_snapshot(round_):
    """Return the round's newest ready snapshot without its map payload."""
    return (
        NetworkSnapshot.objects.filter(
            round=round_, status=NetworkSnapshot.Status.READY
        )
        .defer("payload")
        .order_by("-version")
        .first()
    )


def rebuild_status(round_, snapshot):
    """Return where the round's rebuilds stand, for the snapshot panel."""
    state = RoundNetworkState.objects.filter(round=round_).first()
    running = bool(state and state.is_running)
    queued = bool(state and state.is_queued)
    waiting = 0
    if state is not None:
        built = snapshot.generation if snapshot else 0
        waiting = max(0, state.generation - built)
    return {
        "state": state,
        "running": running,
        "queued": queued and not running,
        "busy": running or queued,
        "stage": STAGES.get(state.stage, state.stage) if running else "",
        "percent": state.percent if running else 0,
        "waiting": waiting,
        "poll_seconds": POLL_SECONDS,
    }


def answer_counts(round_):
    """Return the roster size and how many organizations were invited, opened
    their link, hold a draft or submitted; three queries at any size."""
    invitations = Invitation.objects.filter(round=round_).aggregate(
        invited=Count(
            "organization",
            distinct=True,
            filter=Q(revoked_at__isnull=True, sent_at__isnull=False),
        ),
        opened=Count("organization", distinct=True, filter=Q(opened_at__isnull=False)),
    )
    responses = Response.objects.filter(round=round_).aggregate(
        draft=Count("pk", filter=Q(status=Response.Status.DRAFT)),
        submitted=Count("pk", filter=Q(status=Response.Status.SUBMITTED)),
    )
    total = RosterEntry.objects.filter(round=round_).count()
    return {"total": total, **invitations, **responses}


def response_chart(round_, roster_size):
    """Return the cumulative submissions chart of the round, or None."""
    # Days are counted here rather than in SQL: SQLite converts time zones
    # row by row in Python anyway, and this stays the same on every database.
    times = Response.objects.filter(
        round=round_, status=Response.Status.SUBMITTED
    ).values_list("submitted_at", flat=True)
    zone = timezone.get_current_timezone()
    per_day = Counter(moment.astimezone(zone).date() for moment in times.iterator())
    start = timezone.localdate(round_.opens_at) if round_.opens_at else None
    today = timezone.localdate()
    end = today
    if round_.closes_at is not None:
        end = min(today, timezone.localdate(round_.closes_at))
    return cumulative_chart(list(per_day.items()), roster_size, start, end)


def snapshot_summary(snapshot):
    """Return the communities and the brokers between sectors of a snapshot."""
    if snapshot is None:
        return {"communities": 0, "connectors": 0}
    metrics = OrganizationMetrics.objects.filter(snapshot=snapshot)
    between_sectors = Q()
    for role in CONNECTING_ROLES:
        between_sectors |= Q(**{f"brokerage__{role}__gt": 0})
    counts = metrics.aggregate(
        connectors=Count("pk", filter=Q(position="broker") & between_sectors),
    )
    communities = (
        metrics.exclude(position="isolate")
        .order_by()
        .values("community")
        .distinct()
        .count()
    )
    return {"communities": communities, "connectors": counts["connectors"]}


@require_GET
@staff_required
def round_dashboard(request, slug):
    """Show the round's answers so far, its snapshot and its figures."""
    round_ = get_object_or_404(Round, slug=slug)

    answers = answer_counts(round_)
    snapshot = newest_snapshot(round_)
    summary = snapshot_summary(snapshot)
    figures = snapshot.figures if snapshot else {}

    context = {
        "round": round_,
        "answers": answers,
        "chart": response_chart(round_, answers["total"]),
        "snapshot": snapshot,
        "rebuild": rebuild_status(round_, snapshot),
        "cards": readings.figure_cards(figures, **summary),
        "headline": readings.headline(figures, connectors=summary["connectors"]),
        "sampling": snapshot.sampling if snapshot else None,
    }
    return render(request, "network/staff/dashboard.html", context)


@require_GET
@staff_required
def rebuild_state(request, slug):
    """Return the snapshot panel alone; reload the page once a new one is ready."""
    round_ = get_object_or_404(Round, slug=slug)

    snapshot = newest_snapshot(round_)
    shown = request.GET.get("shown", "")

    context = {
        "round": round_,
        "snapshot": snapshot,
        "rebuild": rebuild_status(round_, snapshot),
    }
    response = render(request, "network/staff/rebuild_state.html", context)
    if snapshot is not None and shown != str(snapshot.version):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@staff_required
def rebuild_now(request, slug):
    """Queue a rebuild of the round's network."""
    round_ = get_object_or_404(Round, slug=slug)

    mark_round_dirty(round_)
    logger.info("round %s rebuild requested by user %s", round_.pk, request.user.pk)

    messages.success(
        request, _("A rebuild is on its way; the figures update when it is done.")
    )
    return redirect("network:round_dashboard", slug=round_.slug)
