"""The staff map explorer: the page, its JSON, and what other pages reuse.

The page carries no organization names; the explorer script fetches them
from the JSON endpoint and renders them as text. Pages that mount the
explorer elsewhere (an organization's own map) build their context with
`explorer_context` and serve their payload with `map_json_response`.
"""

import gzip
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from edn.permissions import staff_required
from network.map_payload import staff_payload_builder
from network.models import NetworkSnapshot, SnapshotMap
from network.services import round_state
from network.snapshots import store_maps
from surveys.models import Round

logger = logging.getLogger(__name__)

# Every control the explorer can show; pages pick the ones they need.
CONTROLS = (
    "colour",
    "size",
    "layer",
    "confirmed",
    "sector",
    "service",
    "community",
    "round",
    "search",
    "ego",
    "export",
    "table",
)


def ready_snapshot(round_):
    """Return the round's newest ready snapshot without its payload, or None."""
    snapshot = (
        NetworkSnapshot.objects.filter(
            round=round_, status=NetworkSnapshot.Status.READY
        )
        .defer("payload")
        .order_by("-version")
        .first()
    )
    if snapshot is not None:
        snapshot.round = round_
    return snapshot


def explorer_strings():
    """Return the explorer's sentences, translated; %(name)s marks a value."""
    return {
        "showing": _(
            "Showing %(ties)s of %(total_ties)s ties and %(nodes)s of "
            "%(total_nodes)s organizations"
        ),
        "no_ties": _(
            "No ties yet: the organizations are placed, but none of the "
            "answers so far names a partner."
        ),
        "no_match": _("No organization matches “%(query)s”."),
        "load_failed": _("The map could not be loaded. Reload the page to try again."),
        "no_webgl": _(
            "This browser cannot draw the map (WebGL is switched off). "
            "The table below lists the same organizations and partners."
        ),
        "partners": _("Partners"),
        "no_partners": _("No partners in the current view."),
        "confirmed": _("confirmed"),
        "one_sided": _("one-sided"),
        "respondent": _("Answered the survey"),
        "not_respondent": _("Has not answered"),
        "write_in": _("Named by others; not on the roster"),
        "sector": _("Sector"),
        "services": _("Services"),
        "position": _("Position"),
        "community": _("Community"),
        "fragment": _("Fragment"),
        "degree": _("Ties"),
        "betweenness": _("Betweenness"),
        "pagerank": _("PageRank"),
        "closeness": _("Closeness"),
        "constraint": _("Constraint"),
        "core": _("Core"),
        "none": _("None"),
        "more": _("and %(count)s more"),
        "legend_colour": _("Colour"),
        "legend_size": _("Size: %(measure)s"),
        "legend_ties": _(
            "Ties: line width and shade show the collaboration level; "
            "one-sided ties are fainter."
        ),
        "refers_to": _("refers clients to"),
        "exported": _("Round %(round)s · exported %(date)s"),
        "table_caption": _("Organizations in the current view and their partners"),
        "show_more": _("Show %(count)s more"),
        "organization": _("Organization"),
        "select": _("Show on the map"),
        "all": _("All"),
    }


def explorer_context(payload_url, *, controls=CONTROLS, focus=None, rounds=()):
    """Return the template context that mounts the explorer on a page.

    Parameters
    ----------
    payload_url : str
        Where the explorer fetches its payload (see `map_json_response`).
    controls : iterable of str
        Which of `CONTROLS` to show.
    focus : optional
        The id of the organization the map opens on, with its panel.
    rounds : iterable of dict
        ``{"name", "url", "current"}`` for the round picker.
    """
    controls = [c for c in CONTROLS if c in set(controls)]
    return {
        "map_controls": controls,
        "map_options": {
            "payloadUrl": payload_url,
            "controls": controls,
            "focus": focus,
            "rounds": list(rounds),
            "strings": explorer_strings(),
            "language": get_language(),
        },
    }


def map_json_response(request, blob, etag):
    """Serve gzipped JSON as is where the browser accepts gzip, else inflate it.

    `etag` names the content (a snapshot and a language, say); a browser
    that already has it gets 304 Not Modified.
    """
    etag = f'"{etag}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(blob, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(blob), content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Accept-Encoding", "Cookie"])
    return response


def _round_choices(current):
    return [
        {
            "name": r.name,
            "url": reverse("network:round_map", args=[r.slug]),
            "current": r.pk == current.pk,
        }
        for r in Round.objects.only("pk", "name", "slug")
    ]


@require_GET
@staff_required
def round_map(request, slug):
    """Show the round's map explorer, or why there is no map yet."""
    round_ = get_object_or_404(Round, slug=slug)

    snapshot = ready_snapshot(round_)
    state = round_state(round_)
    payload_url = reverse("network:round_map_json", args=[round_.slug])
    context = {
        "round": round_,
        "snapshot": snapshot,
        "state": state,
        **explorer_context(payload_url, rounds=_round_choices(round_)),
    }
    return render(request, "network/map/round_map.html", context)


@require_GET
@staff_required
def round_map_json(request, slug):
    """Return the round's map payload: nodes, ties and legend, gzipped."""
    round_ = get_object_or_404(Round, slug=slug)

    snapshot = ready_snapshot(round_)
    if snapshot is None:
        state = round_state(round_)
        return JsonResponse(
            {
                "error": _("This round has no map yet."),
                "stage": state.stage,
                "percent": state.percent,
            },
            status=404,
        )

    stored = staff_map(snapshot, map_language())
    return map_json_response(request, bytes(stored.payload), stored.etag)


def map_language():
    """Return the active language if maps are stored in it, else the default."""
    language = get_language()
    if language in dict(settings.LANGUAGES):
        return language
    return settings.LANGUAGE_CODE


def staff_map(snapshot, language):
    """Return the snapshot's stored staff map in `language`.

    Rebuilds store it; a snapshot made before maps were stored gets it
    built and stored here, once.
    """
    audience = SnapshotMap.Audience.STAFF
    stored = (
        SnapshotMap.objects.filter(
            snapshot=snapshot, audience=audience, language=language
        )
        .only("payload", "etag")
        .first()
    )
    if stored is None:
        logger.warning("snapshot %s has no stored staff map; storing it", snapshot.pk)
        snapshot = NetworkSnapshot.objects.select_related("round").get(pk=snapshot.pk)
        store_maps(snapshot, audience, staff_payload_builder(snapshot))
        stored = SnapshotMap.objects.get(
            snapshot=snapshot, audience=audience, language=language
        )
    return stored
