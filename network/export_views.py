"""Staff downloads of a round's network, full or anonymized, each one logged."""

import logging

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from edn.permissions import staff_required
from network.anonymize import anonymize_snapshot
from network.audit import record_export
from network.compare_views import ready_snapshot
from network.exports import CONTENT_TYPES, FORMATS, export_snapshot
from network.models import ExportLog
from network.services import latest_snapshot
from surveys.models import Round

logger = logging.getLogger(__name__)

RECENT_EXPORTS = 25
VARIANTS = (ExportLog.Variant.FULL, ExportLog.Variant.ANONYMIZED)
# Name, what the file holds, and what reads it; in the order of FORMATS.
FORMAT_WORDS = {
    "csv": (
        "CSV",
        gettext_lazy("One row per organization with its sector and measures."),
        gettext_lazy("any spreadsheet, R, pandas"),
    ),
    "xlsx": (
        "Excel",
        gettext_lazy("Three sheets: organizations, ties and the round figures."),
        gettext_lazy("Excel, LibreOffice, Google Sheets"),
    ),
    "graphml": (
        "GraphML",
        gettext_lazy("The network: organizations as nodes, one edge per tie."),
        gettext_lazy("Gephi, igraph, networkx, yEd"),
    ),
    "gexf": (
        "GEXF",
        gettext_lazy("The network with every attribute, as Gephi reads it."),
        gettext_lazy("Gephi, networkx"),
    ),
    "json": (
        "JSON",
        gettext_lazy("Node-link JSON with the round figures."),
        gettext_lazy("JavaScript, Python, D3"),
    ),
}


def export_filename(round, format, variant, day=None):
    """Return the download's file name: round slug, variant and date."""
    day = day or timezone.localdate()
    suffix = "-anonymized" if variant == ExportLog.Variant.ANONYMIZED else ""
    return f"edn-{round.slug}-{day.isoformat()}{suffix}.{format}"


@require_GET
@staff_required
def round_exports(request, slug):
    """List the round's downloads and who took which, most recent first."""
    round = get_object_or_404(Round, slug=slug)

    snapshot = ready_snapshot(round)
    logs = ExportLog.objects.filter(round=round)
    formats = [
        {"key": key, "name": name, "holds": holds, "reads": reads}
        for key, (name, holds, reads) in FORMAT_WORDS.items()
        if key in FORMATS
    ]

    context = {
        "round": round,
        "snapshot": snapshot,
        "formats": formats,
        "recent": list(logs[:RECENT_EXPORTS]),
        "exports_count": logs.count(),
        "today": timezone.localdate(),
    }
    return render(request, "network/exports/round_exports.html", context)


@never_cache
@require_GET
@staff_required
def round_export_download(request, slug, variant, format):
    """Send the round's newest snapshot as a file and log who took it."""
    round = get_object_or_404(Round, slug=slug)
    if variant not in VARIANTS or format not in FORMATS:
        raise Http404("unknown export")

    snapshot = latest_snapshot(round)
    if snapshot is None:
        messages.error(
            request,
            _(
                "Round “%(round)s” has no network snapshot yet, so there is nothing "
                "to export."
            )
            % {"round": round.name},
        )
        return redirect("network:round_exports", round.slug)

    source = snapshot
    if variant == ExportLog.Variant.ANONYMIZED:
        source = anonymize_snapshot(snapshot)
    content = export_snapshot(source, format)
    record_export(
        request.user, round, format, variant, snapshot.organizations_count, snapshot
    )

    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = content_disposition_header(
        True, export_filename(round, format, variant)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
