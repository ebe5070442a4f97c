"""The measures table: every organization of the snapshot with its measures."""

import logging

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from edn.permissions import staff_required
from network import measures_table
from network.audit import record_export
from network.dashboard_views import newest_snapshot
from network.models import ExportLog, OrganizationMetrics
from surveys.models import Round

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
EXPORTS = {
    "csv": (measures_table.table_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        measures_table.table_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def _filtered(request, snapshot):
    """Return the filter form and the snapshot's metrics it lets through."""
    communities = measures_table.communities(snapshot) if snapshot else []
    form = measures_table.TableFilters(communities, request.GET)
    metrics = OrganizationMetrics.objects.none()
    if snapshot is not None:
        metrics = form.apply(OrganizationMetrics.objects.filter(snapshot=snapshot))
    return form, metrics


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _headings(sort, descending, base_query):
    headings = []
    for key, (label, _expression) in measures_table.SORTS.items():
        active = key == sort
        flip = "" if active and descending else "-"
        if key in ("name", "sector", "position", "community") and not active:
            flip = ""
        headings.append(
            {
                "key": key,
                "label": label,
                "active": active,
                "descending": descending,
                "url": f"?{base_query}&sort={flip}{key}".replace("?&", "?"),
            }
        )
    return {h["key"]: h for h in headings}


@require_GET
@staff_required
def round_table(request, slug):
    """List the snapshot's organizations, filtered, sorted and paginated."""
    round_ = get_object_or_404(Round, slug=slug)

    snapshot = newest_snapshot(round_)
    form, metrics = _filtered(request, snapshot)
    sort, descending = measures_table.parse_sort(request.GET.get("sort"))
    metrics = metrics.order_by(*measures_table.ordering(sort, descending))
    rows = measures_table.table_rows(metrics)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        measures_table.prepare_row(row)

    context = {
        "round": round_,
        "snapshot": snapshot,
        "form": form,
        "page": page,
        "headings": _headings(
            sort, descending, _query_without(request, "sort", "page")
        ),
        "sort": f"{'-' if descending else ''}{sort}",
        "export_query": _query_without(request, "page", "format"),
        "positions": measures_table.POSITIONS,
    }
    return render(request, "network/staff/table.html", context)


@require_GET
@staff_required
def round_table_export(request, slug, format):
    """Download the filtered table as CSV or Excel; the download is logged."""
    round_ = get_object_or_404(Round, slug=slug)
    if format not in EXPORTS:
        return HttpResponse(status=404)

    snapshot = newest_snapshot(round_)
    _form, metrics = _filtered(request, snapshot)
    sort, descending = measures_table.parse_sort(request.GET.get("sort"))
    metrics = metrics.order_by(*measures_table.ordering(sort, descending))
    build, content_type = EXPORTS[format]
    content, rows = build(metrics)

    record_export(request.user, round_, format, ExportLog.Variant.TABLE, rows, snapshot)
    logger.info(
        "export of the measures table of round %s as %s by user %s: %d rows",
        round_.pk,
        format,
        request.user.pk,
        rows,
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"edn-{slugify(round_.slug)}-organizations.{format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
