"""The audit log page for staff, and the same list as a CSV file."""

import csv

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from audit.models import AuditEvent
from edn.permissions import staff_required
from network.exports import safe_cell
from surveys.models import Round

PAGE_SIZE = 50
CSV_COLUMNS = ["when", "who", "action", "round", "organization", "summary"]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AuditEvent.Action.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    round = forms.ModelChoiceField(
        label=_("Round"),
        required=False,
        queryset=Round.objects.order_by("-opens_at", "-created_at"),
        empty_label=_("All rounds"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


def filtered_events(params):
    """Return the filter form and the events it selects, newest first.

    A value the form refuses is named on the page and filters nothing.
    """
    form = AuditFilterForm(params)
    events = AuditEvent.objects.all()
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["round"] is not None:
            events = events.filter(round=form.cleaned_data["round"])
    return form, events.order_by("-created_at", "-pk")


@require_GET
@staff_required
def audit_log(request):
    """List what was done to the data, filtered by action and round."""
    form, events = filtered_events(request.GET)

    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)

    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(form.is_valid() and any(form.cleaned_data.values())),
    }
    return render(request, "audit/audit_log.html", context)


@require_GET
@staff_required
def audit_log_csv(request):
    """Send the filtered log as CSV; cells cannot run as spreadsheet formulas."""
    _form, events = filtered_events(request.GET)

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="edn-audit-{day}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(event.created_at).isoformat(timespec="seconds"),
                safe_cell(event.actor_email),
                event.action,
                safe_cell(event.round_name),
                safe_cell(event.organization),
                safe_cell(event.summary),
            ]
        )
    return response
